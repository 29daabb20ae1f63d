import ArgumentParser
import Foundation
import Loom

/// `loom charlm train|generate`: character-level language models (d2l chapter 8).
struct CharLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charlm",
        abstract: "Train a character-level language model on a text, or generate text with one.",
        subcommands: [Train.self, Generate.self]
    )

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train on a UTF-8 text file; prints perplexity per epoch.",
            discussion: "Defaults follow d2l.ai: LSTM(28→256), batch 32, 35 steps, SGD lr 1, gradient clipping at 1, letters only, lowercased."
        )

        @Option(help: "UTF-8 text file (e.g. H. G. Wells' The Time Machine).") var text: String
        @Option(help: "Recurrent layer: lstm, gru or rnn.") var model: RecurrentModelKind = .lstm
        @Option(help: "Hidden units.") var hidden: Int = 256
        @Option(help: "Stacked layers.") var layers: Int = 1
        @Option(help: "Sequences per batch.") var batch: Int = 32
        @Option(help: "Time steps per sequence.") var steps: Int = 35
        @Option(help: "Training epochs.") var epochs: Int = 500
        @Option(help: "SGD learning rate.") var lr: Double = 1
        @Option(help: "Gradient-norm clipping threshold.") var clip: Double = 1
        @Option(help: "Minibatches: sequential or random.") var sampling: SequenceSampling = .sequential
        @Flag(help: "Keep the text as is (default: letters only, lowercased, as d2l).") var raw = false
        @Option(help: "Use only the first N tokens of the text.") var maxTokens: Int?
        @Option(help: "Random seed.") var seed: UInt64 = 0
        @Option(help: "Save the model to this file.") var save: String?
        @Option(help: "Generate this many characters after training, from --prefix.") var sample: Int = 50
        @Option(help: "Prefix for the sample; checked against the text before training (default: \"time traveller\" when the text has its characters, otherwise the text's first words).")
        var prefix: String?
        @OptionGroup var output: OutputOptions
        @OptionGroup var safety: CheckpointOptions

        func validate() throws {
            try safety.validate()
            for (flag, v) in [("--hidden", hidden), ("--layers", layers), ("--batch", batch), ("--steps", steps), ("--epochs", epochs)] where v <= 0 {
                throw ValidationError("\(flag) must be positive, got \(v)")
            }
            guard lr > 0, clip > 0 else { throw ValidationError("--lr and --clip must be positive") }
            let gates = model == .lstm ? 4 : (model == .gru ? 3 : 1)
            try MemoryBudget.check(MemoryBudget.trainingBytes(gates: gates, input: 256, hidden: hidden, layers: layers, output: 256),
                                   what: "a \(model.rawValue.uppercased()) with --hidden \(hidden) and --layers \(layers)")
        }

        func run() throws {
            try FileChecks.requireInput(text, flag: "--text")
            try FileChecks.requireWritable(save, flag: "--save")
            try safety.checkFiles()
            var config = CharLMConfig()
            config.model = model; config.hiddenSize = hidden; config.numLayers = layers
            config.batchSize = batch; config.numSteps = steps; config.epochs = epochs
            config.learningRate = lr; config.clipNorm = clip; config.sampling = sampling; config.seed = seed
            config.preprocessing = raw ? .none : .lettersOnly
            let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: text), tokens: .character,
                                        preprocessing: config.preprocessing, maxTokens: maxTokens)
            let lm = CharLanguageModel(config: config, vocab: corpus.vocab)
            // The sample's prefix is settled before training: an explicit one the text cannot
            // produce fails now, not after a long run; the default falls back to the text's words.
            let samplePrefix: String
            if let prefix {
                try lm.checkPrefix(prefix)
                samplePrefix = prefix
            } else {
                samplePrefix = lm.samplePrefix(from: corpus.indices)
                if samplePrefix != CharLanguageModel.defaultSamplePrefix && !output.quiet && !output.json {
                    note("The text lacks characters of '\(CharLanguageModel.defaultSamplePrefix)'; the sample starts from '\(samplePrefix)' (choose with --prefix).")
                }
            }
            if !output.quiet && !output.json {
                note("\(corpus.indices.count) tokens, vocabulary of \(corpus.vocab.count); training \(model.rawValue.uppercased())(\(corpus.vocab.count)→\(hidden)) for \(epochs) epochs…")
            }
            let progress = Progress(total: epochs, label: "epoch", quiet: output.quiet || output.json)
            Interruption.installSignalHandler()
            let perplexities = try lm.train(on: corpus.indices, checkpointing: safety.policy) { r in
                progress.update(r.epoch, metric: String(format: "perplexity %.2f, %.0f tokens/s", r.perplexity, r.tokensPerSecond))
                return true
            }
            progress.finish()
            if let save { try lm.save(to: URL(fileURLWithPath: save)) }
            let sampleText = try lm.generate(prefix: samplePrefix, length: sample)
            if output.json {
                let data = try JSONSerialization.data(withJSONObject: ["perplexity": perplexities, "sample": sampleText], options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(String(format: "perplexity %.2f after %d epochs", perplexities.last ?? .nan, perplexities.count))
                print(sampleText)
                if let save { print("Model saved to \(save)") }
            }
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Continue a prefix with a saved model.")

        @Option(help: "Model file written by `loom charlm train --save`.") var model: String
        @Option(help: "Text to continue.") var prefix: String
        @Option(help: "Characters to generate.") var length: Int = 100
        @Option(help: "Sampling temperature; 0 picks the most likely character.") var temperature: Double = 0
        @Option(help: "Sample only among the K most likely characters.") var topK: Int?
        @Option(help: "Random seed for sampling.") var seed: UInt64 = 0

        func validate() throws {
            guard length >= 0 else { throw ValidationError("--length must be 0 or positive, got \(length)") }
            guard temperature >= 0 else { throw ValidationError("--temperature must be 0 or positive, got \(temperature)") }
            if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1, got \(topK)") }
        }

        func run() throws {
            try FileChecks.requireInput(model, flag: "--model")
            let lm = try CharLanguageModel.load(from: URL(fileURLWithPath: model))
            print(try lm.generate(prefix: prefix, length: length, temperature: temperature, topK: topK, seed: seed))
        }
    }
}

extension SequenceSampling: ExpressibleByArgument {}
