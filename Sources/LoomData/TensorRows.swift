/// A snapshot of a tensor's values from which rows (first-dimension slices) are copied into new
/// batch tensors: one copy per batch instead of one tensor per sample. The DataLoader takes one
/// snapshot per epoch for a ``TensorDataset``, so batches reflect the tensors' values when the
/// epoch started. Batches are new leaves (no autograd), so it is used only for tensors that do
/// not require grad.
struct TensorRows: Sendable {
    private enum Values: Sendable {
        case float([Float])
        case double([Double])
    }

    private let values: Values
    /// Shape of one row (the tensor's shape without its first dimension).
    let rowShape: [Int]
    /// Elements per row.
    let rowSize: Int

    init(_ tensor: Tensor) {
        precondition(tensor.rank >= 1, "TensorRows: expects a tensor with a first dimension, got shape \(tensor.shape)")
        rowShape = Array(tensor.shape.dropFirst())
        rowSize = rowShape.reduce(1, *)
        values = tensor.dtype == .float32 ? .float(tensor.scalars) : .double(tensor.doubleScalars)
    }

    /// Rows `indices` stacked: (B, …) with B = `indices.count`, in the snapshot's dtype.
    func rows(_ indices: [Int]) -> Tensor {
        switch values {
        case .float(let v): return Tensor(shape: [indices.count] + rowShape, scalars: gather(v, indices))
        case .double(let v): return Tensor(shape: [indices.count] + rowShape, scalars: gather(v, indices))
        }
    }

    private func gather<T>(_ source: [T], _ indices: [Int]) -> [T] {
        let size = rowSize
        return [T](unsafeUninitializedCapacity: indices.count * size) { out, initialized in
            source.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && (i + 1) * size <= src.count, "TensorRows: row \(i) is out of range")
                    (out.baseAddress! + k * size).initialize(from: src.baseAddress! + i * size, count: size)
                }
            }
            initialized = indices.count * size
        }
    }
}
