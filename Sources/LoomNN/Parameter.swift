@_exported import LoomTensor

/// Marks a stored tensor property of a ``Module`` as a trainable parameter, found by
/// `parameters()`/`stateDict()` under the property's name (PyTorch's `nn.Parameter`):
///
/// ```swift
/// final class Affine: Module {
///     @Parameter var weight: Tensor
///     init(_ n: Int) { _weight = Parameter(Tensor.ones([n])); super.init() }
/// }
/// ```
/// The wrapped tensor always has `requiresGrad == true`.
@propertyWrapper
public struct Parameter {
    private var tensor: Tensor

    public init(wrappedValue: Tensor) {
        wrappedValue.requiresGrad = true
        tensor = wrappedValue
    }

    public init(_ tensor: Tensor) { self.init(wrappedValue: tensor) }

    public var wrappedValue: Tensor {
        get { tensor }
        set {
            newValue.requiresGrad = true
            tensor = newValue
        }
    }
}

/// Marks a stored optional tensor property as a parameter that may be absent (e.g. a bias
/// switched off with `bias: false`).
@propertyWrapper
public struct OptionalParameter {
    private var tensor: Tensor?

    public init(wrappedValue: Tensor?) {
        wrappedValue?.requiresGrad = true
        tensor = wrappedValue
    }

    public var wrappedValue: Tensor? {
        get { tensor }
        set {
            newValue?.requiresGrad = true
            tensor = newValue
        }
    }
}
