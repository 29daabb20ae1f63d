// Fuzzes the checkpoint loader: `Checkpoint.decode` then `restore(model:optimizer:scheduler:)`
// into a fresh model, optimizer and scheduler, then one more training step. Every input must
// either throw one of the loader's typed errors, or restore a state that trains without a crash.
//
// Two kinds of input:
// - starting with `{`: the `loom.checkpoint` JSON alone; the harness wraps it in a checkpoint
//   file with valid tensors for the optimizer it names, so mutations reach the JSON checks;
// - anything else: a whole checkpoint file (safetensors).
//
// `FuzzCheckpoint --write-seeds DIR` writes real checkpoints and their JSON as seeds;
// `FuzzCheckpoint --wrap IN.json OUT.ckpt` turns a JSON input into the file the harness tests.
import Foundation
import FuzzDriver
import LoomNN
import LoomOptim
import LoomTensor

/// The model every checkpoint is restored into: an MLP whose dropout has its own generator.
func makeModel() -> Sequential {
    Sequential(Linear(2, 3), Tanh(), Dropout(p: 0.5, generator: Generator(seed: 1)), Linear(3, 1))
}

let optimizerKinds = ["Adam", "AdamW", "SGD", "RMSprop"]
let schedulerKinds = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "LinearWarmup",
                      "ReduceLROnPlateau"]

func makeOptimizer(_ kind: String, _ model: Module) -> Optimizer {
    let params = model.parameters()
    switch kind {
    case "AdamW": return AdamW(params, lr: 0.01)
    case "SGD": return SGD(params, lr: 0.1, momentum: 0.9)
    case "RMSprop": return RMSprop(params, lr: 0.01)
    default: return Adam(params, lr: 0.01)
    }
}

func makeScheduler(_ kind: String, _ optimizer: Optimizer) -> (any LearningRateScheduler)? {
    switch kind {
    case "StepLR": return StepLR(optimizer, stepSize: 2)
    case "MultiStepLR": return MultiStepLR(optimizer, milestones: [1, 3])
    case "ExponentialLR": return ExponentialLR(optimizer, gamma: 0.9)
    case "CosineAnnealingLR": return CosineAnnealingLR(optimizer, tMax: 4)
    case "LinearLR": return LinearLR(optimizer)
    case "LinearWarmup": return LinearWarmup(optimizer, warmupSteps: 3)
    case "ReduceLROnPlateau": return ReduceLROnPlateau(optimizer, patience: 1)
    default: return nil
    }
}

let inputs = Tensor(shape: [4, 2], scalars: [0.5, -1, 2, 0.25, -0.75, 1.5, 0, 1])
let targets = Tensor(shape: [4, 1], scalars: [1, -1, 0.5, 0])

/// One training step and one scheduler step.
func trainStep(_ model: Sequential, _ optimizer: Optimizer, _ scheduler: (any LearningRateScheduler)?) {
    optimizer.zeroGrad()
    let loss = mseLoss(model(inputs), targets)
    loss.backward()
    optimizer.step()
    if let plateau = scheduler as? ReduceLROnPlateau {
        plateau.step(loss.doubleItem())
    } else if let epochs = scheduler as? LRScheduler {
        epochs.step()
    }
}

/// A real checkpoint after two steps, for seeds and for wrapping fuzzed JSON.
func referenceCheckpoint(optimizer kind: String, scheduler schedulerKind: String) -> Checkpoint {
    let model = makeModel()
    let optimizer = makeOptimizer(kind, model)
    let scheduler = makeScheduler(schedulerKind, optimizer)
    for _ in 0..<2 { trainStep(model, optimizer, scheduler) }
    return Checkpoint(model: model, optimizer: optimizer, scheduler: scheduler, epoch: 2,
                      generators: ["sampler": Generator(seed: 9)], metadata: ["note": "seed"])
}

/// Reference tensors per optimizer kind, built once.
nonisolated(unsafe) var referenceTensors: [String: [String: Tensor]] = [:]

