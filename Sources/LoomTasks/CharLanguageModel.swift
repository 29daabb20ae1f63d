import Foundation
import LoomData
import LoomNN
import LoomOptim

/// Settings of a character-level language model (d2l chapter 8 defaults).
public struct CharLMConfig: Codable, Equatable, Sendable {
    public var model: RecurrentModelKind = .lstm
    public var hiddenSize = 256
    public var numLayers = 1
    public var batchSize = 32
    public var numSteps = 35
    public var epochs = 500
    public var learningRate = 1.0
    public var clipNorm = 1.0
    public var sampling: SequenceSampling = .sequential
    public var seed: UInt64 = 0
    public var preprocessing: TextPreprocessing = .lettersOnly

    public init() {}
}

/// Errors of language-model training and generation.
public enum CharLMError: Error, CustomStringConvertible, Equatable {
    case corpusTooShort(tokens: Int, needed: Int)
    case nonFiniteLoss(epoch: Int, step: Int)
    case nonFiniteWeights(epoch: Int)
    case unknownPrefix(String)
    case unknownCharacters(prefix: String, characters: [String])
    case badModelFile(path: String, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .corpusTooShort(let t, let n):
            return "the text has \(t) tokens, fewer than one batch needs (\(n) = batch × (steps + 1)); use a longer text or smaller --batch/--steps"
        case .nonFiniteLoss(let e, let s): return "training diverged: the loss became NaN or ∞ at epoch \(e), step \(s)"
        case .nonFiniteWeights(let e): return "training diverged: a NaN or ∞ gradient made the weights non-finite during epoch \(e)"
        case .unknownPrefix(let p): return "the prefix '\(p)' has no characters the model knows"
        case .unknownCharacters(let p, let cs):
            let list = cs.map { "'\($0.unicodeScalars.map { $0.escaped(asASCII: false) }.joined())'" }.joined(separator: ", ")
            return "the prefix '\(p)' has characters that do not occur in the model's training text: \(list); choose a prefix from its characters"
        case .badModelFile(let path, let reason): return "\(path): not a Loom language model: \(reason)"
        case .invalidArgument(let m): return m
        }
    }
}

/// One epoch of language-model training: perplexity = exp(mean cross-entropy per token).
public struct PerplexityReport: Sendable {
    public let epoch: Int
    public let epochs: Int
    public let perplexity: Double
    public let tokensPerSecond: Double
}

/// A character-level language model: `RNNModel` + vocabulary + d2l's training loop
/// (cross-entropy, gradient clipping, SGD) and text generation that carries the state.
public final class CharLanguageModel {
    public let config: CharLMConfig
    public let vocab: Vocab
    public let model: RNNModel

    public init(config: CharLMConfig, vocab: Vocab) {
        self.config = config
        self.vocab = vocab
        // Initialization from a generator of this call's own (see Forecaster.init).
        model = withSeed(config.seed) {
            RNNModel(kind: config.model, vocabSize: vocab.count, hiddenSize: config.hiddenSize, numLayers: config.numLayers)
        }
    }

