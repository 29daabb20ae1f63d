import ArgumentParser
import Foundation

/// Refuses configurations whose model alone would not fit in memory, before allocating
/// anything (an absurd `--hidden` would otherwise end in the kernel's OOM killer).
enum MemoryBudget {
    /// Bytes a recurrent model of this shape needs while training with Adam: weights, gradients
    /// and two moment buffers (4 × 4 bytes per parameter).
    static func trainingBytes(gates: Int, input: Int, hidden: Int, layers: Int, output: Int) -> Double {
        let g = Double(gates), h = Double(hidden)
        var parameters = 0.0
        for layer in 0..<max(layers, 1) {
            let i = layer == 0 ? Double(input) : h
            parameters += g * h * (i + h) + 2 * g * h
        }
        parameters += h * Double(output) + Double(output)
        return parameters * 16
    }

    /// Throws a usage error naming the estimate and the machine's memory when it does not fit
    /// in half of the physical memory.
    static func check(_ bytes: Double, what: String) throws {
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        guard bytes <= physical / 2 else {
            throw ValidationError(String(format: "%@ would need about %.1f GB for weights, gradients and optimizer state; this machine has %.1f GB. Use a smaller --hidden or --layers.",
                                         what, bytes / 1e9, physical / 1e9))
        }
    }
}
