import ArgumentParser
import Foundation
import Loom

/// `loom bench WORKLOAD`: timings comparable line by line with `torch_ref.py`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a workload (build with -c release). Prints one JSON object per workload."
    )

    @Argument(help: "Workloads to run: airline, multilayer, sincos, noisysine, charlm, biglstm, biggru, matmul (default: all but matmul).")
    var workloads: [String] = Array(Workloads.names.dropLast())

    @Option(help: "Epochs (or steps) instead of each workload's default, as torch_ref.py's --epochs.")
    var epochs: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Also write the results as a JSON array to this file.")
    var json: String?

    @Option(help: "Matrix size for the matmul workload.")
    var size: Int = 1024

    @Option(help: "Timed repetitions (the best is reported).")
    var repeats: Int = 10

    @Option(help: "Threads for Loom's kernels and BLAS products (0 = every available processor).")
    var threads: Int = 0

    mutating func validate() throws {
        let known = Workloads.names
        for w in workloads where !known.contains(w) {
            throw ValidationError("unknown workload '\(w)'; expected one of: \(known.joined(separator: ", "))")
        }
        guard size > 0 else { throw ValidationError("--size must be positive, got \(size)") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive, got \(repeats)") }
        guard threads >= 0 else { throw ValidationError("--threads must be 0 or positive, got \(threads)") }
        if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive, got \(epochs)") }
    }

    func run() throws {
        try FileChecks.requireWritable(json, flag: "--json")
        if threads > 0 { BLAS.threadCount = threads }
        var results: [[String: Any]] = []
        for w in workloads {
            var result: [String: Any]
            switch w {
            case "airline": result = try Workloads.airline(epochs: epochs, seed: seed)
            case "multilayer": result = Workloads.multilayer(epochs: epochs, seed: seed)
            case "sincos": result = Workloads.sincos(epochs: epochs, seed: seed)
            case "noisysine": result = Workloads.noisysine(epochs: epochs, seed: seed)
            case "charlm": result = Workloads.charlm(epochs: epochs, seed: seed)
            case "biglstm": result = Workloads.big(.lstm, epochs: epochs, seed: seed)
            case "biggru": result = Workloads.big(.gru, epochs: epochs, seed: seed)
            default: result = MatmulBenchmark.run(size: size, repeats: repeats)
            }
            result["loom"] = LoomCommand.version
            result["threads"] = BLAS.threadCount
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            fflush(nil)
            results.append(result)
        }
        if let json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys, .prettyPrinted])
            try data.write(to: URL(fileURLWithPath: json), options: .atomic)
        }
    }
}
