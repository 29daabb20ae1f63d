import CLoomKernels

/// Loom's own fork-join pool (CLoomParallel.h), used inside the fused recurrent steps, where
/// work is split a few microseconds at a time and a general-purpose scheduler costs too much.
/// Large BLAS products are split over it too (see `BLAS`).
public enum Parallel {
    /// Threads a split may use: the processors available, or fewer after `setThreadLimit(_:)`.
    public static var width: Int { Int(loom_parallel_width()) }

    /// Caps the threads Loom's kernels use (1 runs everything on the calling thread); 0 lifts the cap.
    /// Results do not depend on it: every split gives each element the same arithmetic.
    public static func setThreadLimit(_ threads: Int) {
        precondition(threads >= 0, "Parallel.setThreadLimit: expected 0 (no cap) or a positive thread count, got \(threads)")
        loom_parallel_set_limit(threads)
    }

    /// Runs body(0) … body(parts - 1) at the same time (part 0 on the calling thread) and returns
    /// when all have finished.
    public static func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        withoutActuallyEscaping(body) { escapable in
            var task = escapable
            withUnsafeMutablePointer(to: &task) { pointer in
                loom_parallel_run(parts, { context, part in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
                }, pointer)
            }
        }
    }

    /// Splits rows 0..<rows into at most `width` contiguous ranges of at least `minRows` rows
    /// and runs body(range) for each at the same time.
    public static func rows(_ rows: Int, minRows: Int, _ body: (Range<Int>) -> Void) {
        let parts = Swift.max(1, Swift.min(width, rows / Swift.max(1, minRows)))
        if parts == 1 { body(0..<rows); return }
        run(parts: parts) { p in body(rows * p / parts ..< rows * (p + 1) / parts) }
    }
}
