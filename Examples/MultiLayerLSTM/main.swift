// Tutorial 001: a two-layer, batch-first LSTM with a linear head, trained on random data.
//
//     swift run -c release MultiLayerLSTM [--epochs 100]
import Foundation
import Loom

let usage = "usage: MultiLayerLSTM [--epochs N]"
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("-h") || arguments.contains("--help") { print(usage); exit(0) }
let epochsText = arguments.firstIndex(of: "--epochs").map { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : "" } ?? "100"
guard let epochs = Int(epochsText), epochs > 0 else {
    print("--epochs expects a positive whole number, got '\(epochsText)'\n\(usage)"); exit(64)
}

// MARK: - 1. Sizes: batch B = 16 sequences of T = 5 steps with I = 10 features; hidden H = 20
let (batchSize, steps, inputSize, hiddenSize, numLayers) = (16, 5, 10, 20, 2)

// MARK: - 2. The model: stacked LSTM layers, then Linear(20 → 1) on the last time step
final class SequenceModel: Module {
    let lstm: LSTM
    let fc: Linear

    init(inputSize: Int, hiddenSize: Int, numLayers: Int) {
        // batchFirst: inputs and outputs are (B, T, features); the states stay (layers, B, H).
        lstm = LSTM(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, batchFirst: true)
        fc = Linear(hiddenSize, 1)
        super.init()
    }

    /// (B, T, I) → (B, 1)
    func callAsFunction(_ x: Tensor) -> Tensor {
        // Explicit zero states, as the tutorial writes them (omitting `state:` does the same).
        let h0 = Tensor.zeros([lstm.numLayers, x.shape[0], lstm.hiddenSize])
        let c0 = Tensor.zeros([lstm.numLayers, x.shape[0], lstm.hiddenSize])
        let (out, _) = lstm(x, state: LSTMState(h: h0, c: c0))   // out: (B, T, H), top layer only
        return fc(out[.all, -1, .all])                            // out[:, -1, :] → (B, H) → (B, 1)
    }
}

manualSeed(0)
let model = SequenceModel(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers)
print(model)
// Layer 1 reads the input (4H × I weights), layer 2 reads layer 1's hidden state (4H × H).
for (name, parameter) in model.namedParameters() { print("  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(parameter.shape)") }
print("  \(model.parameterCount) parameters")

// MARK: - 3. Random inputs and targets, and one forward pass to look at the shapes
let x = Tensor.randn([batchSize, steps, inputSize])
let y = Tensor.randn([batchSize, 1])
let (out, state) = model.lstm(x)
print("input \(x.shape) → output \(out.shape), h_n \(state.h.shape), c_n \(state.c.shape)")
print("prediction \(model(x).shape), target \(y.shape)")

// MARK: - 4. Train: MSE loss, Adam(lr 0.01), the whole batch every step
let optimizer = Adam(model.parameters(), lr: 0.01)
var losses: [Double] = []
Denormals.flushingToZero {
    for epoch in 1...epochs {
        let loss = mseLoss(model(x), y)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        losses.append(loss.doubleItem())
        if epoch == 1 || epoch % max(epochs / 10, 1) == 0 {
            print(String(format: "epoch %4d  loss %.3e", epoch, losses.last!))
        }
    }
}
// Random targets have no pattern to learn: a falling loss means the network memorizes 16 samples.
print("loss: " + Sparkline.render(losses, width: 50))
