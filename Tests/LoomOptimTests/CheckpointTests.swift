import Foundation
import LoomTestSupport
import Testing
@testable import LoomOptim

/// A small training run used to check that a checkpoint resumes exactly.
enum ResumeRun {
    /// A regression MLP with dropout; `ownGenerators` gives the dropout layer its own stream,
    /// otherwise it draws from the global generator.
    static func model(ownGenerators: Bool) -> Sequential {
        Sequential(Linear(3, 16), Tanh(), Dropout(p: 0.25, generator: ownGenerators ? Generator(seed: 1) : nil), Linear(16, 1))
    }

    static func data() -> (Tensor, Tensor) {
        var g = Generator(seed: 42)
        let x = Tensor.randn([32, 3], generator: &g)
        let y = (x[.all, 0..<1] * 2 - x[.all, 1..<2]).tanh()
        return (x, y)
    }

    /// One epoch of shuffled minibatches of 8; returns the epoch's mean loss. Shuffling draws
    /// from `sampler`, or from the global generator when nil.
    static func epoch(_ model: Sequential, _ opt: Optimizer, _ sched: LRScheduler, _ sampler: inout Generator?) -> Double {
        let (x, y) = data()
        let order = sampler != nil ? sampler!.permutation(32) : DefaultGenerator.withGenerator { $0.permutation(32) }
        var total = 0.0
        for start in stride(from: 0, to: 32, by: 8) {
            let rows = Array(order[start..<(start + 8)])
            opt.zeroGrad()
            let loss = mseLoss(model(x.indexSelect(0, rows)), y.indexSelect(0, rows))
            loss.backward()
            clipGradNorm(model.parameters(), maxNorm: 1)
            opt.step()
            total += loss.doubleItem()
        }
        sched.step()
        return total / 4
    }

    /// Trains 3 epochs, checkpoints, trains 3 more; then restores the checkpoint into a freshly
    /// initialized model and trains the same 3 epochs again. Returns both sets of losses.
    static func run(ownGenerators: Bool, url: URL) throws -> (uninterrupted: [Double], resumed: [Double]) {
        let model = model(ownGenerators: ownGenerators)
        let opt = Adam(model.parameters(), lr: 0.01, weightDecay: 1e-4)
        let sched = StepLR(opt, stepSize: 2, gamma: 0.5)
        var sampler: Generator? = ownGenerators ? Generator(seed: 7) : nil
        for _ in 0..<3 { _ = epoch(model, opt, sched, &sampler) }
        try Checkpoint.save(to: url, model: model, optimizer: opt, scheduler: sched, epoch: 3,
                            generators: sampler.map { ["sampler": $0] } ?? [:])
        let uninterrupted = (0..<3).map { _ in epoch(model, opt, sched, &sampler) }

        let fresh = self.model(ownGenerators: ownGenerators)
        let freshOpt = Adam(fresh.parameters(), lr: 0.01, weightDecay: 1e-4)
        let freshSched = StepLR(freshOpt, stepSize: 2, gamma: 0.5)
        manualSeed(12345)                                  // disturb the global stream
        let checkpoint = try Checkpoint.load(from: url)
        let epochNumber = try checkpoint.restore(model: fresh, optimizer: freshOpt, scheduler: freshSched)
        precondition(epochNumber == 3)
        var freshSampler = checkpoint.generator("sampler")
        let resumed = (0..<3).map { _ in epoch(fresh, freshOpt, freshSched, &freshSampler) }
        return (uninterrupted, resumed)
    }

    static func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("loom-checkpoint-\(UUID()).safetensors")
    }
}

@Suite("Checkpoints: save, load, resume exactly")
struct CheckpointTests {
    @Test func resumesExactlyWithOwnGenerators() throws {
        let url = ResumeRun.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let (uninterrupted, resumed) = try ResumeRun.run(ownGenerators: true, url: url)
        #expect(uninterrupted == resumed, "losses after resuming must be bit-identical")
        #expect(uninterrupted.allSatisfy { $0.isFinite && $0 > 0 })
    }

