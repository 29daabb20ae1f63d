// Tutorial 004: a tour of the `nn` building blocks, ending with an LSTM on a noisy sine.
//
//     swift run -c release NNBasics [--epochs 10] [--plot noisy-sine.svg]
//
// The tutorial moves everything to the GPU with `.cuda()`. Loom runs on the CPU: every tensor's
// `device` is "cpu", and there is nothing to move.
import Foundation
import Loom

let usage = "usage: NNBasics [--epochs N] [--plot FILE.svg]"
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("-h") || arguments.contains("--help") { print(usage); exit(0) }
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).map { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : "" }
}
// The tutorial trains 20 epochs; 10 reach nearly the same loss in half the time.
guard let epochs = Int(option("--epochs") ?? "10"), epochs > 0 else {
    print("--epochs expects a positive whole number, got '\(option("--epochs")!)'\n\(usage)"); exit(64)
}
manualSeed(0)
func section(_ title: String) { print("\n== \(title)") }

// MARK: - 1. Parameters and modules: a small convolutional classifier
final class SmallNet: Module {
    let features = Sequential(Conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(kernelSize: 2))
    let classifier = Sequential(Flatten(), Linear(4 * 4 * 4, 3))
    @Parameter var temperature = Tensor.ones([1])               // a bare parameter, like nn.Parameter

    /// (B, 1, 8, 8) images → (B, 3) logits
    func callAsFunction(_ x: Tensor) -> Tensor { classifier(features(x)) / temperature }
}
section("Module tree")
let net = SmallNet()
print(net)
print("children:", net.namedChildren().map(\.0), " modules in all:", net.modules().count)
for (name, p) in net.namedParameters() { print("  \(name) \(p.shape)") }
net.addModule(name: "dropout", Dropout(p: 0.5))                 // add_module at run time
net.eval()                                                       // eval() reaches every descendant
print("after addModule + eval(): \(net.children().count) children, training:", net.modules().map(\.training))
net.toDouble(); print("toDouble(): conv weight is", net.features[0].parameters()[0].dtype)
net.toFloat()
let halfLinear = Linear(64, 3), fullWeights = halfLinear.weight.clone()
halfLinear.toHalf()                                              // Float16 values, Float32 arithmetic
print("toHalf(): largest rounding change", (halfLinear.weight - fullWeights).abs().max().item())

// MARK: - 2. State dict, save and load (safetensors, PyTorch's names)
section("State dict")
print(net.stateDict().keys.sorted())
let file = FileManager.default.temporaryDirectory.appendingPathComponent("nnbasics-\(getpid()).safetensors")
let images = Tensor.randn([2, 1, 8, 8])                         // (B, C, H, W)
let restored = SmallNet()
do {
    try net.save(to: file)
    try restored.load(from: file)                               // strict: every name must match
    try? FileManager.default.removeItem(at: file)
} catch { print("error: \(error)"); exit(1) }
print("restored model gives the same logits:", restored(images).allClose(net(images)))

// MARK: - 3. Layers one by one
section("Layers")
let linear = Linear(3, 2)                                        // weight (out, in) = (2, 3), bias (2)
let v = Tensor.randn([4, 3])
print("Linear: y = x·Wᵀ + b:", linear(v).allClose(v.matmul(linear.weight.t()) + linear.bias!))
let conv = Conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1)
print("Conv2d \(images.shape) → \(conv(images).shape); MaxPool2d(2) → \(MaxPool2d(kernelSize: 2)(conv(images)).shape);",
      "AvgPool2d(4) → \(AvgPool2d(kernelSize: 4)(conv(images)).shape)")
let z = Tensor(shape: [5], scalars: [-2, -1, 0, 1, 2])
print("ReLU", ReLU()(z).scalars, "\nSigmoid", Sigmoid()(z).scalars.map { ($0 * 1000).rounded() / 1000 },
      "\nTanh", Tanh()(z).scalars.map { ($0 * 1000).rounded() / 1000 })
let drop = Dropout(p: 0.5)
print("Dropout(0.5) in training:", drop(Tensor.ones([8])).scalars, " after eval():", { drop.eval(); return drop(Tensor.ones([8])).scalars }())

// MARK: - 4. Multi-layer recurrent layers with explicit initial states
section("Recurrent layers")
let seq = Tensor.randn([7, 2, 5])                               // (T, B, I)
let (rnnOut, rnnH) = RNN(inputSize: 5, hiddenSize: 8, numLayers: 3)(seq, state: Tensor.zeros([3, 2, 8]))
let (lstmOut, lstmState) = LSTM(inputSize: 5, hiddenSize: 8, numLayers: 2)(
    seq, state: LSTMState(h: Tensor.zeros([2, 2, 8]), c: Tensor.zeros([2, 2, 8])))
