import Foundation
import LoomOptim
import Synchronization

/// Periodic checkpoints for the task trainers (``Forecaster``, ``CharLanguageModel``).
public struct CheckpointPolicy: Sendable {
    /// Where the checkpoint lives (written atomically, replaced each time).
    public var url: URL
    /// Save after every `every` epochs (and when interrupted).
    public var every: Int
    /// Continue from `url` when it exists.
    public var resume: Bool

    public init(url: URL, every: Int, resume: Bool = false) {
        precondition(every > 0, "CheckpointPolicy: every must be positive, got \(every)")
        self.url = url
        self.every = every
        self.resume = resume
    }
}

/// Why training stopped early.
public enum TrainingStop: Error, CustomStringConvertible, Equatable {
    /// Ctrl-C (SIGINT) or ``Interruption/request()`` during `epoch`: when checkpointing is
    /// configured, the state from the start of that epoch was written (resuming repeats it).
    case interrupted(epoch: Int, checkpoint: String?)
    /// The checkpoint to resume from belongs to another configuration.
    case incompatibleCheckpoint(path: String, reason: String)

    public var description: String {
        switch self {
        case .interrupted(let epoch, let path):
            return "interrupted during epoch \(epoch)"
                + (path.map { "; the state before it is saved to \($0) (continue with --resume, which repeats epoch \(epoch))" } ?? "")
        case .incompatibleCheckpoint(let path, let reason):
            return "\(path): cannot resume from this checkpoint: \(reason)"
        }
    }
}

/// A request to stop training cleanly: process-wide (what the SIGINT handler sets), or scoped to
/// the trainings run inside ``withScopedRequests(_:)``.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)

    /// The request flag of one ``withScopedRequests(_:)`` call.
    private final class ScopedFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    @TaskLocal private static var scoped: ScopedFlag?

    /// True once an interruption was requested for the process, or inside the current scope.
    public static var isRequested: Bool {
        flag.load(ordering: .relaxed) || (scoped?.value.load(ordering: .relaxed) ?? false)
    }

    /// Requests a stop: inside ``withScopedRequests(_:)`` of the trainings in that scope only,
    /// elsewhere of every training in the process.
    public static func request() {
        if let scoped { scoped.value.store(true, ordering: .relaxed) } else { flag.store(true, ordering: .relaxed) }
    }

    /// Clears a request (of the current scope, or the process-wide one outside any scope).
    public static func reset() {
        if let scoped { scoped.value.store(false, ordering: .relaxed) } else { flag.store(false, ordering: .relaxed) }
    }

    /// Runs `body` with requests of its own: a ``request()`` made inside stops the trainings
    /// inside (and on its thread's task), not others running at the same time — for tests and
    /// processes that train several models at once. A process-wide request (Ctrl-C) still
    /// stops them too.
    public static func withScopedRequests<R>(_ body: () throws -> R) rethrows -> R {
        try $scoped.withValue(ScopedFlag()) { try body() }
    }

    /// Turns Ctrl-C (SIGINT) and SIGTERM — what `timeout`, systemd, batch schedulers and
    /// `mpirun` send before killing — into a request: training finishes its current step, saves a
    /// checkpoint when one is configured and stops with
    /// ``TrainingStop/interrupted(epoch:checkpoint:)``. A second signal terminates immediately.
    /// (The handler touches only the process-wide flag.) Both signals are also unblocked on the
    /// calling thread: a process started with them blocked (test runners and some launchers pass
    /// their signal mask on to the programs they start) would otherwise never see them.
    public static func installSignalHandler() {
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                if Interruption.flag.load(ordering: .relaxed) { _exit(130) }
                Interruption.flag.store(true, ordering: .relaxed)
            }
        }
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

/// The resumable part of a training loop: restores a checkpoint, saves one every N epochs and
/// on interruption. `extra` carries loop-specific JSON (e.g. the loss history).
///
/// Checkpoints hold epoch boundaries only. An interruption mid-epoch writes the state from the
/// start of that epoch, kept in memory by ``runEpochs(_:loader:generator:trainEpoch:report:)``
/// (a copy of the weights, optimizer state and generators per epoch, made only when
/// checkpointing): the weights after some of the epoch's steps, stored with the epoch-start
/// shuffle, would make the resumed run train on those batches twice.
struct CheckpointedLoop {
    let policy: CheckpointPolicy?
    let model: Module
    let optimizer: Optimizer
    let configJSON: String
    /// The state at the start of the running epoch (nil outside ``runEpochs`` or without a policy).
    let epochStart = EpochStart()

    final class EpochStart {
        var checkpoint: Checkpoint?
    }

