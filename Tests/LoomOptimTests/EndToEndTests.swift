import Foundation
import Testing
@testable import LoomOptim

@Suite("End to end: small models train to a loss bound")
struct EndToEndTests {
    /// An MLP regressing y = tanh(2x₁)·tanh(x₂) with Adam, MSE and cosine annealing, full batch.
    @Test func mlpRegression() {
        var g = Generator(seed: 3)
        let x = Tensor.uniform([256, 2], low: -1.5, high: 1.5, generator: &g)
        let y = (x[.all, 0..<1].scaled(by: 2).tanh() * x[.all, 1..<2].tanh()).detach()
        let model = Sequential(Linear(2, 32), Tanh(), Linear(32, 32), ReLU(), Linear(32, 1))
        let opt = Adam(model.parameters(), lr: 1e-2)
        let schedule = CosineAnnealingLR(opt, tMax: 400, etaMin: 1e-4)
        var first = 0.0, last = 0.0
        for step in 0..<400 {
            opt.zeroGrad()
            let loss = mseLoss(model(x), y)
            loss.backward()
            opt.step()
            schedule.step()
            if step == 0 { first = loss.doubleItem() }
            last = loss.doubleItem()
        }
        #expect(last < 5e-3, "final MSE \(last) (initial \(first))")
        #expect(last < first / 20)
    }

    /// Two interleaved half-moons classified with CrossEntropyLoss, SGD + Nesterov momentum and
    /// minibatches.
    @Test func mlpClassification() {
        var g = Generator(seed: 8)
        let n = 200
        var points: [Float] = [], labels: [Float] = []
        for i in 0..<n {
            let label = i % 2
            let angle = Double.pi * g.nextDouble()
            let (cx, cy) = label == 0 ? (cos(angle), sin(angle)) : (1 - cos(angle), 0.5 - sin(angle))
            points += [Float(cx + 0.1 * g.nextNormal()), Float(cy + 0.1 * g.nextNormal())]
            labels.append(Float(label))
        }
        let x = Tensor(shape: [n, 2], scalars: points), y = Tensor(labels)
        let model = Sequential(Linear(2, 32), ReLU(), Linear(32, 2))
        let opt = SGD(model.parameters(), lr: 0.1, momentum: 0.9, nesterov: true)
        let lossFunction = CrossEntropyLoss()
        for _ in 0..<150 {
            let order = g.permutation(n)
            for start in stride(from: 0, to: n, by: 25) {
                let rows = Array(order[start..<(start + 25)])
                opt.zeroGrad()
                lossFunction(model(x.indexSelect(0, rows)), y.indexSelect(0, rows)).backward()
                opt.step()
            }
        }
        let predicted = withNoGrad { model(x).argmax(dim: 1) }
        let accuracy = zip(predicted.scalars, labels).filter { $0 == $1 }.count
        #expect(accuracy >= 194, "accuracy \(accuracy)/\(n)")
        #expect(withNoGrad { lossFunction(model(x), y) }.item() < 0.1)
    }

    /// The source tutorial's model: a 2-layer batch-first LSTM(10 → 20) + Linear(20 → 1) on a
    /// (16, 5, 10) batch, MSE on the last step's output, Adam.
    @Test func tutorialTwoLayerLSTM() {
        var g = Generator(seed: 11)
        let x = Tensor.randn([16, 5, 10], generator: &g)
        // A target that depends on the whole sequence.
        let y = (x.sum(dim: 1)[.all, 0..<3].sum(dim: 1, keepDim: true) * 0.2).tanh().detach()
        let lstm = LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2, batchFirst: true)
        let head = Linear(20, 1)
        let params = lstm.parameters() + head.parameters()
        let opt = Adam(params, lr: 1e-2)
        var first = 0.0, last = 0.0
        for step in 0..<150 {
            opt.zeroGrad()
            let (out, _) = lstm(x)
            let loss = mseLoss(head(out[.all, -1]), y)
            loss.backward()
            clipGradNorm(params, maxNorm: 5)
            opt.step()
            if step == 0 { first = loss.doubleItem() }
            last = loss.doubleItem()
        }
        #expect(last < 0.01, "final MSE \(last) (initial \(first))")
        #expect(last < first / 10)
    }
}
