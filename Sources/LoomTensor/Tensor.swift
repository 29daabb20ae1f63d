/// An n-dimensional array of `Float` (default) or `Double` with reverse-mode autograd.
///
/// `Tensor` is a class, as `torch.Tensor` is an object: `let x = Tensor.randn([3]);
/// x.requiresGrad = true` works, gradients accumulate in ``grad``, and an optimizer updates a
/// parameter in place. Operations never mutate their inputs; they return new tensors.
/// Storage is always contiguous row-major; see ``TensorStorage`` for which operations share it.
public final class Tensor: @unchecked Sendable {
    /// The size of each dimension. `[]` is a scalar (0-d) tensor.
    public let shape: [Int]

    // The hot stored properties here (and in GradNode, the optimizers' state) skip Swift's dynamic
    // exclusivity checks: they are read on every op, the checks (swift_beginAccess and a
    // thread-local access set) were ~2% of a small model's training step and ~12% of an optimizer
    // step, and no code holds overlapping accesses to them.

    /// The buffer holding the elements, possibly shared with other tensors (views).
    /// Replaced only by ``convert(to:)`` (a module's dtype conversion keeps tensor identity).
    @exclusivity(unchecked) public internal(set) var storage: TensorStorage

    /// The gradient accumulated by ``backward(_:retainGraph:)`` for a leaf that requires grad.
    @exclusivity(unchecked) public var grad: Tensor?

    /// The node that produced this tensor, when it was made by a differentiable op while
    /// gradients were being recorded. `nil` for leaves.
    @exclusivity(unchecked) public internal(set) var gradFn: GradNode?

    /// Storage of ``requiresGrad``; set directly by autograd for recorded results.
    @exclusivity(unchecked) var requiresGradFlag = false

    /// The number of the backward pass that last reached this tensor, and the tensor's slot in
    /// that pass (see `runBackward`: a stamp instead of a dictionary from tensor to slot).
    @exclusivity(unchecked) var backwardPass: UInt64 = 0
    @exclusivity(unchecked) var backwardSlot = 0

    /// Whether operations on this tensor are recorded for ``backward(_:retainGraph:)``.
    /// Only leaves (tensors not produced by a recorded op) may be switched by hand.
    public var requiresGrad: Bool {
        get { requiresGradFlag }
        set {
            precondition(gradFn == nil || newValue,
                         "requiresGrad can only be changed on leaf tensors; call detach() first")
            requiresGradFlag = newValue
        }
    }

    /// True when the tensor was not produced by a recorded operation.
    public var isLeaf: Bool { gradFn == nil }

    public var dtype: DType { storage.dtype }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Alias of ``rank`` with PyTorch's name.
    public var ndim: Int { shape.count }
    /// Number of elements.
    public var count: Int { storage.count }
    /// Row-major strides in elements (storage is always contiguous).
    public var strides: [Int] { Tensor.contiguousStrides(shape) }
    /// Loom runs on the CPU; kept so code reads like PyTorch's `x.device`.
    public var device: String { "cpu" }