    /// Restores the last checkpoint when resuming: returns the completed epoch count, the
    /// restored generators and the saved history (nothing when starting fresh).
    func restore(generatorNames: [String]) throws -> (epoch: Int, generators: [String: Generator], history: [Double]) {
        guard let policy, policy.resume, FileManager.default.fileExists(atPath: policy.url.path) else { return (0, [:], []) }
        let checkpoint = try Checkpoint.load(from: policy.url)
        guard checkpoint.info.metadata["loom.config"] == configJSON else {
            throw TrainingStop.incompatibleCheckpoint(path: policy.url.path, reason: "it was written with a different configuration")
        }
        let epoch = try checkpoint.restore(model: model, optimizer: optimizer)
        var generators: [String: Generator] = [:]
        for name in generatorNames { generators[name] = checkpoint.generator(name) }
        let history = checkpoint.info.metadata["loom.history"].flatMap { try? JSONDecoder().decode([Double].self, from: Data($0.utf8)) } ?? []
        return (epoch, generators, history)
    }

    /// The current state as a checkpoint of `epoch` completed epochs (copies of the tensors).
    func capture(epoch: Int, generators: [String: Generator], history: [Double]) throws -> Checkpoint {
        let historyJSON = String(decoding: try JSONEncoder().encode(history), as: UTF8.self)
        return Checkpoint(model: model, optimizer: optimizer, epoch: epoch, generators: generators,
                          metadata: ["loom.config": configJSON, "loom.history": historyJSON])
    }

    func save(epoch: Int, generators: [String: Generator], history: [Double]) throws {
        guard let policy else { return }
        try capture(epoch: epoch, generators: generators, history: history).write(to: policy.url)
    }

    /// When an interruption was requested (checked before each step): writes the state from the
    /// start of `epoch` — weights, optimizer, generators and history as they were before its
    /// first step, so resuming repeats the epoch exactly — and stops training.
    func stopIfInterrupted(epoch: Int) throws {
        guard Interruption.isRequested else { return }
        var path: String? = nil
        if let policy, let snapshot = epochStart.checkpoint {
            try snapshot.write(to: policy.url)
            path = policy.url.path
        }
        throw TrainingStop.interrupted(epoch: epoch, checkpoint: path)
    }

    /// The form ``Forecaster/fit(_:checkpointing:onEpoch:)`` calls; the arguments are no longer
    /// needed (the epoch-start state is kept by ``runEpochs``). Same as ``stopIfInterrupted(epoch:)``.
    func stopIfInterrupted(epoch: Int, loaderAtEpochStart: Generator?, history: [Double]) throws {
        try stopIfInterrupted(epoch: epoch)
    }

    func saveIfDue(epoch: Int, generators: [String: Generator], history: [Double]) throws {
        guard let policy, epoch % policy.every == 0 else { return }
        try save(epoch: epoch, generators: generators, history: history)
    }

    /// The epoch loop of the trainers: restores a checkpoint (the loader's generator and the
    /// history), then trains epochs `restored + 1 … epochs` in training mode with subnormals
    /// flushed. Before each epoch, with a policy, the state is kept for an interruption.
    /// `trainEpoch(epoch, loaderAtEpochStart, history)` runs one epoch (calling
    /// `stopIfInterrupted` per step and checking the weights) and returns its value (mean loss,
    /// perplexity), which joins the history before a due checkpoint is saved; then
    /// `report(epoch, history, seconds)` returns whether to go on. Leaves the model in evaluation
    /// mode and returns the history.
    func runEpochs<Loader: AnyObject>(_ epochs: Int, loader: Loader, generator: ReferenceWritableKeyPath<Loader, Generator?>,
                                      trainEpoch: (Int, Generator?, [Double]) throws -> Double,
                                      report: (Int, [Double], Double) -> Bool) throws -> [Double] {
        let restored = try restore(generatorNames: ["loader"])
        if let g = restored.generators["loader"] { loader[keyPath: generator] = g }
        var history = restored.history
        model.train()
        try Denormals.flushingToZero {
            var epoch = restored.epoch
            while epoch < epochs {
                epoch += 1
                if policy != nil {
                    epochStart.checkpoint = try capture(epoch: epoch - 1, generators: loader[keyPath: generator].map { ["loader": $0] } ?? [:],
                                                        history: history)
                }
                let start = DispatchTime.now().uptimeNanoseconds
                let value = try trainEpoch(epoch, loader[keyPath: generator], history)
                history.append(value)
                try saveIfDue(epoch: epoch, generators: loader[keyPath: generator].map { ["loader": $0] } ?? [:], history: history)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if !report(epoch, history, seconds) { break }
            }
        }
        epochStart.checkpoint = nil
        model.eval()
        return history
    }
}