func tensors(for kind: String) -> [String: Tensor] {
    if let cached = referenceTensors[kind] { return cached }
    let c = referenceCheckpoint(optimizer: kind, scheduler: "StepLR")
    var all: [String: Tensor] = [:]
    for (k, t) in c.model { all["model." + k] = t }
    for (k, t) in c.optimizerTensors { all["optimizer." + k] = t }
    referenceTensors[kind] = all
    return all
}

/// The value of `key` inside the JSON object at `path`, when the text parses.
func jsonString(_ text: Data, _ path: [String]) -> String? {
    var node = try? JSONSerialization.jsonObject(with: text)
    for key in path { node = (node as? [String: Any])?[key] }
    return node as? String
}

func isLoaderError(_ error: any Error) -> Bool {
    error is CheckpointError || error is Safetensors.Error || error is StateDictError
        || error is OptimizerStateError || error is SchedulerStateError
}

func check(_ data: Data) {
    let fileBytes: Data
    var optimizerKind = "Adam", schedulerKind = "StepLR"
    if data.first == UInt8(ascii: "{") {
        optimizerKind = jsonString(data, ["optimizer", "kind"]) ?? optimizerKind
        schedulerKind = jsonString(data, ["scheduler", "kind"]) ?? schedulerKind
        if !optimizerKinds.contains(optimizerKind) { optimizerKind = "Adam" }
        fileBytes = wrap(data)
    } else {
        fileBytes = data
    }
    let checkpoint: Checkpoint
    do {
        checkpoint = try Checkpoint.decode(fileBytes, path: "fuzz.ckpt")
    } catch {
        require(isLoaderError(error), "Checkpoint.decode threw an untyped error: \(error)")
        return
    }
    if let kind = checkpoint.info.optimizer?.kind, optimizerKinds.contains(kind) { optimizerKind = kind }
    if let kind = checkpoint.info.scheduler?.kind, schedulerKinds.contains(kind) { schedulerKind = kind }
    let model = makeModel()
    let optimizer = makeOptimizer(optimizerKind, model)
    let scheduler = makeScheduler(schedulerKind, optimizer)
    let before = model.stateDict().mapValues(\.scalars)
    do {
        let epoch = try checkpoint.restore(model: model, optimizer: checkpoint.info.optimizer == nil ? nil : optimizer,
                                           scheduler: checkpoint.info.scheduler == nil ? nil : scheduler)
        require(epoch == checkpoint.epoch, "restore returned another epoch")
    } catch {
        require(isLoaderError(error), "restore threw an untyped error: \(error)")
        require(model.stateDict().mapValues(\.scalars) == before, "a failed restore changed the model")
        return
    }
    _ = checkpoint.generator("sampler").map { var g = $0; return g.next() }
    trainStep(model, optimizer, scheduler)
}

func writeSeeds(to folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for kind in optimizerKinds {
        for schedulerKind in schedulerKinds {
            let c = referenceCheckpoint(optimizer: kind, scheduler: schedulerKind)
            let data = try c.encoded()
            try data.write(to: folder.appendingPathComponent("\(kind)-\(schedulerKind).ckpt"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try encoder.encode(c.info).write(to: folder.appendingPathComponent("\(kind)-\(schedulerKind).json"))
        }
    }
}

/// A checkpoint file with valid tensors for the optimizer `json` names and `json` as its metadata
/// (what the harness builds from a `{` input); for turning findings into regression files.
func wrap(_ json: Data) -> Data {
    let kind = jsonString(json, ["optimizer", "kind"]).flatMap { optimizerKinds.contains($0) ? $0 : nil } ?? "Adam"
    return Safetensors.encode(tensors(for: kind), metadata: ["loom.checkpoint": String(decoding: json, as: UTF8.self)])
}

if CommandLine.arguments.count == 4 && CommandLine.arguments[1] == "--wrap" {
    do {
        try wrap(Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[2])))
            .write(to: URL(fileURLWithPath: CommandLine.arguments[3]))
    } catch {
        fatalError("cannot wrap: \(error)")
    }
    exit(0)
}

if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "--write-seeds" {
    do { try writeSeeds(to: URL(fileURLWithPath: CommandLine.arguments[2])) } catch {
        fatalError("cannot write seeds: \(error)")
    }
    exit(0)
}

runFuzzer(check)
