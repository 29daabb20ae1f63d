/// Pairs of tensors indexed along their first dimension, PyTorch's `TensorDataset(x, y)`.
///
/// Sample `i` is `(x[i], y[i])`. Shapes: `x` (N, …) and `y` (N, …) with the same N; a sample has
/// the shapes without the first dimension, e.g. windows `x` (N, T, I) and targets `y` (N, K) give
/// samples (T, I) and (K), and batches of ``DataLoader`` (B, T, I) and (B, K).
///
/// The tensors are held by reference (as PyTorch does); samples are copies.
public struct TensorDataset: Dataset {
    /// Inputs, shape (N, …).
    public let x: Tensor
    /// Targets, shape (N, …).
    public let y: Tensor

    /// - Precondition: `x` and `y` have at least one dimension and the same size N in it.
    public init(_ x: Tensor, _ y: Tensor) {
        precondition(x.rank >= 1 && y.rank >= 1,
                     "TensorDataset: tensors need a first (sample) dimension, got shapes \(x.shape) and \(y.shape)")
        precondition(x.shape[0] == y.shape[0],
                     "TensorDataset: size mismatch between tensors: x has shape \(x.shape), y has shape \(y.shape) (first dimensions differ)")
        self.x = x
        self.y = y
    }

    /// The tensors, like PyTorch's `dataset.tensors`.
    public var tensors: (Tensor, Tensor) { (x, y) }

    public var count: Int { x.shape[0] }

    /// `(x[index], y[index])`; negative indices count from the end.
    public subscript(index: Int) -> (Tensor, Tensor) {
        (x.select(0, index), y.select(0, index))
    }

    /// The samples at `indices` stacked into one batch: `x` rows (B, …) and `y` rows (B, …).
    /// Equivalent to stacking `self[i]` for each index, with one copy per tensor.
    public func batch(at indices: [Int]) -> (Tensor, Tensor) {
        (TensorDataset.rows(x, indices), TensorDataset.rows(y, indices))
    }

    /// `tensor[indices]` along the first dimension (PyTorch's `index_select(0, indices)`).
    /// Consecutive indices are copied as one slice.
    static func rows(_ tensor: Tensor, _ indices: [Int]) -> Tensor {
        precondition(!indices.isEmpty, "TensorDataset.batch(at:): expects at least one index")
        var pieces: [Tensor] = []
        var start = 0
        while start < indices.count {
            var end = start + 1
            while end < indices.count && indices[end] == indices[end - 1] + 1 { end += 1 }
            pieces.append(tensor.narrow(0, start: indices[start], length: end - start))
            start = end
        }
        return pieces.count == 1 ? pieces[0] : Tensor.cat(pieces, dim: 0)
    }
}
