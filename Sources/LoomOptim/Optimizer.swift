/// The base class of Loom's optimizers (PyTorch's `torch.optim.Optimizer`).
///
/// An optimizer holds parameter groups and one ``ParamState`` per parameter. ``step()`` applies
/// one update to every parameter that has a gradient, in place on the parameter's storage (so
/// modules holding the tensor see it); parameters without a gradient are skipped and get no
/// state, as in PyTorch. Subclasses implement ``update(_:gradient:state:group:)`` with a
/// loop over raw Float/Double storage: no allocation per element, none per step after the first.
open class Optimizer {
    /// The parameter groups. Changing them (a learning rate, or the parameters themselves) keeps
    /// the state of every parameter that stays.
    public var paramGroups: [ParamGroup] {
        didSet { reconcileState() }
    }

    /// The optimizer's default learning rate and weight decay (for groups added later).
    public let defaultLR: Double
    public let defaultWeightDecay: Double

    /// State per group and parameter, parallel to `paramGroups`.
    @exclusivity(unchecked) var states: [[ParamState?]] = []
    /// The parameter identities `states` was built for.
    private var stateOwners: [[ObjectIdentifier]] = []

    /// Creates an optimizer over `groups`; options a group leaves nil take `lr`/`weightDecay`.
    public init(groups: [ParamGroup], lr: Double, weightDecay: Double) {
        precondition(lr >= 0, "\(Self.self): invalid learning rate \(lr) (must be ≥ 0)")
        precondition(weightDecay >= 0, "\(Self.self): invalid weightDecay \(weightDecay) (must be ≥ 0)")
        defaultLR = lr
        defaultWeightDecay = weightDecay
        paramGroups = groups.map { $0.resolved(lr: lr, weightDecay: weightDecay) }
        reconcileState()
    }

    // MARK: Subclass interface

    /// PyTorch's class name, stored in state dicts (`Adam`, `SGD`).
    open var kind: String { String(describing: type(of: self)) }

    /// Names of the per-parameter buffers by slot, as PyTorch names them in `state_dict()`.
    open var stateNames: [String] { [] }

    /// The optimizer-wide options (PyTorch's per-group keys other than lr and weight_decay),
    /// as numbers (booleans 0/1), for state dicts.
    open var options: [String: Double] {
        get { [:] }
        set {}
    }

    /// Applies one update to `param` given its gradient. `state.step` was already incremented.
    open func update(_ param: Tensor, gradient: Tensor, state: ParamState, group: ParamGroup) {
        preconditionFailure("\(kind) must override update(_:gradient:state:group:)")
    }

    // MARK: Training-loop API

    /// Performs one optimization step on every parameter that has a gradient.
    public func step() {
        for g in paramGroups.indices {
            let group = paramGroups[g]
            for (i, param) in group.params.enumerated() {
                guard let grad = param.grad else { continue }
                precondition(grad.shape == param.shape && grad.dtype == param.dtype,
                             "\(kind).step(): gradient \(grad.shape) \(grad.dtype) does not match parameter \(param.shape) \(param.dtype)")
                let state: ParamState
                if let s = states[g][i] {
                    state = s
                } else {
                    state = ParamState(slots: stateNames.count)
                    states[g][i] = state
                }
                state.step += 1
                update(param, gradient: grad, state: state, group: group)
            }
        }
    }

    /// Performs one step after evaluating `closure` (which recomputes the loss and gradients),
    /// returning its loss, like `optimizer.step(closure)`.
    @discardableResult
    public func step(_ closure: () -> Tensor) -> Tensor {
        let loss = withGrad(closure)
        step()
        return loss
    }

    /// Clears every parameter's gradient (sets it to nil: PyTorch's default `set_to_none=True`).
    /// With `setToNone: false` the gradients are zero-filled in place instead.
    public func zeroGrad(setToNone: Bool = true) {
        for group in paramGroups {
            for p in group.params {
                if setToNone { p.grad = nil } else { p.grad?.zero() }
            }
        }
    }

    /// Adds a group; options it leaves nil take the optimizer's defaults.
    public func addParamGroup(_ group: ParamGroup) {
        paramGroups.append(group.resolved(lr: defaultLR, weightDecay: defaultWeightDecay))
    }

    /// The state of `param` (nil before its first update).
    public func state(of param: Tensor) -> ParamState? {
        let id = ObjectIdentifier(param)
        for (g, owners) in stateOwners.enumerated() {
            if let i = owners.firstIndex(of: id) { return states[g][i] }
        }
        return nil
    }

    /// Every parameter, in group order (the numbering of state dicts).
    public var allParameters: [Tensor] { paramGroups.flatMap(\.params) }

    // MARK: State bookkeeping

    /// Rebuilds `states` after `paramGroups` changed, keeping the state of parameters that stay.
    private func reconcileState() {
        let owners = paramGroups.map { $0.params.map(ObjectIdentifier.init) }
        if owners == stateOwners { return }
        let all = owners.flatMap { $0 }
        precondition(Set(all).count == all.count,
                     "\(kind): some parameters appear in more than one parameter group (or twice in one)")
        var previous: [ObjectIdentifier: ParamState] = [:]
        for (g, ids) in stateOwners.enumerated() {
            for (i, id) in ids.enumerated() { if let s = states[g][i] { previous[id] = s } }
        }
        states = owners.map { ids in ids.map { previous[$0] } }
        stateOwners = owners
    }
}