    /// Creates a tensor over existing storage. The storage must hold exactly `shape`'s count.
    public init(shape: [Int], storage: TensorStorage) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(Tensor.elementCount(shape) == storage.count,
                     "shape \(shape) needs \(Tensor.elementCount(shape)) elements, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// A new zero-filled tensor.
    public convenience init(zeros shape: [Int], dtype: DType = .float32) {
        self.init(shape: shape, storage: TensorStorage(dtype: dtype, count: Tensor.elementCount(shape)))
    }

    /// A tensor whose elements are not initialized: for kernels that write every element.
    public convenience init(uninitialized shape: [Int], dtype: DType = .float32) {
        self.init(shape: shape, storage: TensorStorage(dtype: dtype, count: Tensor.elementCount(shape), zeroed: false))
    }

    /// A Float32 tensor from row-major scalars. `scalars.count` must equal the shape's count.
    public convenience init(shape: [Int], scalars: [Float]) {
        self.init(shape: shape, copying: scalars)
    }

    /// A Float64 tensor from row-major scalars. (Array literals default to Float32.)
    @_disfavoredOverload
    public convenience init(shape: [Int], scalars: [Double]) {
        self.init(shape: shape, copying: scalars)
    }

    /// A 1-d Float32 tensor.
    public convenience init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }
    /// A 1-d Float64 tensor.
    @_disfavoredOverload
    public convenience init(_ scalars: [Double]) { self.init(shape: [scalars.count], scalars: scalars) }
    /// A 0-d Float32 tensor.
    public convenience init(_ scalar: Float) { self.init(shape: [], scalars: [scalar]) }
    /// A 0-d Float64 tensor.
    @_disfavoredOverload
    public convenience init(_ scalar: Double) { self.init(shape: [], scalars: [scalar]) }

    /// A 2-d tensor from rows of equal length.
    public convenience init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width },
                     "Tensor(rows:): rows have different lengths \(rows.map(\.count))")
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    convenience init<T: TensorScalar>(shape: [Int], copying scalars: [T]) {
        let n = Tensor.elementCount(shape)
        precondition(n == scalars.count,
                     "shape \(shape) needs \(n) scalars, got \(scalars.count)")
        let storage = TensorStorage(dtype: T.dtype, count: n, zeroed: false)
        scalars.withUnsafeBufferPointer { src in
            storage.pointer(T.self).update(from: src.baseAddress!, count: n)
        }
        self.init(shape: shape, storage: storage)
    }

    /// Converts this tensor's elements to `dtype` in place, keeping its identity (so an optimizer
    /// or a module holding it sees the change). Used by `Module.toDouble()`/`toFloat()`.
    /// Views made earlier keep the old storage. The gradient is converted too.
    public func convert(to dtype: DType) {
        guard dtype != self.dtype else { return }
        let converted = to(dtype).detach()
        storage = converted.storage
        grad?.convert(to: dtype)
    }

    // MARK: - Reading values

    /// The elements in row-major order as `Float` (converted from Float64 if needed).
    public var scalars: [Float] {
        switch dtype {
        case .float32: return Array(storage.buffer(Float.self))
        case .float64: return storage.buffer(Double.self).map { Float($0) }
        }
    }

    /// The elements in row-major order as `Double`.
    public var doubleScalars: [Double] {
        switch dtype {
        case .float32: return storage.buffer(Float.self).map { Double($0) }
        case .float64: return Array(storage.buffer(Double.self))
        }
    }

    /// The single value of a one-element tensor, as `Float`.
    public func item() -> Float {
        precondition(count == 1, "item() needs a tensor with one element, got shape \(shape)")
        return scalars[0]
    }

    /// The single value of a one-element tensor, as `Double`.
    public func doubleItem() -> Double {
        precondition(count == 1, "doubleItem() needs a tensor with one element, got shape \(shape)")
        return doubleScalars[0]
    }

    /// Size of dimension `dim` (negative counts from the end), like `x.size(dim)`.
    public func size(_ dim: Int) -> Int { shape[normalizedDim(dim)] }

    // MARK: - Shape helpers

    static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = acc
            acc *= shape[d]
        }
        return strides
    }

    /// Maps a possibly negative dimension to `0..<rank` (or `0...rank` when `inserting`).
    func normalizedDim(_ dim: Int, inserting: Bool = false, function: StaticString = #function) -> Int {
        let r = rank + (inserting ? 1 : 0)
        let d = dim < 0 ? dim + r : dim
        precondition(d >= 0 && d < Swift.max(r, 1),
                     "\(function): dimension \(dim) out of range for a tensor of shape \(shape) (expected \(-Swift.max(r, 1))...\(Swift.max(r, 1) - 1))")
        return d
    }
}
