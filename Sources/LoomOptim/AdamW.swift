/// Adam with decoupled weight decay (Loshchilov & Hutter), with `torch.optim.AdamW`'s exact
/// update and defaults (note the default weight decay 1e-2).
///
/// Each step first shrinks the parameter, then applies the ``Adam`` update without an L2 term:
///
///     θ ← θ (1 − γ λ)
///     θ ← Adam(θ, g)                  (m, v, bias correction, AMSGrad as in Adam)
public final class AdamW: Adam {
    public convenience init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad)
    }

    /// An optimizer over several parameter groups (per-group lr and weight decay).
    public override init(_ groups: [ParamGroup], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                         eps: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false) {
        super.init(groups: groups, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                   decoupledWeightDecay: true)
    }
}