let (gruOut, gruH) = GRU(inputSize: 5, hiddenSize: 8, numLayers: 2, bidirectional: true)(seq, state: Tensor.zeros([4, 2, 8]))
print("RNN×3 out \(rnnOut.shape) h \(rnnH.shape) | LSTM×2 out \(lstmOut.shape) h,c \(lstmState.c.shape) | bi-GRU×2 out \(gruOut.shape) h \(gruH.shape)")

// MARK: - 5. Losses (module and function forms give the same numbers)
section("Losses")
let prediction = Tensor(shape: [3], scalars: [2.5, 0, 2]), target = Tensor(shape: [3], scalars: [3, -0.5, 2])
print("L1Loss \(L1Loss()(prediction, target).item())  MSELoss \(MSELoss()(prediction, target).item())  mseLoss \(mseLoss(prediction, target).item())")
let logits = Tensor(rows: [[2, 1, 0.1], [0.5, 2.5, 0.3]]), classes = Tensor([0, 1] as [Float])
print("CrossEntropyLoss \(CrossEntropyLoss()(logits, classes).item())  (class indices as targets)")

// MARK: - 6. Gradient clipping
section("Gradient clipping")
let layer = Linear(10, 10)
(layer(Tensor.randn([4, 10])) * 100).pow(2).sum().backward()    // a deliberately huge gradient
let before = clipGradNorm(layer.parameters(), maxNorm: 1)       // returns the norm before clipping
let after = layer.parameters().map { $0.grad!.pow(2).sum().doubleItem() }.reduce(0, +).squareRoot()
print(String(format: "total norm %.1f → %.4f", before, after))

// MARK: - 7. Packed variable-length sequences
section("Packed sequences")
let lengths = [4, 2, 3]                                          // three sequences, padded to T = 4
let padded = Tensor.randn([3, 4, 5])                            // (B, T, I), batch-first
let packed = packPaddedSequence(padded, lengths: lengths, batchFirst: true, enforceSorted: false)
let packedLSTM = LSTM(inputSize: 5, hiddenSize: 6, batchFirst: true)
let (packedOut, packedState) = packedLSTM(packed)
let (unpacked, outLengths) = padPackedSequence(packedOut, batchFirst: true)
print("batch sizes per step \(packed.batchSizes), data \(packed.data.shape) → padded output \(unpacked.shape), lengths \(outLengths)")
// Each sequence's final state is its output at its own last step, not at the padded end.
let lastSteps = Tensor.stack(lengths.enumerated().map { unpacked[$0.offset, $0.element - 1] })
print("h_n == output at each sequence's last real step:", lastSteps.allClose(packedState.h[0], atol: 1e-6))

// MARK: - 8. An LSTM that predicts a noisy sine one step ahead
section("Noisy sine")
var noise = Generator(seed: 0)
let series = Tensor.linspace(0, 100, steps: 1000, dtype: .float64).doubleScalars.map { sin($0) + 0.1 * noise.nextNormal() }
let scaler = MinMaxScaler(featureRange: (0, 1))                 // to [0, 1]
let (windows, nextValues) = try! slidingWindows(scaler.fitTransform(series), window: 50)   // (950, 50, 1), (950, 1)
let loader = DataLoader(TensorDataset(windows, nextValues), batchSize: 16, shuffle: true, generator: Generator(seed: 0))

final class SineLSTM: Module {
    let lstm = LSTM(inputSize: 1, hiddenSize: 50, batchFirst: true)
    let fc = Linear(50, 1)
    /// (B, 50, 1) → (B, 1)
    func callAsFunction(_ x: Tensor) -> Tensor { fc(lstm(x).0[.all, -1, .all]) }
}
let model = SineLSTM()
let optimizer = Adam(model.parameters(), lr: 0.01)
print("windows \(windows.shape) → next values \(nextValues.shape), \(loader.count) batches of 16 per epoch")
Denormals.flushingToZero {
    for epoch in 1...epochs {
        var total = 0.0
        for (x, y) in loader {
            let loss = mseLoss(model(x), y)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            total += loss.doubleItem()
        }
        print(String(format: "epoch %2d  loss %.5f", epoch, total / Double(loader.count)))
    }
}
model.eval()
let fitted = withNoGrad { model(windows) }
print(String(format: "MSE over all windows %.5f (the noise alone is ≈ %.5f)", mseLoss(fitted, nextValues).doubleItem(),
             pow(0.1 * scaler.scale[0], 2)))
if let plotPath = option("--plot") {
    var chart = LineChart(title: "LSTM on a noisy sine (scaled to [0, 1])", xLabel: "step", yLabel: "value")
    chart.add(series: "target", y: Array(nextValues.scalars.prefix(200)))
    chart.add(series: "LSTM", y: Array(fitted.scalars.prefix(200)), style: .dashed)
    do { try chart.write(to: URL(fileURLWithPath: plotPath)); print("plot written to \(plotPath)") }
    catch { print("error: \(error)"); exit(1) }
}
