import RealModule

/// The element type of a ``Tensor``. Float32 is the default; Float64 exists for gradient checks
/// and for users who call ``Tensor/double()``. Float16 and BFloat16 are storage formats only
/// (see ``Tensor/halfBits()``): they are converted to Float32 when loaded.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32
    case float64

    /// Bytes per element.
    public var byteSize: Int { self == .float32 ? 4 : 8 }

    /// PyTorch's spelling, used in printed tensors: `torch.float64`.
    public var description: String { self == .float32 ? "float32" : "float64" }
}

/// A scalar type a ``Tensor`` can hold. Kernels are written once, generic over this protocol,
/// and specialized by the compiler for `Float` and `Double`.
public protocol TensorScalar: Real, BinaryFloatingPoint, Sendable {
    static var dtype: DType { get }
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
}
