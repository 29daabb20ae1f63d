import CLoomKernels

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
/// weight decay, with `torch.optim.SGD`'s exact update and defaults.
///
/// For each parameter θ with gradient g, at step t (μ momentum, τ dampening, λ weight decay, γ lr):
///
///     g ← g + λ θ                                 if λ ≠ 0
///     b ← g                                       if t = 1       (μ ≠ 0)
///     b ← μ b + (1 − τ) g                         otherwise
///     g ← g + μ b  (Nesterov)   or   g ← b        (μ ≠ 0)
///     θ ← θ − γ g
///
/// State per parameter: `momentum_buffer` (only when μ ≠ 0).
public final class SGD: Optimizer {
    public var momentum: Double
    public var dampening: Double
    public var nesterov: Bool

    public init(_ params: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        super.init(groups: [ParamGroup(params)], lr: lr, weightDecay: weightDecay)
        validate()
    }

    /// An optimizer over several parameter groups (per-group lr and weight decay).
    public init(_ groups: [ParamGroup], lr: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        super.init(groups: groups, lr: lr, weightDecay: weightDecay)
        validate()
    }

    private func validate() {
        precondition(momentum >= 0, "SGD: invalid momentum \(momentum) (must be ≥ 0)")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: Nesterov momentum requires a momentum and zero dampening (momentum \(momentum), dampening \(dampening))")
    }

    public override var stateNames: [String] { ["momentum_buffer"] }

    public override var options: [String: Double] {
        get { ["momentum": momentum, "dampening": dampening, "nesterov": nesterov ? 1 : 0] }
        set {
            momentum = newValue["momentum"] ?? momentum
            dampening = newValue["dampening"] ?? dampening
            nesterov = (newValue["nesterov"] ?? (nesterov ? 1 : 0)) != 0
        }
    }

    public override func update(_ param: Tensor, gradient: Tensor, state: ParamState, group: ParamGroup) {
        let first = state.buffers[0] == nil
        let buffer = momentum != 0 ? state.buffer(0, like: param) : nil
        switch param.dtype {
        case .float32:
            loom_sgd_f32(param.storage.pointer(Float.self), gradient.storage.pointer(Float.self),
                         buffer?.storage.pointer(Float.self), param.count, Float(group.weightDecay), Float(momentum),
                         Float(1 - dampening), nesterov ? 1 : 0, first ? 1 : 0, Float(-group.lr))
        case .float64:
            updateDouble(param, gradient, buffer, first: first, group: group)
        }
    }

    /// The Float64 update (the Float32 one is the C kernel `loom_sgd_f32`, same steps).
    private func updateDouble(_ param: Tensor, _ gradient: Tensor, _ buffer: Tensor?, first: Bool, group: ParamGroup) {
        let p = param.storage.pointer(Double.self), g = gradient.storage.pointer(Double.self)
        let decay = group.weightDecay, negLR = -group.lr, mu = momentum, keep = 1 - dampening
        let b = buffer?.storage.pointer(Double.self)
        for i in 0..<param.count {
            let gi = decay != 0 ? g[i] + decay * p[i] : g[i]
            var step = gi
            if let b {
                let bi = first ? gi : b[i] * mu + keep * gi
                b[i] = bi
                step = nesterov ? gi + mu * bi : bi
            }
            p[i] = p[i] + negLR * step
        }
    }
}
