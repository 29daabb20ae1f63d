/// One-hot inputs for recurrent language models.
extension Tensor {
    /// One-hot encoding of a token batch in time-major layout, d2l's `F.one_hot(X.T, V)`:
    /// token indices (B, T) → one-hot vectors (T, B, V), ready for a sequence-first RNN.
    ///
    /// - Precondition: `batch` is 2-d and holds integers in `0..<numClasses`.
    public static func oneHot(timeMajor batch: Tensor, numClasses: Int, dtype: DType = .float32) -> Tensor {
        precondition(batch.rank == 2, "oneHot(timeMajor:): expects a token batch of shape (B, T), got \(batch.shape)")
        precondition(numClasses > 0, "oneHot(timeMajor:): numClasses must be positive, got \(numClasses)")
        let b = batch.shape[0], t = batch.shape[1]
        let tokens = batch.doubleScalars
        var out = [Float](repeating: 0, count: t * b * numClasses)
        for i in 0..<b {
            for s in 0..<t {
                let v = tokens[i * t + s]
                let c = Int(exactly: v) ?? -1
                precondition(c >= 0 && c < numClasses,
                             "oneHot(timeMajor:): token \(v) at (\(i), \(s)) is outside 0..<\(numClasses)")
                out[(s * b + i) * numClasses + c] = 1
            }
        }
        return Tensor(shape: [t, b, numClasses], scalars: out).to(dtype)
    }
}