    /// The global generator is shared by every test running in this process, so this run
    /// happens in a child process of its own.
    @Test func resumesExactlyWithTheGlobalGenerator() async {
        await #expect(processExitsWith: .success) {
            let url = ResumeRun.temporaryURL()
            defer { try? FileManager.default.removeItem(at: url) }
            manualSeed(0)
            let (uninterrupted, resumed) = try! ResumeRun.run(ownGenerators: false, url: url)
            precondition(uninterrupted == resumed, "resumed losses \(resumed) differ from \(uninterrupted)")
        }
    }

    @Test func fileLayoutIsPyTorchFriendly() throws {
        let url = ResumeRun.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let model = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
        let opt = SGD(model.parameters(), lr: 0.1, momentum: 0.9)
        for p in model.parameters() { p.grad = Tensor.ones(p.shape) }
        opt.step()
        let plateau = ReduceLROnPlateau(opt)
        try Checkpoint.save(to: url, model: model, optimizer: opt, scheduler: plateau, epoch: 7, metadata: ["note": "hi"])
        var meta: [String: String] = [:]
        let tensors = try Safetensors.read(url, metadata: &meta)
        #expect(Set(tensors.keys) == ["model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias",
                                      "optimizer.state.0.momentum_buffer", "optimizer.state.1.momentum_buffer",
                                      "optimizer.state.2.momentum_buffer", "optimizer.state.3.momentum_buffer"])
        let checkpoint = try Checkpoint.load(from: url)
        #expect(checkpoint.epoch == 7 && checkpoint.info.metadata["note"] == "hi")
        #expect(checkpoint.info.scheduler?.values["best"] == .infinity, "±∞ survives the JSON")
        // The model part loads into a plain model, as PyTorch's would after stripping "model.".
        let other = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
        try other.loadStateDict(checkpoint.model)
        #expect(other.parameters().map(\.scalars) == model.parameters().map(\.scalars))
    }

    @Test func corruptAndMismatchedCheckpointsThrowAndChangeNothing() throws {
        let url = ResumeRun.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let model = Sequential(Linear(2, 3), Linear(3, 1))
        let opt = Adam(model.parameters())
        try Checkpoint.save(to: url, model: model, optimizer: opt, epoch: 1)
        let bytes = try Data(contentsOf: url)
        // Truncated files.
        for cut in [4, 20, bytes.count / 2, bytes.count - 3] {
            #expect(throws: (any Error).self) { try Checkpoint.decode(bytes.prefix(cut)) }
        }
        // Plain weights are not a checkpoint.
        try model.save(to: url)
        #expect(throws: CheckpointError.notACheckpoint(path: url.path)) { try Checkpoint.load(from: url) }
        // A checkpoint of another architecture: nothing is modified.
        let checkpoint = try Checkpoint.decode(bytes)
        let wider = Sequential(Linear(2, 4), Linear(4, 1))
        let before = wider.parameters().map(\.scalars)
        #expect(throws: StateDictError.self) { try checkpoint.restore(model: wider) }
        #expect(wider.parameters().map(\.scalars) == before)
        // The right model with the wrong optimizer: the model is left untouched too.
        let same = Sequential(Linear(2, 3), Linear(3, 1))
        let sameBefore = same.parameters().map(\.scalars)
        #expect(throws: OptimizerStateError.kindMismatch(expected: "SGD", found: "Adam")) {
            try checkpoint.restore(model: same, optimizer: SGD(same.parameters(), lr: 0.1))
        }
        #expect(same.parameters().map(\.scalars) == sameBefore)
        #expect(throws: CheckpointError.missingPart("scheduler")) {
            try checkpoint.restore(model: same, scheduler: ExponentialLR(Adam(same.parameters()), gamma: 0.9))
        }
        // Unwritable destination.
        let bad = URL(fileURLWithPath: "/nonexistent-dir-\(UUID())/c.safetensors")
        #expect(throws: CheckpointError.self) { try Checkpoint.save(to: bad, model: model, epoch: 0) }
    }
}