    /// Trains on `corpus` (token indices) and returns the perplexity of each epoch.
    /// Checkpointing, interruption and NaN handling work as in ``Forecaster/fit(_:checkpointing:onEpoch:)``.
    @discardableResult
    public func train(on corpus: [Int], checkpointing: CheckpointPolicy? = nil,
                      onEpoch: ((PerplexityReport) -> Bool)? = nil) throws -> [Double] {
        let needed = config.batchSize * (config.numSteps + 1)
        guard corpus.count >= needed else { throw CharLMError.corpusTooShort(tokens: corpus.count, needed: needed) }
        let loader = SequenceDataLoader(corpus, batchSize: config.batchSize, numSteps: config.numSteps,
                                        sampling: config.sampling, generator: Generator(seed: config.seed &+ 1))
        let optimizer = SGD(model.parameters(), lr: config.learningRate)
        let parameters = model.parameters()
        let configJSON = String(decoding: try JSONEncoder.sorted.encode(config), as: UTF8.self)
        let loop = CheckpointedLoop(policy: checkpointing, model: model, optimizer: optimizer, configJSON: configJSON)
        return try withSeed(config.seed &+ 2) {
            var tokens = 0                          // of the epoch just trained, for its report
            return try loop.runEpochs(config.epochs, loader: loader, generator: \.generator, trainEpoch: { epoch, _, _ in
                var state: RecurrentState? = nil
                var totalLoss = 0.0, step = 0
                tokens = 0
                for (x, y) in loader {
                    try loop.stopIfInterrupted(epoch: epoch)
                    step += 1
                    // Sequential batches continue the text: keep the state, cut the graph.
                    if state == nil || config.sampling == .random {
                        state = model.beginState(batchSize: x.shape[0])
                    } else {
                        state = state!.detached()
                    }
                    let (logits, next) = model(x, state: state!)
                    state = next
                    let target = y.transpose(0, 1).reshape([-1])
                    let loss = crossEntropy(logits, target)
                    let value = loss.doubleItem()
                    guard value.isFinite else { throw CharLMError.nonFiniteLoss(epoch: epoch, step: step) }
                    optimizer.zeroGrad()
                    loss.backward()
                    clipGradNorm(parameters, maxNorm: config.clipNorm)
                    optimizer.step()
                    totalLoss += value * Double(target.count)
                    tokens += target.count
                }
                guard parameters.allSatisfy(\.allFinite) else { throw CharLMError.nonFiniteWeights(epoch: epoch) }
                return Foundation.exp(totalLoss / Double(max(tokens, 1)))
            }, report: { epoch, history, seconds in
                onEpoch?(PerplexityReport(epoch: epoch, epochs: config.epochs, perplexity: history.last!,
                                          tokensPerSecond: Double(tokens) / max(seconds, 1e-9))) ?? true
            })
        }
    }

    /// d2l's sample prefix, the default of `loom charlm train` when the text has its characters.
    public static let defaultSamplePrefix = "time traveller"

    /// `prefix` as the model reads it: cleaned like the training text (letters only, lowercased,
    /// for ``TextPreprocessing/lettersOnly``).
    private func preprocessed(_ prefix: String) -> String {
        config.preprocessing == .lettersOnly ? TextPreprocessing.lettersOnly.apply(prefix) : prefix
    }

    /// The characters of `prefix` (after the model's preprocessing) that are not in its
    /// vocabulary, each once, in order of appearance.
    public func unknownCharacters(in prefix: String) -> [String] {
        var seen = Set<String>(), unknown: [String] = []
        for scalar in preprocessed(prefix).unicodeScalars {
            let c = String(scalar)
            if !vocab.contains(c) && seen.insert(c).inserted { unknown.append(c) }
        }
        return unknown
    }

    /// Throws unless ``generate(prefix:length:temperature:topK:seed:)`` can start from `prefix`:
    /// ``CharLMError/unknownPrefix(_:)`` when nothing is left after preprocessing,
    /// ``CharLMError/unknownCharacters(prefix:characters:)`` when a character is not in the
    /// vocabulary (it would be read, and printed, as `<unk>`).
    public func checkPrefix(_ prefix: String) throws {
        guard !preprocessed(prefix).isEmpty else { throw CharLMError.unknownPrefix(prefix) }
        let unknown = unknownCharacters(in: prefix)
        guard unknown.isEmpty else { throw CharLMError.unknownCharacters(prefix: prefix, characters: unknown) }
    }

    /// A prefix for a sample after training on `corpus`: ``defaultSamplePrefix`` when the
    /// vocabulary has all its characters, otherwise the corpus's first words (as many whole words
    /// as fit in 20 characters; the first 20 characters of a longer first word), which it has.
    public func samplePrefix(from corpus: [Int]) -> String {
        if (try? checkPrefix(Self.defaultSamplePrefix)) != nil { return Self.defaultSamplePrefix }
        let limit = 20
        func isSpace(_ token: String) -> Bool { token.unicodeScalars.allSatisfy(\.properties.isWhitespace) }
        let tokens = vocab.tokens(at: corpus.prefix(4096).filter { $0 != vocab.unk })
        guard let start = tokens.firstIndex(where: { !isSpace($0) }) else { return tokens.first ?? "" }
        var window = Array(tokens[start...].prefix(limit + 1))
        if window.count > limit {
            // Cut at the last space that keeps whole words; a first word longer than the limit is cut.
            if let cut = window.prefix(limit + 1).lastIndex(where: isSpace) { window = Array(window[..<cut]) }
            else { window = Array(window.prefix(limit)) }
        }
        while let last = window.last, isSpace(last) { window.removeLast() }
        return window.joined()
    }

