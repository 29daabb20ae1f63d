import Foundation
import Testing
@testable import LoomTasks

@Suite("Training safety: checkpoints, exact resume, interruption, divergence", .serialized)
struct TrainingSafetyTests {
    static let series = (0..<60).map { 100 + 20 * Foundation.sin(Double($0) * 0.5) + Double($0) }

    static func config(epochs: Int, lr: Double = 0.01) -> ForecasterConfig {
        var c = ForecasterConfig()
        c.window = 6; c.hiddenSize = 8; c.epochs = epochs; c.learningRate = lr; c.batchSize = 4; c.shuffle = true; c.seed = 7
        return c
    }

    static func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("loom-ckpt-\(UUID().uuidString).safetensors")
    }

    static func weights(_ module: Module) -> [[Float]] { module.parameters().map(\.scalars) }

    // A fresh run with the same seed reproduces the uninterrupted losses by itself, so equal
    // losses do not prove a resume: each resume test also checks that the resumed run trains
    // only the epochs after the checkpoint and ends with the uninterrupted run's weights.

    @Test func resumingGivesTheSameLossesAsAnUninterruptedRun() throws {
        let uninterrupted = try Forecaster(config: Self.config(epochs: 6))
        let full = try uninterrupted.fit(Self.series)
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        // Stop after epoch 3; the last checkpoint is from epoch 2.
        _ = try Forecaster(config: Self.config(epochs: 6)).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 2)) { $0.epoch < 3 }
        let forecaster = try Forecaster(config: Self.config(epochs: 6))
        var trained: [Int] = []
        let resumed = try forecaster.fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 2, resume: true)) {
            trained.append($0.epoch)
            return true
        }
        #expect(trained == [3, 4, 5, 6], "the resumed run trains only the epochs after the checkpoint")
        #expect(resumed == full, "resumed \(resumed) vs uninterrupted \(full)")
        #expect(Self.weights(forecaster.model) == Self.weights(uninterrupted.model))
    }

    /// A checkpoint of the last epoch: resuming trains nothing and leaves the saved weights, not
    /// a fresh initialization.
    @Test func resumingFromTheLastEpochRestoresItsWeights() throws {
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let trained = try Forecaster(config: Self.config(epochs: 2))
        let losses = try trained.fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 2))
        let forecaster = try Forecaster(config: Self.config(epochs: 2))
        let fresh = Self.weights(forecaster.model)
        var reports = 0
        let resumed = try forecaster.fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 2, resume: true)) { _ in
            reports += 1
            return true
        }
        #expect(reports == 0 && resumed == losses)
        #expect(Self.weights(forecaster.model) == Self.weights(trained.model))
        #expect(Self.weights(forecaster.model) != fresh, "the restored weights are the trained ones")
    }

    /// The request is scoped: trainings in other tests running at the same time must not see it.
    @Test func interruptionSavesACheckpointAndStops() throws {
        let uninterrupted = try Forecaster(config: Self.config(epochs: 5))
        let full = try uninterrupted.fit(Self.series)
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        _ = Interruption.withScopedRequests {
            #expect(throws: TrainingStop.interrupted(epoch: 4, checkpoint: url.path)) {
                try Forecaster(config: Self.config(epochs: 5)).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 100)) { report in
                    if report.epoch == 3 { Interruption.request() }
                    return true
                }
            }
        }
        let forecaster = try Forecaster(config: Self.config(epochs: 5))
        var trained: [Int] = []
        let resumed = try forecaster.fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 100, resume: true)) {
            trained.append($0.epoch)
            return true
        }
        #expect(trained == [4, 5], "the resumed run trains only the epochs after the checkpoint")
        #expect(resumed == full)
        #expect(Self.weights(forecaster.model) == Self.weights(uninterrupted.model))
    }

    /// An interruption after some of an epoch's steps (the loop the trainers share, stopped at
    /// step 3 of epoch 2): the checkpoint holds the state from before that epoch, so the resumed
    /// run repeats it and ends exactly where an uninterrupted run does. (Saving the weights after
    /// step 2 with the epoch-start shuffle made the resumed run train on those batches twice.)
    @Test func interruptionMidEpochResumesExactly() throws {
        func run(_ policy: CheckpointPolicy?, interruptAt: (epoch: Int, step: Int)?) throws -> (losses: [Double], epochs: [Int], weights: [[Float]]) {
            let model = withSeed(3) { Linear(3, 1) }
            let x = withSeed(4) { Tensor.randn([10, 3]) }, y = withSeed(5) { Tensor.randn([10, 1]) }
            let loader = DataLoader(TensorDataset(x, y), batchSize: 3, shuffle: true, generator: Generator(seed: 6))
            let optimizer = Adam(model.parameters(), lr: 0.05)
            let loop = CheckpointedLoop(policy: policy, model: model, optimizer: optimizer, configJSON: "{}")
            var epochs: [Int] = []
            let losses = try withSeed(7) {
                try loop.runEpochs(4, loader: loader, generator: \.generator, trainEpoch: { epoch, _, _ in
                    var total = 0.0, step = 0
                    for (bx, by) in loader {
                        step += 1
                        if let at = interruptAt, at.epoch == epoch, at.step == step { Interruption.request() }
                        try loop.stopIfInterrupted(epoch: epoch)
                        optimizer.zeroGrad()
                        let loss = mseLoss(model(bx), by)
                        loss.backward()
                        optimizer.step()
                        total += loss.doubleItem()
                    }
                    return total / Double(step)
                }, report: { epoch, _, _ in epochs.append(epoch); return true })
            }
            return (losses, epochs, Self.weights(model))
        }
        let full = try run(nil, interruptAt: nil)
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Interruption.withScopedRequests {
            #expect(throws: TrainingStop.interrupted(epoch: 2, checkpoint: url.path)) {
                _ = try run(CheckpointPolicy(url: url, every: 100), interruptAt: (2, 3))
            }
            Interruption.reset()
            let resumed = try run(CheckpointPolicy(url: url, every: 100, resume: true), interruptAt: nil)
            #expect(resumed.epochs == [2, 3, 4], "the interrupted epoch is repeated, the earlier one is not")
            #expect(resumed.losses == full.losses)
            #expect(resumed.weights == full.weights)
        }
    }

    @Test func aScopedRequestStaysInItsScope() {
        Interruption.withScopedRequests {
            #expect(!Interruption.isRequested)
            Interruption.request()
            #expect(Interruption.isRequested)
            Interruption.withScopedRequests { #expect(!Interruption.isRequested, "a nested scope has its own flag") }
            Interruption.reset()
            #expect(!Interruption.isRequested)
            Interruption.request()
        }
        #expect(!Interruption.isRequested, "a request inside a scope must not reach the rest of the process")
    }

    @Test func aCheckpointOfAnotherConfigurationIsRefused() throws {
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Forecaster(config: Self.config(epochs: 2)).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 1))
        var other = Self.config(epochs: 2)
        other.hiddenSize = 9
        #expect(throws: TrainingStop.self) {
            try Forecaster(config: other).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 1, resume: true))
        }
    }

    /// A step whose loss is finite can still leave non-finite weights (here an update of ∞: the
    /// learning rate overflows Float32). One step per epoch, so only the weights check can see it.
    @Test func nonFiniteWeightsStopTrainingBeforeTheyAreSaved() throws {
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        var config = Self.config(epochs: 3, lr: 1e39)
        config.batchSize = 1000
        #expect(throws: ForecastError.nonFiniteWeights(epoch: 1)) {
            try Forecaster(config: config).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 1))
        }
        #expect(!FileManager.default.fileExists(atPath: url.path), "no checkpoint of non-finite weights")
        #expect("\(ForecastError.nonFiniteWeights(epoch: 1))".contains("non-finite during epoch 1"))
    }

    @Test func divergenceStopsWithTheEpochAndKeepsTheLastGoodCheckpoint() throws {
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Forecaster(config: Self.config(epochs: 1)).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 1))
        let before = try Data(contentsOf: url)
        var wild = Self.config(epochs: 50, lr: 1e38)
        wild.seed = 7
        do {
            try Forecaster(config: wild).fit(Self.series.map { $0 * 1e30 })
            Issue.record("training with lr 1e38 should diverge")
        } catch let error as ForecastError {
            guard case .nonFiniteLoss(let epoch, let step) = error else { Issue.record("unexpected \(error)"); return }
            #expect(epoch >= 1 && step >= 1)
            #expect("\(error)".contains("epoch \(epoch), step \(step)"))
        }
        #expect(try Data(contentsOf: url) == before, "the last good checkpoint is untouched")
    }

    @Test func charLMResumesExactly() throws {
        let text = String(repeating: "the time machine by h g wells ", count: 30)
        let corpus = try TextCorpus(text: text)
        var config = CharLMConfig()
        config.hiddenSize = 8; config.batchSize = 4; config.numSteps = 6; config.epochs = 4; config.sampling = .random
        let uninterrupted = CharLanguageModel(config: config, vocab: corpus.vocab)
        let full = try uninterrupted.train(on: corpus.indices)
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try CharLanguageModel(config: config, vocab: corpus.vocab).train(on: corpus.indices, checkpointing: CheckpointPolicy(url: url, every: 1)) { $0.epoch < 2 }
        let lm = CharLanguageModel(config: config, vocab: corpus.vocab)
        var trained: [Int] = []
        let resumed = try lm.train(on: corpus.indices, checkpointing: CheckpointPolicy(url: url, every: 1, resume: true)) {
            trained.append($0.epoch)
            return true
        }
        #expect(trained == [3, 4], "the resumed run trains only the epochs after the checkpoint")
        #expect(resumed == full)
        #expect(Self.weights(lm.model) == Self.weights(uninterrupted.model))
    }

    /// As for the forecaster: one step per epoch whose update overflows (lr 1e39 is ∞ in Float32).
    @Test func charLMStopsOnNonFiniteWeights() throws {
        let corpus = try TextCorpus(text: String(repeating: "the time machine by h g wells ", count: 10))
        var config = CharLMConfig()
        config.hiddenSize = 8; config.batchSize = 2; config.numSteps = 100; config.epochs = 3; config.learningRate = 1e39
        #expect(throws: CharLMError.nonFiniteWeights(epoch: 1)) {
            try CharLanguageModel(config: config, vocab: corpus.vocab).train(on: corpus.indices)
        }
    }
}
