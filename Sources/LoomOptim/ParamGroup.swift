/// A set of parameters that share a learning rate and weight decay (PyTorch's `param_groups`
/// entries). Options left nil take the optimizer's values when the optimizer is created:
///
/// ```swift
/// let opt = SGD([ParamGroup(model.encoder.parameters()),
///                ParamGroup(model.head.parameters(), lr: 1e-2, weightDecay: 0)],
///               lr: 1e-3, momentum: 0.9, weightDecay: 1e-4)
/// opt.paramGroups[1].lr                 // 0.01
/// ```
/// Schedulers change `lr` of every group; other options are per optimizer.
public struct ParamGroup {
    public var params: [Tensor]
    /// Learning rate of this group (resolved to the optimizer's `lr` when not given).
    public var lr: Double
    /// L2 penalty (decoupled decay for ``AdamW``) of this group.
    public var weightDecay: Double
    /// Which options were given explicitly (the others are filled in by the optimizer).
    let givenLR: Bool, givenWeightDecay: Bool

    public init(_ params: [Tensor], lr: Double? = nil, weightDecay: Double? = nil) {
        self.params = params
        self.lr = lr ?? 0
        self.weightDecay = weightDecay ?? 0
        givenLR = lr != nil
        givenWeightDecay = weightDecay != nil
    }

    /// PyTorch's keyword spelling (`{"params": …, "lr": …}`).
    public init(params: [Tensor], lr: Double? = nil, weightDecay: Double? = nil) {
        self.init(params, lr: lr, weightDecay: weightDecay)
    }

    /// This group with the optimizer's defaults filled in where no value was given.
    func resolved(lr defaultLR: Double, weightDecay defaultWeightDecay: Double) -> ParamGroup {
        var g = self
        if !givenLR { g.lr = defaultLR }
        if !givenWeightDecay { g.weightDecay = defaultWeightDecay }
        return g
    }
}
