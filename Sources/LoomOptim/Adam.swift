import CLoomKernels

/// Adam (Kingma & Ba) with bias correction and the AMSGrad option, with `torch.optim.Adam`'s
/// update and defaults (in Float32 on AVX-512 its two divisions are refined reciprocals, within
/// 2 ulp; elsewhere the same operations as PyTorch).
///
/// For each parameter θ with gradient g at step t (γ lr, β₁ β₂ betas, λ weight decay, ε eps):
///
///     g ← g + λ θ                                   if λ ≠ 0 (L2 penalty; see AdamW for decoupled)
///     m ← m + (1 − β₁)(g − m)                       (= β₁ m + (1 − β₁) g)
///     v ← β₂ v + (1 − β₂) g²
///     v̂ ← max(v̂, v)                                 (AMSGrad; the denominator uses v̂)
///     θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// State per parameter: `exp_avg` (m), `exp_avg_sq` (v), `max_exp_avg_sq` (v̂, AMSGrad only).
public class Adam: Optimizer {
    @exclusivity(unchecked) public var betas: (Double, Double)
    @exclusivity(unchecked) public var eps: Double
    @exclusivity(unchecked) public var amsgrad: Bool
    /// True for AdamW: weight decay shrinks θ by (1 − γλ) instead of adding λθ to g.
    let decoupledWeightDecay: Bool

    public convenience init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad)
    }

    /// An optimizer over several parameter groups (per-group lr and weight decay).
    public init(_ groups: [ParamGroup], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false) {
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        decoupledWeightDecay = false
        super.init(groups: groups, lr: lr, weightDecay: weightDecay)
        validate()
    }

    init(groups: [ParamGroup], lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double,
         amsgrad: Bool, decoupledWeightDecay: Bool) {
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.decoupledWeightDecay = decoupledWeightDecay
        super.init(groups: groups, lr: lr, weightDecay: weightDecay)
        validate()
    }

    private func validate() {
        precondition(eps >= 0, "\(kind): invalid epsilon \(eps) (must be ≥ 0)")
        precondition(betas.0 >= 0 && betas.0 < 1, "\(kind): invalid beta parameter at index 0: \(betas.0) (must be in [0, 1))")
        precondition(betas.1 >= 0 && betas.1 < 1, "\(kind): invalid beta parameter at index 1: \(betas.1) (must be in [0, 1))")
    }

    public override var stateNames: [String] { ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] }

    public override var options: [String: Double] {
        get { ["beta1": betas.0, "beta2": betas.1, "eps": eps, "amsgrad": amsgrad ? 1 : 0] }
        set {
            betas = (newValue["beta1"] ?? betas.0, newValue["beta2"] ?? betas.1)
            eps = newValue["eps"] ?? eps
            amsgrad = (newValue["amsgrad"] ?? (amsgrad ? 1 : 0)) != 0
        }
    }

    /// The last step's bias corrections: the parameters of a step share its step count, and two
    /// `pow` calls per parameter were ~6% of a small model's optimizer step.
    @exclusivity(unchecked) private var cachedCorrections: (step: Int, beta1: Double, beta2: Double, c1: Double, c2Sqrt: Double)?

    /// 1 − β₁ᵗ and √(1 − β₂ᵗ) for step t, as PyTorch forms them (in Double).
    private func biasCorrections(step: Int) -> (Double, Double) {
        let (beta1, beta2) = betas
        if let c = cachedCorrections, c.step == step, c.beta1 == beta1, c.beta2 == beta2 { return (c.c1, c.c2Sqrt) }
        let t = Double(step)
        let c1 = 1 - Double.pow(beta1, t), c2Sqrt = (1 - Double.pow(beta2, t)).squareRoot()
        cachedCorrections = (step, beta1, beta2, c1, c2Sqrt)
        return (c1, c2Sqrt)
    }

    public override func update(_ param: Tensor, gradient: Tensor, state: ParamState, group: ParamGroup) {
        let m = state.buffer(0, like: param), v = state.buffer(1, like: param)
        let vMax = amsgrad ? state.buffer(2, like: param) : nil
        let (beta1, beta2) = betas
        let lr = group.lr, weightDecay = group.weightDecay
        // Scalars are formed in Double and rounded once to the parameter's type, as PyTorch does
        // with Python floats.
        let (biasCorrection1, biasCorrection2Sqrt) = biasCorrections(step: state.step)
        let shrink = decoupledWeightDecay ? 1 - lr * weightDecay : 1
        let l2 = decoupledWeightDecay ? 0 : weightDecay
        let negStepSize = -(lr / biasCorrection1)
        switch param.dtype {
        case .float32:
            loom_adam_f32(param.storage.pointer(Float.self), gradient.storage.pointer(Float.self),
                          m.storage.pointer(Float.self), v.storage.pointer(Float.self), vMax?.storage.pointer(Float.self),
                          param.count, Float(shrink), Float(l2), Float(1 - beta1), Float(beta2), Float(1 - beta2),
                          Float(negStepSize), Float(biasCorrection2Sqrt), Float(eps))
        case .float64:
            let p = param.storage.pointer(Double.self), g = gradient.storage.pointer(Double.self)
            let mp = m.storage.pointer(Double.self), vp = v.storage.pointer(Double.self)
            let vm = vMax?.storage.pointer(Double.self)
            for i in 0..<param.count {
                let pi = p[i] * shrink
                let gi = l2 != 0 ? g[i] + l2 * pi : g[i]
                let mi = mp[i] + (1 - beta1) * (gi - mp[i])
                let vi = vp[i] * beta2 + (1 - beta2) * gi * gi
                mp[i] = mi
                vp[i] = vi
                var vh = vi
                if let vm {
                    vh = Swift.max(vm[i], vi)
                    vm[i] = vh
                }
                p[i] = pi + negStepSize * mi / (vh.squareRoot() / biasCorrection2Sqrt + eps)
            }
        }
    }
}
