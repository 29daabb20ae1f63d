import CLoomKernels

/// RMSprop (Hinton) with optional momentum and centering, with `torch.optim.RMSprop`'s exact
/// update and defaults.
///
/// For each parameter θ with gradient g (γ lr, α smoothing, λ weight decay, μ momentum, ε eps):
///
///     g ← g + λ θ                                  if λ ≠ 0
///     s ← α s + (1 − α) g²
///     ḡ ← ḡ + (1 − α)(g − ḡ)                       (centered)
///     d ← √(s − ḡ²) + ε   (centered)   or   √s + ε
///     b ← μ b + g / d;  θ ← θ − γ b               if μ > 0
///     θ ← θ − γ g / d                              otherwise
///
/// State per parameter: `square_avg` (s), `momentum_buffer` (b, μ > 0), `grad_avg` (ḡ, centered).
public final class RMSprop: Optimizer {
    public var alpha: Double
    public var eps: Double
    public var momentum: Double
    public var centered: Bool

    public convenience init(_ params: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
                            weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay,
                  momentum: momentum, centered: centered)
    }

    /// An optimizer over several parameter groups (per-group lr and weight decay).
    public init(_ groups: [ParamGroup], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false) {
        precondition(alpha >= 0, "RMSprop: invalid alpha \(alpha) (must be ≥ 0)")
        precondition(eps >= 0, "RMSprop: invalid epsilon \(eps) (must be ≥ 0)")
        precondition(momentum >= 0, "RMSprop: invalid momentum \(momentum) (must be ≥ 0)")
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.centered = centered
        super.init(groups: groups, lr: lr, weightDecay: weightDecay)
    }

    public override var stateNames: [String] { ["square_avg", "momentum_buffer", "grad_avg"] }

    public override var options: [String: Double] {
        get { ["alpha": alpha, "eps": eps, "momentum": momentum, "centered": centered ? 1 : 0] }
        set {
            alpha = newValue["alpha"] ?? alpha
            eps = newValue["eps"] ?? eps
            momentum = newValue["momentum"] ?? momentum
            centered = (newValue["centered"] ?? (centered ? 1 : 0)) != 0
        }
    }

    public override func update(_ param: Tensor, gradient: Tensor, state: ParamState, group: ParamGroup) {
        let square = state.buffer(0, like: param)
        let buffer = momentum > 0 ? state.buffer(1, like: param) : nil
        let gradAvg = centered ? state.buffer(2, like: param) : nil
        switch param.dtype {
        case .float32:
            loom_rmsprop_f32(param.storage.pointer(Float.self), gradient.storage.pointer(Float.self),
                             square.storage.pointer(Float.self), buffer?.storage.pointer(Float.self),
                             gradAvg?.storage.pointer(Float.self), param.count, Float(group.weightDecay), Float(alpha),
                             Float(1 - alpha), Float(eps), Float(momentum), Float(-group.lr))
        case .float64:
            let p = param.storage.pointer(Double.self), g = gradient.storage.pointer(Double.self)
            let s = square.storage.pointer(Double.self)
            let b = buffer?.storage.pointer(Double.self), ga = gradAvg?.storage.pointer(Double.self)
            let decay = group.weightDecay, lr = group.lr
            for i in 0..<param.count {
                let gi = decay != 0 ? g[i] + decay * p[i] : g[i]
                let si = s[i] * alpha + (1 - alpha) * gi * gi
                s[i] = si
                var d = si.squareRoot() + eps
                if let ga {
                    let gai = ga[i] + (1 - alpha) * (gi - ga[i])
                    ga[i] = gai
                    d = (si - gai * gai).squareRoot() + eps
                }
                if let b {
                    b[i] = b[i] * momentum + gi / d
                    p[i] = p[i] - lr * b[i]
                } else {
                    p[i] = p[i] + (-lr * gi) / d
                }
            }
        }
    }
}
