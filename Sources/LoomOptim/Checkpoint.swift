import Foundation

/// A training checkpoint: model weights, optimizer state, scheduler position, epoch and random
/// state, in one safetensors file written atomically (temporary file + rename, so an
/// interrupted save leaves the previous checkpoint intact).
///
/// Layout: tensors `model.<name>` (the model's state dict with PyTorch names) and
/// `optimizer.state.<i>.<buffer>`; the header's `__metadata__` holds `loom.checkpoint`, a JSON
/// ``Checkpoint/Info`` with everything else (epoch, optimizer hyper-parameters and step counts,
/// scheduler state, the global generator's state and those of ``Dropout`` layers with their own
/// generator, and user metadata).
///
/// ```swift
/// try Checkpoint.save(to: url, model: model, optimizer: opt, scheduler: sched, epoch: epoch)
/// …
/// let epoch = try Checkpoint.load(from: url).restore(model: model, optimizer: opt, scheduler: sched)
/// ```
/// Restoring then training gives the same losses, bit for bit, as never having stopped.
public struct Checkpoint {
    /// Everything but the tensors; JSON.
    public struct Info: Codable, Equatable, Sendable {
        /// Format version (1).
        public var version: Int
        public var epoch: Int
        public var optimizer: OptimizerStateDict.Info?
        public var scheduler: SchedulerState?
        /// ``DefaultGenerator/state`` when saved.
        public var generatorState: [UInt64]
        /// States of ``Dropout`` layers' own generators by module path.
        public var layerGenerators: [String: [UInt64]]
        /// Generators the caller passed by name (a data loader's shuffling stream…).
        public var generators: [String: [UInt64]]
        /// Free-form user values (e.g. the best validation loss).
        public var metadata: [String: String]
    }

    public static let formatVersion = 1
    static let metadataKey = "loom.checkpoint"

    public var info: Info
    /// The model's state dict.
    public var model: [String: Tensor]
    /// The optimizer's buffers (`state.<i>.<buffer>`).
    public var optimizerTensors: [String: Tensor]

    public var epoch: Int { info.epoch }

    /// A generator passed to ``init(model:optimizer:scheduler:epoch:generators:metadata:)`` by name,
    /// in the state it had when the checkpoint was made.
    public func generator(_ name: String) -> Generator? { info.generators[name].map { Generator(state: $0) } }

    /// Captures the current training state (copies of the tensors).
    /// `generators` are further random streams the caller owns (say, the one shuffling batches);
    /// get them back with ``generator(_:)``.
    public init(model: Module, optimizer: Optimizer? = nil, scheduler: (any LearningRateScheduler)? = nil,
                epoch: Int, generators: [String: Generator] = [:], metadata: [String: String] = [:]) {
        let optimizerState = optimizer?.stateDict()
        var layerGenerators: [String: [UInt64]] = [:]
        for (path, m) in model.namedModules() {
            if let d = m as? Dropout, let g = d.generator { layerGenerators[path] = g.state }
        }
        info = Info(version: Checkpoint.formatVersion, epoch: epoch, optimizer: optimizerState?.info,
                    scheduler: scheduler?.stateDict(), generatorState: DefaultGenerator.state,
                    layerGenerators: layerGenerators, generators: generators.mapValues(\.state), metadata: metadata)
        self.model = model.stateDict().mapValues { t in withNoGrad { t.clone() } }
        optimizerTensors = optimizerState?.tensors ?? [:]
    }

    init(info: Info, model: [String: Tensor], optimizerTensors: [String: Tensor]) {
        self.info = info
        self.model = model
        self.optimizerTensors = optimizerTensors
    }

    // MARK: Files

    /// Encodes the checkpoint as safetensors bytes.
    public func encoded() throws -> Data {
        var tensors: [String: Tensor] = [:]
        for (k, t) in model { tensors["model." + k] = t }
        for (k, t) in optimizerTensors { tensors["optimizer." + k] = t }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // ReduceLROnPlateau's best value starts at ±∞, which plain JSON cannot hold.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = try encoder.encode(info)
        return Safetensors.encode(tensors, metadata: [Checkpoint.metadataKey: String(decoding: json, as: UTF8.self)])
    }

