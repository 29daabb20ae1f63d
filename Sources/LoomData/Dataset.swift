/// A collection of samples addressed by position, PyTorch's map-style `Dataset`.
///
/// Conformers provide ``count`` and a subscript; ``DataLoader`` does the batching, shuffling and
/// prefetching. Datasets are `Sendable` because the loader reads samples on a background thread
/// while the model trains; a struct of tensors (``TensorDataset``) or of arrays is already
/// `Sendable`.
///
/// ```swift
/// struct Squares: Dataset {
///     var count: Int { 100 }
///     subscript(index: Int) -> (Tensor, Tensor) { (Tensor([Float(index)]), Tensor([Float(index * index)])) }
/// }
/// ```
public protocol Dataset<Sample>: Sendable {
    /// One element: for supervised data usually an `(input, target)` pair.
    associatedtype Sample

    /// Number of samples (`len(dataset)`).
    var count: Int { get }

    /// The sample at `index`, for `index` in `0..<count`.
    subscript(index: Int) -> Sample { get }
}
