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
        let po = out.storage.pointer(T.self)
        for b in 0..<batch {
            for t in 0..<steps { (po + (t * batch + b) * width).update(from: rows + (b * steps + t) * width, count: width) }
        }
        return out
    }

    /// Writes time-major rows (N, width) into `out` in batch-first order.
    func fromTimeMajor<T: TensorScalar>(_: T.Type, _ rows: UnsafeMutablePointer<T>, into out: UnsafeMutablePointer<T>, width: Int) {
        for b in 0..<batch {
            for t in 0..<steps { (out + (b * steps + t) * width).update(from: rows + (t * batch + b) * width, count: width) }
        }
    }
}
