import CLoomKernels

/// Row order of a padded batch-first stream: row b·T + t holds (batch entry b, step t), where the
/// fused recurrence works on time-major rows t·B + b. `input` / `output` say which side of the op
/// is batch-first.
struct BatchFirstRows {
    let steps: Int
    let batch: Int
    let input: Bool
    let output: Bool

    /// nil when neither side is batch-first.
    init?(batchSizes: [Int], input: Bool, output: Bool) {
        guard input || output else { return nil }
        let B = batchSizes.first ?? 0
        precondition(batchSizes.allSatisfy { $0 == B }, "batch-first rows need a padded stream, got batch sizes \(batchSizes)")
        steps = batchSizes.count
        batch = B
        self.input = input
        self.output = output
    }

    /// A time-major copy of batch-first rows (N, width).
    func toTimeMajor<T: TensorScalar>(_: T.Type, _ rows: Tensor) -> Tensor {
        toTimeMajor(T.self, rows.storage.pointer(T.self), width: rows.shape[1])
    }

    func toTimeMajor<T: TensorScalar>(_: T.Type, _ rows: UnsafeMutablePointer<T>, width: Int) -> Tensor {
        let out = Tensor(uninitialized: [steps * batch, width], dtype: T.dtype)
        copyRows(from: rows, to: out.storage.pointer(T.self), width: width, outer: batch, inner: steps)
        return out
    }

    /// Writes time-major rows (N, width) into `out` in batch-first order.
    func fromTimeMajor<T: TensorScalar>(_: T.Type, _ rows: UnsafeMutablePointer<T>, into out: UnsafeMutablePointer<T>, width: Int) {
        copyRows(from: rows, to: out, width: width, outer: steps, inner: batch)
    }

    /// dst row (i·outer + o) = src row (o·inner + i). Rows are short (often 1–64 elements): Float32
    /// runs a C loop that moves them in 16-float vectors, not a memmove call per row.
    private func copyRows<T: TensorScalar>(from src: UnsafeMutablePointer<T>, to dst: UnsafeMutablePointer<T>, width: Int,
                                           outer: Int, inner: Int) {
        if T.self == Float.self {
            loom_reorder_rows_f32(UnsafeRawPointer(src).assumingMemoryBound(to: Float.self),
                                  UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self), width, outer, inner)
            return
        }
        for o in 0..<outer {
            for i in 0..<inner {
                let s = src + (o * inner + i) * width, d = dst + (i * outer + o) * width
                for k in 0..<width { d[k] = s[k] }
            }
        }
    }
}
