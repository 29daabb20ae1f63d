// Tutorial 002: what goes in and comes out of RNN, LSTM and GRU, then a GRU that turns sin into cos.
//
//     swift run -c release RecurrentShapes [--epochs 100] [--plot sincos.svg]
//
// Shape legend: T time steps, B batch, I input features, H hidden size, D directions (1 or 2).
import Foundation
import Loom

let usage = "usage: RecurrentShapes [--epochs N] [--plot FILE.svg]"
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("-h") || arguments.contains("--help") { print(usage); exit(0) }
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).map { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : "" }
}
guard let epochs = Int(option("--epochs") ?? "100"), epochs > 0 else {
    print("--epochs expects a positive whole number, got '\(option("--epochs")!)'\n\(usage)"); exit(64)
}

manualSeed(0)
let (T, B, I, H) = (5, 3, 10, 20)
let x = Tensor.randn([T, B, I])                                 // sequence-first: (T, B, I)

// MARK: - 1. RNNCell: one step at a time; you carry the hidden state
let cell = RNNCell(inputSize: I, hiddenSize: H)
var h = Tensor.zeros([B, H])
for t in 0..<T { h = cell(x[t], state: h) }                     // x[t]: (B, I) → h: (B, H)
print("RNNCell   x[t] \(x[0].shape) → h \(h.shape), looped over \(T) steps by hand")

// MARK: - 2. RNN: the whole sequence in one call; the state starts at zero unless you pass one
let rnn = RNN(inputSize: I, hiddenSize: H)
let (out, hN) = rnn(x)                                          // out: (T, B, D·H), h_n: (D·layers, B, H)
print("RNN       x \(x.shape) → out \(out.shape), h_n \(hN.shape)")

// The layer is the cell run over time: give the cell the layer's weights and compare.
let layerWeights = rnn.stateDict()
try! cell.loadStateDict(["weight_ih": layerWeights["weight_ih_l0"]!, "weight_hh": layerWeights["weight_hh_l0"]!,
                         "bias_ih": layerWeights["bias_ih_l0"]!, "bias_hh": layerWeights["bias_hh_l0"]!])
h = Tensor.zeros([B, H])
for t in 0..<T { h = cell(x[t], state: h) }
print("          cell loop with the layer's weights == h_n[0]: \(h.allClose(hN[0], atol: 1e-6))")

// MARK: - 3. out[-1] == h_n[-1]: the last output is the top layer's final state
let deep = RNN(inputSize: I, hiddenSize: H, numLayers: 2)
let (deepOut, deepH) = deep(x, state: Tensor.zeros([2, B, H]))  // an explicit h0: (layers, B, H)
print("RNN 2 layers: out \(deepOut.shape) (top layer only), h_n \(deepH.shape) (every layer)")
print("          out[-1] == h_n[-1]: \(deepOut[-1].allClose(deepH[-1]))")

// MARK: - 4. batchFirst swaps T and B in the input and output, never in the states
let batchFirst = GRU(inputSize: I, hiddenSize: H, batchFirst: true)
let (bfOut, bfH) = batchFirst(x.transpose(0, 1))                // (B, T, I)
print("GRU batchFirst  x \(x.transpose(0, 1).shape) → out \(bfOut.shape), h_n \(bfH.shape)")
print("          out[:, -1] == h_n[-1]: \(bfOut[.all, -1, .all].allClose(bfH[-1]))")

// MARK: - 5. LSTM carries two states; bidirectional layers concatenate both directions
let lstm = LSTM(inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true)
let (lstmOut, lstmState) = lstm(x)
print("LSTM 2 layers, bidirectional: out \(lstmOut.shape), h_n \(lstmState.h.shape), c_n \(lstmState.c.shape)")
// Forward direction ends at the last step, backward direction ends at the first one.
print("          out[-1, :, :H] == h_n[-2]: \(lstmOut[-1, .all, ..<H].allClose(lstmState.h[-2]))",
      " out[0, :, H:] == h_n[-1]: \(lstmOut[0, .all, H...].allClose(lstmState.h[-1]))")

// MARK: - 6. A GRU that reads 10 samples of sin and outputs cos at the same 10 points
// Sample k covers [kπ, (k+1)π]: input (100, 10, 1), target (100, 10).
var sines: [Float] = [], cosines: [Float] = []
for k in 0..<100 {
    for v in Tensor.linspace(Double(k) * .pi, Double(k + 1) * .pi, steps: 10).doubleScalars {
        sines.append(Float(sin(v))); cosines.append(Float(cos(v)))
    }
}
let inputs = Tensor(shape: [100, 10, 1], scalars: sines), targets = Tensor(shape: [100, 10], scalars: cosines)
let loader = DataLoader(TensorDataset(inputs, targets), batchSize: 32, shuffle: true, generator: Generator(seed: 0))

final class SinToCos: Module {
    let gru = GRU(inputSize: 1, hiddenSize: 16, batchFirst: true)
    let head = Linear(16, 10)                                   // the last hidden state → 10 cosines

    /// (B, 10, 1) → (B, 10)
    func callAsFunction(_ batch: Tensor) -> Tensor { head(gru(batch).0[.all, -1, .all]) }
}
let model = SinToCos()
let optimizer = Adam(model.parameters(), lr: 1e-2)
print("\nGRU sin → cos: \(inputs.shape) → \(targets.shape), \(loader.count) shuffled batches of up to 32")
Denormals.flushingToZero {
    for epoch in 1...epochs {
        var total = 0.0
        for (batchX, batchY) in loader {                        // a new order every epoch
            let loss = mseLoss(model(batchX), batchY)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            total += loss.doubleItem()
        }
        if epoch == 1 || epoch % max(epochs / 5, 1) == 0 {
            print(String(format: "epoch %3d  mean batch loss %.2e", epoch, total / Double(loader.count)))
        }
    }
}
let predicted = withNoGrad { model(inputs) }
print(String(format: "MSE over all 100 samples: %.2e", mseLoss(predicted, targets).doubleItem()))

if let plotPath = option("--plot") {
    var chart = LineChart(title: "GRU: sin in, cos out (first 5 samples)", xLabel: "point", yLabel: "value")
    chart.add(series: "sin (input)", y: Array(sines.prefix(50)), style: .dotted)
    chart.add(series: "cos (target)", y: Array(cosines.prefix(50)))
    chart.add(series: "GRU", y: Array(predicted.scalars.prefix(50)), style: .dashed)
    do { try chart.write(to: URL(fileURLWithPath: plotPath)); print("plot written to \(plotPath)") }
    catch { print("error: \(error)"); exit(1) }
}
