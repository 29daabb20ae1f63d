// Tutorial 003: the LSTM written from its gate equations, then a character-level language model.
//
//     swift run -c release CharLanguageModel [text.txt] [--epochs 100] [--model lstm|gru|rnn]
//
// Part 2 needs a text file, e.g. ../shared/data/timemachine.txt (H. G. Wells, The Time Machine).
import Foundation
import Loom

let usage = "usage: CharLanguageModel [text.txt] [--epochs N] [--model lstm|gru|rnn] [--max-tokens N]"
var positional: [String] = [], options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "-h" || argument == "--help" { print(usage); exit(0) }
    if argument.hasPrefix("--") { options[String(argument.dropFirst(2))] = arguments.popFirst() ?? "" }
    else { positional.append(argument) }
}
// The tutorial trains 500 epochs on the first 10,000 characters; 100 take about half a minute here
// (perplexity ≈ 9; pass --epochs 500 for the full run).
guard let epochs = Int(options["epochs"] ?? "100"), epochs > 0,
      let maxTokens = Int(options["max-tokens"] ?? "10000"), maxTokens > 0,
      let kind = RecurrentModelKind(rawValue: options["model"] ?? "lstm") else {
    print("--epochs and --max-tokens expect positive whole numbers, --model one of lstm, gru, rnn\n\(usage)"); exit(64)
}
manualSeed(0)

// MARK: - 1. An LSTM from its gate equations (shapes: B batch, I input, H hidden)
//   input gate      i = σ(x·W_i + h·U_i + b_i)        forget gate  f = σ(x·W_f + h·U_f + b_f)
//   output gate     o = σ(x·W_o + h·U_o + b_o)        candidate    c̃ = tanh(x·W_c + h·U_c + b_c)
//   memory cell     c′ = f ⊙ c + i ⊙ c̃                hidden state h′ = o ⊙ tanh(c′)
let scratch = ScratchLSTM(inputSize: 28, hiddenSize: 32)        // W (I, H), U (H, H), b (H) per gate
for (name, parameter) in scratch.namedParameters().prefix(3) { print("\(name) \(parameter.shape)", terminator: "  ") }
print("… \(scratch.namedParameters().count) parameters in all")

// One step written out by hand, from the zero state of `initState(batchSize:)`.
let x = Tensor.randn([4, 28])                                   // (B, I)
let s0 = scratch.initState(batchSize: 4)                        // h, c: (B, H) zeros
let i = (x.matmul(scratch.wI) + s0.h.matmul(scratch.uI) + scratch.bI).sigmoid()
let f = (x.matmul(scratch.wF) + s0.h.matmul(scratch.uF) + scratch.bF).sigmoid()
let o = (x.matmul(scratch.wO) + s0.h.matmul(scratch.uO) + scratch.bO).sigmoid()
let candidate = (x.matmul(scratch.wC) + s0.h.matmul(scratch.uC) + scratch.bC).tanh()
let c1 = f * s0.c + i * candidate
let h1 = o * c1.tanh()
let (_, s1) = scratch(x.unsqueeze(0), state: s0)                // the module, over a 1-step sequence
print("hand-written step == ScratchLSTM: \(h1.allClose(s1.h) && c1.allClose(s1.c))")

// The same function as the library's LSTMCell, whose stacked weights hold the gates as i, f, g, o.
let cell = LSTMCell(inputSize: 28, hiddenSize: 32)
let sequence = Tensor.randn([6, 4, 28])                         // (T, B, I)
let (_, scratchFinal) = ScratchLSTM(copying: cell)(sequence)
var cellState = LSTMState(h: Tensor.zeros([4, 32]), c: Tensor.zeros([4, 32]))
for t in 0..<6 { cellState = cell(sequence[t], state: cellState) }
print("ScratchLSTM(copying: cell) == LSTMCell over 6 steps: \(scratchFinal.h.allClose(cellState.h, atol: 1e-6))")

// MARK: - 2. A character language model: one-hot characters → recurrent layer → Linear → next character
guard let textPath = positional.first else {
    print("\nPart 2 trains a language model on a text file. Pass one, for example:\n" +
          "  swift run -c release CharLanguageModel ../shared/data/timemachine.txt")
    exit(0)
}
do {
    // Letters and spaces only, lowercased: a vocabulary of 28 (<unk>, space, a–z) for English text.
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: textPath), tokens: .character,
                                preprocessing: .lettersOnly, maxTokens: maxTokens)
    let vocab = corpus.vocab
    print("\n\(textPath): \(corpus.indices.count) characters, vocabulary of \(vocab.count): \(vocab.tokens.prefix(10).joined(separator: " ")) …")

    // Sequential partitioning: row b of each (B = 32, T = 35) batch continues row b of the last one.
    let loader = SequenceDataLoader(corpus.indices, batchSize: 32, numSteps: 35, sampling: .sequential,
                                    generator: Generator(seed: 0))
    let model = RNNModel(kind: kind, vocabSize: vocab.count, hiddenSize: 256)
    print(model)
    let optimizer = SGD(model.parameters(), lr: 1)

    /// Greedy continuation of `prefix`: warm the state up on the prefix, then feed back the argmax.
    func predict(_ prefix: String, count: Int) -> String {
        withNoGrad {
            var state = model.beginState(batchSize: 1)      // .lstm(h, c) for LSTM, .single(h) otherwise
            var ids = prefix.unicodeScalars.map { vocab[String($0)] }
            func next(after id: Int) -> Int {
                let (logits, newState) = model(Tensor(shape: [1, 1], scalars: [Float(id)]), state: state)
                state = newState
                return Int(logits.argmax().item())
            }
            for id in ids.dropLast() { _ = next(after: id) }
            for _ in 0..<count { ids.append(next(after: ids.last!)) }
            return vocab.tokens(at: ids).joined()
        }
    }

    // Training: cross-entropy over every next character, gradient clipping at norm 1, SGD(lr 1).
    try Denormals.flushingToZero {
        for epoch in 1...epochs {
            var state: RecurrentState? = nil
            var totalLoss = 0.0, tokens = 0
            for (inputs, targets) in loader {               // (B, T) token indices each
                // Keep the state from the previous batch (the text continues) but cut its graph.
                state = state?.detached() ?? model.beginState(batchSize: inputs.shape[0])
                let (logits, newState) = model(inputs, state: state!)    // logits (T·B, V), time-major
                state = newState
                let y = targets.transpose(0, 1).reshape([-1])          // same order as the logits
                let loss = crossEntropy(logits, y)
                optimizer.zeroGrad()
                loss.backward()
                clipGradNorm(model.parameters(), maxNorm: 1)
                optimizer.step()
                totalLoss += loss.doubleItem() * Double(y.count)
                tokens += y.count
            }
            let perplexity = exp(totalLoss / Double(tokens))    // exp(mean cross-entropy per character)
            guard perplexity.isFinite else { throw CharLMError.nonFiniteLoss(epoch: epoch, step: 0) }
            if epoch == 1 || epoch % max(epochs / 10, 1) == 0 {
                print(String(format: "epoch %3d  perplexity %6.2f   ", epoch, perplexity) + predict("time traveller", count: 30))
            }
        }
    }
    // MARK: - 3. Generate text from a prefix
    for prefix in ["time traveller", "traveller"] { print("\(prefix) → \(predict(prefix, count: 50))") }
} catch {
    print("error: \(error)")
    exit(1)
}