    /// Continues `prefix` by `length` characters. `temperature` 0 picks the most likely token
    /// (d2l's `predict_ch8`); otherwise samples from softmax(logits / temperature), optionally
    /// restricted to the `topK` most likely tokens, with a seeded generator. Every character of
    /// the prefix must be in the vocabulary (see ``checkPrefix(_:)``).
    public func generate(prefix: String, length: Int, temperature: Double = 0, topK: Int? = nil, seed: UInt64 = 0) throws -> String {
        guard length >= 0 else { throw CharLMError.invalidArgument("length must be ≥ 0, got \(length)") }
        guard temperature >= 0 else { throw CharLMError.invalidArgument("temperature must be ≥ 0, got \(temperature)") }
        if let topK, topK < 1 { throw CharLMError.invalidArgument("topK must be ≥ 1, got \(topK)") }
        try checkPrefix(prefix)
        let ids = preprocessed(prefix).unicodeScalars.map { vocab[String($0)] }
        let first = ids[0]
        var generator = Generator(seed: seed)
        var output = ids
        return withNoGrad {
            var state = model.beginState(batchSize: 1)
            var last = first
            // Warm up on the prefix: feed each known token, keep the state.
            for id in ids.dropFirst() {
                state = model(Tensor(shape: [1, 1], scalars: [Float(last)]), state: state).1
                last = id
            }
            for _ in 0..<length {
                let (logits, next) = model(Tensor(shape: [1, 1], scalars: [Float(last)]), state: state)
                state = next
                last = Self.pick(logits.scalars, temperature: temperature, topK: topK, generator: &generator)
                output.append(last)
            }
            return vocab.tokens(at: output).joined()
        }
    }

    static func pick(_ logits: [Float], temperature: Double, topK: Int?, generator: inout Generator) -> Int {
        if temperature == 0 { return logits.indices.max { logits[$0] < logits[$1] } ?? 0 }
        var order = Array(logits.indices).sorted { logits[$0] > logits[$1] }
        if let topK { order = Array(order.prefix(topK)) }
        let top = Double(logits[order[0]])
        let weights = order.map { Foundation.exp((Double(logits[$0]) - top) / temperature) }
        var r = generator.nextDouble() * weights.reduce(0, +)
        for (k, w) in zip(order, weights) {
            r -= w
            if r <= 0 { return k }
        }
        return order.last!
    }
}

extension CharLanguageModel {
    /// Writes weights, vocabulary and configuration to one safetensors file.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try model.save(to: url, metadata: [
            "loom.format": "charlm/1",
            "loom.config": String(decoding: try encoder.encode(config), as: UTF8.self),
            "loom.vocab": String(decoding: try encoder.encode(vocab), as: UTF8.self),
        ])
    }

    /// Reads a file written by ``save(to:)``.
    public static func load(from url: URL) throws -> CharLanguageModel {
        var meta: [String: String] = [:]
        let tensors = try Safetensors.read(url, metadata: &meta)
        guard meta["loom.format"] == "charlm/1" else {
            throw CharLMError.badModelFile(path: url.path, reason: "missing loom.format = charlm/1 metadata (found \(meta["loom.format"] ?? "none"))")
        }
        let decoder = JSONDecoder()
        guard let configText = meta["loom.config"], let config = try? decoder.decode(CharLMConfig.self, from: Data(configText.utf8)),
              let vocabText = meta["loom.vocab"], let vocab = try? decoder.decode(Vocab.self, from: Data(vocabText.utf8)) else {
            throw CharLMError.badModelFile(path: url.path, reason: "configuration or vocabulary metadata is missing or malformed")
        }
        let lm = CharLanguageModel(config: config, vocab: vocab)
        do { try lm.model.loadStateDict(tensors) } catch {
            throw CharLMError.badModelFile(path: url.path, reason: "\(error)")
        }
        lm.model.eval()
        return lm
    }
}
