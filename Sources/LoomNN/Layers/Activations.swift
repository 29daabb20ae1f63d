/// Activation layers, like PyTorch's `nn.ReLU`, `nn.Sigmoid`, … — stateless modules that apply
/// one element-wise (or, for the softmax family, per-slice) function, so they can sit in a
/// ``Sequential``. Shapes: any input → the same shape.

/// max(x, 0) (`nn.ReLU`).
public final class ReLU: Module, Layer {
    public override init() { super.init() }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.relu() }
}

/// 1 / (1 + e⁻ˣ) (`nn.Sigmoid`).
public final class Sigmoid: Module, Layer {
    public override init() { super.init() }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// tanh x (`nn.Tanh`).
public final class Tanh: Module, Layer {
    public override init() { super.init() }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.tanh() }
}

/// x · Φ(x), exact or with the tanh approximation (`nn.GELU`); see ``Tensor/gelu(approximate:)``.
public final class GELU: Module, Layer {
    public let approximate: Tensor.GELUApproximation
    public init(approximate: Tensor.GELUApproximation = .none) {
        self.approximate = approximate
        super.init()
    }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.gelu(approximate: approximate) }
    public override var extraDescription: String { "approximate='\(approximate.rawValue)'" }
}

/// x for x > 0, else slope · x (`nn.LeakyReLU`, slope 0.01 by default).
public final class LeakyReLU: Module, Layer {
    public let negativeSlope: Double
    public init(negativeSlope: Double = 0.01) {
        self.negativeSlope = negativeSlope
        super.init()
    }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
    public override var extraDescription: String { "negative_slope=\(negativeSlope)" }
}

/// softmax along `dim` (`nn.Softmax`): exp(xᵢ) / Σⱼ exp(xⱼ).
public final class Softmax: Module, Layer {
    public let dim: Int
    public init(dim: Int) {
        self.dim = dim
        super.init()
    }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.softmax(dim: dim) }
    public override var extraDescription: String { "dim=\(dim)" }
}

/// log-softmax along `dim` (`nn.LogSoftmax`): xᵢ − log Σⱼ exp(xⱼ).
public final class LogSoftmax: Module, Layer {
    public let dim: Int
    public init(dim: Int) {
        self.dim = dim
        super.init()
    }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.logSoftmax(dim: dim) }
    public override var extraDescription: String { "dim=\(dim)" }
}

/// The identity (`nn.Identity`), a placeholder in a ``Sequential``.
public final class Identity: Module, Layer {
    public override init() { super.init() }
    public func callAsFunction(_ input: Tensor) -> Tensor { input }
}
