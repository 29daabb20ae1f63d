/// Inverted dropout, like `torch.nn.functional.dropout`: in training, each element is zeroed with
/// probability p and the survivors are scaled by 1/(1 − p), so the expected value is unchanged;
/// outside training it is the identity (the input itself is returned).
///
///     y = x · m / (1 − p),   m ~ Bernoulli(1 − p)     (p = 1: y = 0)
///
/// Backward: g · m / (1 − p). The mask comes from `generator` (Loom's streams, not PyTorch's:
/// the same seed gives a different mask than `torch.manual_seed`).
public func dropout(_ input: Tensor, p: Double = 0.5, training: Bool = true, generator: inout Generator) -> Tensor {
    precondition(p >= 0 && p <= 1, "dropout: probability has to be between 0 and 1, but got \(p)")
    guard training && p > 0 else { return input }
    let scale = p < 1 ? 1 / (1 - p) : 0
    let mask = Tensor(uninitialized: input.shape, dtype: input.dtype)
    for i in 0..<mask.count { mask.setScalar(generator.nextDouble() < p ? 0 : scale, at: i) }
    return input * mask
}

/// ``dropout(_:p:training:generator:)`` drawing from the global generator (``manualSeed(_:)``).
public func dropout(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
    guard training && p > 0 else { return input }
    return DefaultGenerator.withGenerator { dropout(input, p: p, training: training, generator: &$0) }
}

/// Dropout layer, like `torch.nn.Dropout`: active after `train()` (the default), the identity
/// after `eval()`. Masks come from the layer's own `generator` when one is given (reproducible
/// per layer, and saved by checkpoints), otherwise from the global generator.
public final class Dropout: Module, Layer {
    public let p: Double
    /// The layer's own random stream, or nil for the global generator.
    public var generator: Generator?

    public init(p: Double = 0.5, generator: Generator? = nil) {
        precondition(p >= 0 && p <= 1, "Dropout: probability has to be between 0 and 1, but got \(p)")
        self.p = p
        self.generator = generator
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard training && p > 0 else { return input }
        if generator != nil { return dropout(input, p: p, training: true, generator: &generator!) }
        return dropout(input, p: p, training: true)
    }

    public override var extraDescription: String { "p=\(p), inplace=False" }
}
