import Foundation

/// The base class of the epoch-based learning-rate schedules (PyTorch's `LRScheduler`).
///
/// A scheduler remembers each group's learning rate when it is created (`baseLRs`) and, on
/// every ``step()``, sets each group's `lr` to ``learningRate(epoch:base:)`` of the new epoch.
/// Like PyTorch, creating a scheduler already performs the step to epoch 0 (so `LinearLR` starts
/// at its start factor). Call ``step()`` once per epoch (or per batch), after `optimizer.step()`.
///
/// Deviation from PyTorch: schedules are evaluated in closed form from `baseLRs` (PyTorch's
/// `_get_closed_form_lr`), not recursively from the current `lr`; the values are the same up to
/// rounding in the last bits, but a learning rate changed by hand between steps is overwritten
/// rather than compounded, and schedulers do not chain by multiplying into each other.
open class LRScheduler {
    public let optimizer: Optimizer
    /// Each group's learning rate when the scheduler was created (`initial_lr`).
    public private(set) var baseLRs: [Double]
    /// The epoch the current learning rates belong to (0 after creation).
    public private(set) var lastEpoch: Int = -1

    public init(optimizer: Optimizer) {
        self.optimizer = optimizer
        baseLRs = optimizer.paramGroups.map(\.lr)
    }

    /// Call at the end of a subclass's init: the step to epoch 0.
    public func initialStep() { step() }

    /// The schedule: the learning rate of a group with initial rate `base` at `epoch` ≥ 0.
    open func learningRate(epoch: Int, base: Double) -> Double { base }

    /// Advances one epoch and sets every group's learning rate.
    public func step() {
        lastEpoch += 1
        apply()
    }

    private func apply() {
        precondition(baseLRs.count == optimizer.paramGroups.count,
                     "\(Self.self): the optimizer has \(optimizer.paramGroups.count) groups, the scheduler was made for \(baseLRs.count)")
        for g in optimizer.paramGroups.indices {
            optimizer.paramGroups[g].lr = learningRate(epoch: lastEpoch, base: baseLRs[g])
        }
    }

    /// The learning rates set by the last step, one per group (`get_last_lr()`).
    public var lastLR: [Double] { optimizer.paramGroups.map(\.lr) }

    /// The scheduler's position as data (for checkpoints).
    open func stateDict() -> SchedulerState {
        SchedulerState(kind: String(describing: type(of: self)), lastEpoch: lastEpoch, baseLRs: baseLRs)
    }

    /// Restores a position saved by ``stateDict()`` and sets the learning rates of that epoch.
    open func loadStateDict(_ state: SchedulerState) throws {
        try validate(state)
        baseLRs = state.baseLRs
        lastEpoch = state.lastEpoch
        apply()
    }
}

extension LRScheduler {
    /// Throws unless ``loadStateDict(_:)`` would succeed; changes nothing.
    public func validate(_ state: SchedulerState) throws {
        try state.validate(kind: String(describing: type(of: self)), groups: optimizer.paramGroups.count)
    }
}

/// A scheduler's position, JSON-encodable (for checkpoints).
public struct SchedulerState: Codable, Equatable, Sendable {
    /// The scheduler's class (`StepLR`).
    public var kind: String
    public var lastEpoch: Int
    public var baseLRs: [Double]
    /// Further numbers a scheduler keeps (``ReduceLROnPlateau``'s best value and counters).
    public var values: [String: Double] = [:]

    /// Checks what every scheduler needs (a state read from a file may hold anything): the kind,
    /// one base rate per group, rates finite and ≥ 0, and an epoch from −1 up to 2⁵³ (so stepping
    /// on cannot overflow).
    func validate(kind expected: String, groups: Int) throws(SchedulerStateError) {
        guard kind == expected else { throw .kindMismatch(expected: expected, found: kind) }
        guard baseLRs.count == groups else { throw .groupMismatch(expected: groups, found: baseLRs.count) }
        guard (-1...(1 << 53)).contains(lastEpoch) else {
            throw .invalidValue(name: "lastEpoch", value: Double(lastEpoch), expected: "an epoch from -1 to 2^53")
        }
        for (g, lr) in baseLRs.enumerated() where !(lr.isFinite && lr >= 0) {
            throw .invalidValue(name: "baseLRs[\(g)]", value: lr, expected: "a finite learning rate ≥ 0")
        }
    }
}

/// Why a scheduler state could not be loaded.
public enum SchedulerStateError: Error, CustomStringConvertible, Equatable {
    case kindMismatch(expected: String, found: String)
    case groupMismatch(expected: Int, found: Int)
    case missingValue(String)
    case invalidValue(name: String, value: Double, expected: String)

    public var description: String {
        switch self {
        case .invalidValue(let name, let value, let expected):
            return "scheduler state: '\(name)' is \(value), expected \(expected)"
        case .kindMismatch(let e, let f): return "scheduler state: saved by \(f), cannot load into \(e)"
        case .groupMismatch(let e, let f): return "scheduler state: saved for \(f) parameter groups, the optimizer has \(e)"
        case .missingValue(let k): return "scheduler state: missing value '\(k)'"
        }
    }
}

/// What every learning-rate scheduler offers, epoch-based (``LRScheduler``) or metric-based
/// (``ReduceLROnPlateau``): the optimizer it drives, the current rates, and its state for
/// checkpoints.
public protocol LearningRateScheduler: AnyObject {
    var optimizer: Optimizer { get }
    var lastLR: [Double] { get }
    func stateDict() -> SchedulerState
    /// Throws unless ``loadStateDict(_:)`` would succeed; changes nothing.
    func validate(_ state: SchedulerState) throws
    func loadStateDict(_ state: SchedulerState) throws
}

extension LRScheduler: LearningRateScheduler {}
extension ReduceLROnPlateau: LearningRateScheduler {}
