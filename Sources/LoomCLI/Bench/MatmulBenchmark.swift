import Foundation
import Loom

/// Square Float32 matrix product through ``Tensor/matmul(_:)`` (BLAS): the GEMM ceiling that
/// the big recurrent workloads are measured against.
enum MatmulBenchmark {
    static func run(size n: Int, repeats: Int) -> [String: Any] {
        var g = Generator(seed: 0)
        let a = Tensor.randn([n, n], generator: &g), b = Tensor.randn([n, n], generator: &g)
        _ = a.matmul(b)   // warm-up (thread pool, page faults)
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = a.matmul(b)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let flops = 2 * Double(n) * Double(n) * Double(n)
        return ["workload": "matmul", "size": n, "best_ms": best * 1e3, "gflops": flops / best / 1e9,
                "blas_threads": BLAS.threadCount]
    }
}
