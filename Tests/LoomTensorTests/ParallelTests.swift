import Foundation
import LoomTestSupport
import Testing
import LoomTensor

@Suite("Thread pool and split BLAS products")
struct ParallelTests {
    /// Every part runs exactly once, whatever the part count versus the pool width.
    @Test(arguments: [1, 2, 3, 7])
    func everyPartRunsOnce(parts: Int) {
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: parts)
        counts.initialize(repeating: 0, count: parts)
        defer { counts.deallocate() }
        for _ in 0..<200 { Parallel.run(parts: parts) { p in counts[p] += 1 } }
        #expect((0..<parts).map { counts[$0] } == Array(repeating: 200, count: parts))
    }

    /// Calls separated by idle gaps reach the worker spinning, napping or asleep; a part it has not
    /// taken yet is run by the caller instead. Either way each part runs exactly once per call,
    /// also when the caller's own part is slow (the worker takes its part) or instant (the caller
    /// may take it first).
    @Test func partsRunOnceAcrossIdleGaps() {
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        defer { counts.deallocate() }
        func wait(_ microseconds: Double) {
            let end = DispatchTime.now().uptimeNanoseconds + UInt64(microseconds * 1000)
            while DispatchTime.now().uptimeNanoseconds < end {}
        }
        for gap in [0.0, 5, 40, 400, 3000] {
            for slowCaller in [false, true] {
                for _ in 0..<(gap > 1000 ? 4 : 40) {
                    counts.initialize(repeating: 0, count: 2)
                    wait(gap)
                    Parallel.run(parts: 2) { p in
                        if p == 0 && slowCaller { wait(20) }
                        counts[p] += 1
                    }
                    #expect(counts[0] == 1 && counts[1] == 1, "gap \(gap) µs, slow caller \(slowCaller): \(counts[0]), \(counts[1])")
                }
            }
        }
    }

    /// A split from inside a part, and splits from several threads at once, run correctly (the
    /// pool runs a call on its caller when it is busy).
    @Test func nestedAndConcurrentCallsComplete() async {
        let sums = await withTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    var total = 0
                    for _ in 0..<50 {
                        let cells = UnsafeMutablePointer<Int>.allocate(capacity: 4)
                        cells.initialize(repeating: 0, count: 4)
                        Parallel.run(parts: 2) { outer in
                            Parallel.run(parts: 2) { inner in cells[outer * 2 + inner] = task + outer * 2 + inner }
                        }
                        total += (0..<4).reduce(0) { $0 + cells[$1] }
                        cells.deallocate()
                    }
                    return total
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }.sorted()
        }
        // Each call writes task·4 + (0 + 1 + 2 + 3); 50 calls per task.
        #expect(sums == (0..<4).map { 50 * ($0 * 4 + 6) })
    }

    /// Large products are split into row or column blocks over the pool: the result equals the
    /// one-thread product bit for bit, and a Float64 product to rounding.
    @Test(arguments: [(257, 300, 70), (40, 300, 500), (64, 1024, 48)])
    func splitProductsEqualOneThread(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var g = Generator(seed: 11)
        let a = Tensor.randn([m, k], generator: &g), b = Tensor.randn([k, n], generator: &g)
        let split = a.matmul(b)
        let splitT = b.t().contiguous().matmul(a.t().contiguous())      // other orientation
        Parallel.setThreadLimit(1)
        let single = a.matmul(b)
        let singleT = b.t().contiguous().matmul(a.t().contiguous())
        Parallel.setThreadLimit(0)
        #expect(split.scalars == single.scalars)
        #expect(splitT.scalars == singleT.scalars)
        expectClose(split, a.to(.float64).matmul(b.to(.float64)), atol: 1e-3, rtol: 1e-4, "product")
    }

    /// One-row products (batch-1 steps) run Loom's matrix-vector loops where the CPU has them:
    /// both orientations, ragged sizes, overwrite (even of NaN) and accumulate, against Float64.
    @Test(arguments: [(1, 1), (3, 17), (16, 16), (100, 400), (400, 100), (129, 33), (7, 300)])
    func oneRowProductsMatchFloat64(shape: (Int, Int)) {
        let (k, n) = shape
        var g = Generator(seed: UInt64(k * 1000 + n))
        let a = Tensor.randn([1, k], generator: &g).scalars
        let wT = Tensor.randn([n, k], generator: &g).scalars      // for a · Wᵀ (W is n × k)
        let w = Tensor.randn([k, n], generator: &g).scalars       // for a · W (W is k × n)
        let start = Tensor.randn([n], generator: &g).scalars
        for transB in [true, false] {
            let b = transB ? wT : w
            var expected = [Double](repeating: 0, count: n)
            for j in 0..<n {
                for i in 0..<k { expected[j] += Double(a[i]) * Double(transB ? wT[j * k + i] : w[i * n + j]) }
            }
            for beta in [Float(0), 1] {
                var c = beta == 0 ? [Float](repeating: .nan, count: n) : start
                BLAS.gemm(transA: false, transB: transB, m: 1, n: n, k: k, a: a, lda: k, b: b, ldb: transB ? k : n,
                          beta: beta, c: &c, ldc: n)
                for j in 0..<n {
                    let want = expected[j] + (beta == 1 ? Double(start[j]) : 0)
                    #expect(abs(Double(c[j]) - want) <= 1e-5 + 1e-5 * abs(want),
                            "k \(k) n \(n) transB \(transB) beta \(beta) [\(j)]: \(c[j]) vs \(want)")
                }
            }
        }
    }
}
