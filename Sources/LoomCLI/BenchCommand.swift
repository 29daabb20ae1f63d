import ArgumentParser
import Foundation
import Loom

/// `loom bench WORKLOAD`: timings comparable line by line with `torch_ref.py`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a workload (build with -c release). Prints one JSON object per workload."
    )

    @Argument(help: "Workloads to run: matmul.")
    var workloads: [String] = ["matmul"]

    @Option(help: "Matrix size for the matmul workload.")
    var size: Int = 1024

    @Option(help: "Timed repetitions (the best is reported).")
    var repeats: Int = 10

    @Option(help: "Threads for BLAS (0 = OpenBLAS default).")
    var threads: Int = 0

    mutating func validate() throws {
        let known = ["matmul", "probe"]
        for w in workloads where !known.contains(w) {
            throw ValidationError("unknown workload '\(w)'; expected one of: \(known.joined(separator: ", "))")
        }
        guard size > 0 else { throw ValidationError("--size must be positive, got \(size)") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive, got \(repeats)") }
        guard threads >= 0 else { throw ValidationError("--threads must be 0 or positive, got \(threads)") }
    }

    func run() throws {
        if threads > 0 { BLAS.threadCount = threads }
        for w in workloads {
            let result: [String: Any]
            switch w {
            case "probe": ScratchProbe.run(); continue
            default: result = MatmulBenchmark.run(size: size, repeats: repeats)
            }
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