    /// Writes the checkpoint to `url` atomically.
    public func write(to url: URL) throws {
        let data = try encoded()
        do { try data.write(to: url, options: .atomic) } catch {
            throw CheckpointError.unwritable(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Saves the current training state to `url` in one call (atomically).
    public static func save(to url: URL, model: Module, optimizer: Optimizer? = nil,
                            scheduler: (any LearningRateScheduler)? = nil, epoch: Int,
                            generators: [String: Generator] = [:], metadata: [String: String] = [:]) throws {
        try Checkpoint(model: model, optimizer: optimizer, scheduler: scheduler, epoch: epoch, generators: generators,
                       metadata: metadata).write(to: url)
    }

    /// Reads a checkpoint written by ``write(to:)``. Corrupt or truncated files throw
    /// (``Safetensors/Error`` or ``CheckpointError``); nothing is restored yet.
    public static func load(from url: URL) throws -> Checkpoint {
        var meta: [String: String] = [:]
        let tensors = try Safetensors.read(url, metadata: &meta)
        return try decode(tensors, metadata: meta, path: url.path)
    }

    /// Decodes checkpoint bytes (see ``encoded()``).
    public static func decode(_ data: Data, path: String = "<memory>") throws -> Checkpoint {
        let (tensors, meta) = try Safetensors.decode(data, path: path)
        return try decode(tensors, metadata: meta, path: path)
    }

    private static func decode(_ tensors: [String: Tensor], metadata: [String: String], path: String) throws -> Checkpoint {
        guard let text = metadata[metadataKey] else {
            throw CheckpointError.notACheckpoint(path: path)
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let info: Info
        do { info = try decoder.decode(Info.self, from: Data(text.utf8)) } catch {
            throw CheckpointError.corrupt(path: path, detail: "unreadable \(metadataKey) metadata: \(error)")
        }
        guard info.version == formatVersion else {
            throw CheckpointError.unsupportedVersion(path: path, version: info.version)
        }
        guard info.epoch >= 0 else {
            throw CheckpointError.corrupt(path: path, detail: "epoch \(info.epoch) is negative")
        }
        guard info.generatorState.count == 4,
              info.layerGenerators.values.allSatisfy({ $0.count == 4 }), info.generators.values.allSatisfy({ $0.count == 4 }) else {
            throw CheckpointError.corrupt(path: path, detail: "a generator state does not have 4 words")
        }
        var model: [String: Tensor] = [:], optimizer: [String: Tensor] = [:]
        for (name, t) in tensors {
            if name.hasPrefix("model.") {
                model[String(name.dropFirst(6))] = t
            } else if name.hasPrefix("optimizer.") {
                optimizer[String(name.dropFirst(10))] = t
            } else {
                throw CheckpointError.corrupt(path: path, detail: "unexpected tensor '\(name)'")
            }
        }
        if !optimizer.isEmpty && info.optimizer == nil {
            throw CheckpointError.corrupt(path: path, detail: "optimizer tensors without optimizer state")
        }
        return Checkpoint(info: info, model: model, optimizerTensors: optimizer)
    }

    // MARK: Restoring

    /// Puts the saved state back: model weights (in place), optimizer state, scheduler position,
    /// the global generator and the layers' own generators. Returns the saved epoch.
    /// Everything is checked before anything changes: on error nothing is modified.
    @discardableResult
    public func restore(model target: Module, optimizer: Optimizer? = nil,
                        scheduler: (any LearningRateScheduler)? = nil) throws -> Int {
        // Validate every part first.
        let optimizerState = info.optimizer.map { OptimizerStateDict(info: $0, tensors: optimizerTensors) }
        if optimizer != nil && optimizerState == nil { throw CheckpointError.missingPart("optimizer") }
        if scheduler != nil && info.scheduler == nil { throw CheckpointError.missingPart("scheduler") }
        if let optimizer, let optimizerState { try optimizer.validate(optimizerState) }
        if let scheduler, let state = info.scheduler { try scheduler.validate(state) }
        let dropouts = Dictionary(uniqueKeysWithValues: target.namedModules().compactMap { path, m in
            (m as? Dropout).map { (path, $0) }
        })
        for path in info.layerGenerators.keys where dropouts[path] == nil {
            throw CheckpointError.missingPart("dropout layer '\(path)'")
        }
        try target.loadStateDict(model)          // validates everything before copying
        if let optimizer, let optimizerState { try optimizer.loadStateDict(optimizerState) }
        if let scheduler, let state = info.scheduler { try scheduler.loadStateDict(state) }
        DefaultGenerator.state = info.generatorState
        for (path, state) in info.layerGenerators { dropouts[path]!.generator = Generator(state: state) }
        return info.epoch
    }
}

/// Why a checkpoint could not be read or restored.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case notACheckpoint(path: String)
    case unsupportedVersion(path: String, version: Int)
    case corrupt(path: String, detail: String)
    case missingPart(String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notACheckpoint(let p):
            return "\(p): a safetensors file but not a Loom checkpoint (no \(Checkpoint.metadataKey) metadata); use Module.load(from:) for weights only"
        case .unsupportedVersion(let p, let v):
            return "\(p): checkpoint format version \(v); this Loom reads version \(Checkpoint.formatVersion)"
        case .corrupt(let p, let d): return "\(p): corrupt checkpoint: \(d)"
        case .missingPart(let what): return "checkpoint: it does not contain the \(what) asked to restore"
        case .unwritable(let p, let r): return "\(p): cannot write checkpoint: \(r)"
        }
    }
}
