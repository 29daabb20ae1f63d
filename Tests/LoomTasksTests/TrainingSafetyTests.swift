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

    @Test func resumingGivesTheSameLossesAsAnUninterruptedRun() throws {
        let full = try Forecaster(config: Self.config(epochs: 6)).fit(Self.series)
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        // Stop after epoch 3; the last checkpoint is from epoch 2.
        _ = try Forecaster(config: Self.config(epochs: 6)).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 2)) { $0.epoch < 3 }
        let resumed = try Forecaster(config: Self.config(epochs: 6))
            .fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 2, resume: true))
        #expect(resumed == full, "resumed \(resumed) vs uninterrupted \(full)")
    }

    /// The request is scoped: trainings in other tests running at the same time must not see it.
    @Test func interruptionSavesACheckpointAndStops() throws {
        let full = try Forecaster(config: Self.config(epochs: 5)).fit(Self.series)
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        Interruption.withScopedRequests {
            #expect(throws: TrainingStop.interrupted(epoch: 4, checkpoint: url.path)) {
                try Forecaster(config: Self.config(epochs: 5)).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 100)) { report in
                    if report.epoch == 3 { Interruption.request() }
                    return true
                }
            }
        }
        let resumed = try Forecaster(config: Self.config(epochs: 5)).fit(Self.series, checkpointing: CheckpointPolicy(url: url, every: 100, resume: true))
        #expect(resumed == full)
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
        let full = try CharLanguageModel(config: config, vocab: corpus.vocab).train(on: corpus.indices)
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try CharLanguageModel(config: config, vocab: corpus.vocab).train(on: corpus.indices, checkpointing: CheckpointPolicy(url: url, every: 1)) { $0.epoch < 2 }
        let resumed = try CharLanguageModel(config: config, vocab: corpus.vocab).train(on: corpus.indices, checkpointing: CheckpointPolicy(url: url, every: 1, resume: true))
        #expect(resumed == full)
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
