import CLoomKernels

/// Flush-to-zero for subnormal floats on the calling thread.
///
/// Adam's second-moment estimates decay geometrically and reach the subnormal range (< 1.2e-38)
/// on long runs, where x86 arithmetic is ~100× slower; a prototype of the airline workload ran
/// 3.5× slower without flushing. Loom's training loops (CLI, tasks, benchmarks) switch flushing
/// on for their thread. Values that small are far below every tolerance Loom checks, so parity
/// is unaffected; PyTorch's CPU kernels run with the default (no flushing).
public enum Denormals {
    /// Turns flushing on or off for the current thread; returns the previous setting.
    @discardableResult
    public static func setFlushToZero(_ on: Bool) -> Bool {
        loom_set_flush_denormals(on ? 1 : 0) != 0
    }

    /// Runs `body` with flushing on, restoring the previous mode afterwards.
    public static func flushingToZero<R>(_ body: () throws -> R) rethrows -> R {
        let previous = setFlushToZero(true)
        defer { setFlushToZero(previous) }
        return try body()
    }
}
