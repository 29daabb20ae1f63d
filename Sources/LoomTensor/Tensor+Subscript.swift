/// PyTorch-style indexing: `x[0]`, `x[-1]`, `x[1..<3]`, `x[.all, -1]`, `x[..., 0]`.
/// Integer indices remove their dimension; ranges keep it. Negative indices count from the end.
/// Results are copies; the gradient flows back to the indexed positions.
public enum TensorIndex: Sendable {
    /// One position along a dimension (removes the dimension).
    case position(Int)
    /// Positions `start..<end` with `step` (either bound may be negative or nil, as in Python).
    case slice(start: Int?, end: Int?, step: Int)
    /// The whole dimension, Python's `:`.
    case full
    /// A new dimension of size 1, Python's `None`.
    case insertAxis
    /// As many `.all` as needed, Python's `...`.
    case rest
}

/// Anything usable inside `tensor[…]`.
public protocol TensorIndexExpression {
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexExpression {
    public var tensorIndex: TensorIndex { self }
}
extension Int: TensorIndexExpression {
    public var tensorIndex: TensorIndex { .position(self) }
}
extension Range<Int>: TensorIndexExpression {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound, step: 1) }
}
extension ClosedRange<Int>: TensorIndexExpression {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound == -1 ? nil : upperBound + 1, step: 1) }
}
extension PartialRangeFrom<Int>: TensorIndexExpression {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: nil, step: 1) }
}
extension PartialRangeUpTo<Int>: TensorIndexExpression {
    public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound, step: 1) }
}
extension PartialRangeThrough<Int>: TensorIndexExpression {
    public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension Tensor {
    public subscript(_ indices: any TensorIndexExpression...) -> Tensor {
        index(indices.map(\.tensorIndex))
    }

    /// Applies a list of indices, one per leading dimension (`.ellipsis` expands).
    public func index(_ indices: [TensorIndex]) -> Tensor {
        if let simple = indexWithoutSlices(indices) { return simple }
        let consuming = indices.filter { if case .insertAxis = $0 { return false }; if case .rest = $0 { return false }; return true }.count
        precondition(consuming <= rank, "too many indices (\(consuming)) for a tensor of shape \(shape)")
        precondition(indices.filter { if case .rest = $0 { return true }; return false }.count <= 1,
                     "an index can only have a single ellipsis (...)")
        var expanded: [TensorIndex] = []
        for ix in indices {
            if case .rest = ix {
                expanded += Array(repeating: .full, count: rank - consuming)
            } else {
                expanded.append(ix)
            }
        }
        var outShape: [Int] = [], outStrides: [Int] = []
        var offset = 0, dim = 0
        let st = strides
        for ix in expanded {
            switch ix {
            case .insertAxis:
                outShape.append(1); outStrides.append(0)
            case .position(let i):
                let n = shape[dim]
                let j = i < 0 ? i + n : i
                precondition(j >= 0 && j < n,
                             "index \(i) is out of bounds for dimension \(dim) with size \(n) (shape \(shape))")
                offset += j * st[dim]
                dim += 1
            case .full:
                outShape.append(shape[dim]); outStrides.append(st[dim]); dim += 1
            case .slice(let start, let end, let step):
                precondition(step > 0, "slice step must be positive, got \(step)")
                let n = shape[dim]
                func clampBound(_ b: Int?, _ fallback: Int) -> Int {
                    guard let b else { return fallback }
                    return Swift.min(Swift.max(b < 0 ? b + n : b, 0), n)
                }
                let s = clampBound(start, 0), e = clampBound(end, n)
                let len = e > s ? (e - s + step - 1) / step : 0
                outShape.append(len); outStrides.append(st[dim] * step)
                offset += (len > 0 ? s : 0) * st[dim]
                dim += 1
            case .rest:
                break
            }
        }
        while dim < rank {
            outShape.append(shape[dim]); outStrides.append(st[dim]); dim += 1
        }
        return gathered(shape: outShape, strides: outStrides, offset: offset, name: "IndexBackward")
    }
}

extension Tensor {
    /// The common case of `index` — only whole dimensions and positions, e.g. `out[.all, -1, .all]`
    /// — in one pass without intermediate index lists; nil for anything else.
    private func indexWithoutSlices(_ indices: [TensorIndex]) -> Tensor? {
        guard indices.count <= rank else { return nil }
        var outShape: [Int] = [], outStrides: [Int] = []
        outShape.reserveCapacity(rank)
        outStrides.reserveCapacity(rank)
        var offset = 0, elementStride = 1
        // Strides from the last dimension back; dimensions past the indices are kept whole.
        for dim in stride(from: rank - 1, through: 0, by: -1) {
            let n = shape[dim]
            if dim < indices.count {
                switch indices[dim] {
                case .full:
                    outShape.append(n); outStrides.append(elementStride)
                case .position(let i):
                    let j = i < 0 ? i + n : i
                    precondition(j >= 0 && j < n,
                                 "index \(i) is out of bounds for dimension \(dim) with size \(n) (shape \(shape))")
                    offset += j * elementStride
                default:
                    return nil
                }
            } else {
                outShape.append(n); outStrides.append(elementStride)
            }
            elementStride *= n
        }
        outShape.reverse()
        outStrides.reverse()
        return gathered(shape: outShape, strides: outStrides, offset: offset, name: "IndexBackward")
    }
}

extension TensorIndexExpression where Self == TensorIndex {
    /// The whole dimension (`:`).
    public static var all: TensorIndex { .full }
    /// A new axis of size 1 (`None`).
    public static var newAxis: TensorIndex { .insertAxis }
    /// As many `all` as needed (`...`).
    public static var ellipsis: TensorIndex { .rest }
    /// `start:end:step` with optional bounds, as in Python.
    public static func range(start: Int? = nil, end: Int? = nil, step: Int = 1) -> TensorIndex {
        .slice(start: start, end: end, step: step)
    }
}
