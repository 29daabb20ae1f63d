/// The contiguous, row-major buffer behind one or more tensors.
///
/// Reference model: a ``Tensor`` is a class (like `torch.Tensor`), and tensors made by
/// `reshape`/`view`/`squeeze`/`unsqueeze`/`flatten` share their storage with the source.
/// Every other shape operation (transpose, permute, slicing, expand) returns a new contiguous
/// tensor. In-place updates (`copy(from:)`, optimizer steps, `zero()`) are seen by every
/// tensor sharing the storage.
public final class TensorStorage: @unchecked Sendable {
    public let dtype: DType
    public let count: Int
    public let raw: UnsafeMutableRawPointer
    /// For a storage that is a window of another one: the storage that owns the memory (kept
    /// alive by this reference). nil when this storage owns `raw`.
    private let owner: TensorStorage?

    public init(dtype: DType, count: Int, zeroed: Bool = true) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.dtype = dtype
        self.count = count
        let bytes = max(1, count * dtype.byteSize)
        raw = BufferPool.allocate(byteCount: bytes)
        owner = nil
        if zeroed { raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes) }
    }

    /// Elements `offset ..< offset + count` of `parent`, sharing its memory (no copy).
    /// Internal: for ops whose single recorded result is split into several outputs.
    init(window parent: TensorStorage, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset + count <= parent.count,
                     "TensorStorage: window \(offset)..<\(offset + count) outside a storage of \(parent.count) elements")
        dtype = parent.dtype
        self.count = count
        raw = parent.raw + offset * parent.dtype.byteSize
        owner = parent.owner ?? parent
    }

    /// True for a window of another storage (which owns the memory).
    var isWindow: Bool { owner != nil }

    deinit {
        if owner == nil { BufferPool.release(raw, byteCount: max(1, count * dtype.byteSize)) }
    }

    // Inlinable so that other modules' specialized (Float/Double) code gets a plain pointer
    // rather than a call into the unspecialized generic.
    @inlinable @inline(__always)
    public func pointer<T: TensorScalar>(_: T.Type) -> UnsafeMutablePointer<T> {
        assert(T.dtype == dtype, "storage holds \(dtype), asked for \(T.dtype)")
        return raw.assumingMemoryBound(to: T.self)
    }

    @inlinable @inline(__always)
    public func buffer<T: TensorScalar>(_: T.Type) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: pointer(T.self), count: count)
    }
}
