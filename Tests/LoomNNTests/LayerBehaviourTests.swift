import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

@Suite("Layers: containers, printing, initialization and dropout")
struct LayerBehaviourTests {
    @Test func sequentialNamesAndPrintsLikePyTorch() throws {
        let model = Sequential(Linear(4, 8), ReLU(), Dropout(p: 0.2), Linear(8, 1))
        #expect(model.namedParameters().map(\.0) == ["0.weight", "0.bias", "3.weight", "3.bias"])
        #expect(model.children().count == 4 && model.count == 4)
        #expect(model(Tensor.randn([5, 4])).shape == [5, 1])
        #expect(model.description == """
            Sequential(
              (0): Linear(in_features=4, out_features=8, bias=True)
              (1): ReLU()
              (2): Dropout(p=0.2, inplace=False)
              (3): Linear(in_features=8, out_features=1, bias=True)
            )
            """)
        let built = Sequential { Linear(4, 8); Tanh(); Linear(8, 1) }
        #expect(built.namedParameters().map(\.0) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        try built.loadStateDict(["0.weight": Tensor.zeros([8, 4]), "0.bias": Tensor.zeros([8]),
                                 "2.weight": Tensor.zeros([1, 8]), "2.bias": Tensor.ones([1])])
        #expect(built(Tensor.randn([2, 4])).scalars == [1, 1])
        let named = Sequential(named: ["encoder": Linear(2, 3), "act": GELU()])
        #expect(named.namedParameters().map(\.0) == ["encoder.weight", "encoder.bias"])
        named.append(Flatten())
        #expect(named.namedChildren().map(\.0) == ["encoder", "act", "2"])
        model.eval()
        #expect(model.modules().allSatisfy { !$0.training })
    }

    /// The fused linear op against the composed ops it replaces (x.matmul(Wᵀ) + b), values and
    /// every gradient, on each product path: one row (matrix-vector), a few rows (BLAS) and a tall
    /// batch (Loom's packed kernels), with leading axes folded into rows.
    @Test(arguments: [[1, 24], [7, 24], [2, 40, 24]])
    func linearMatchesComposedOps(shape: [Int]) {
        var g = Generator(seed: 5)
        let x = Tensor.randn(shape, generator: &g), w = Tensor.randn([20, 24], generator: &g), b = Tensor.randn([20], generator: &g)
        let seed = Tensor.randn(Array(shape.dropLast()) + [20], generator: &g)
        func run(_ f: (Tensor, Tensor, Tensor) -> Tensor) -> [Tensor] {
            let (xi, wi, bi) = (x.clone().requiringGrad(), w.clone().requiringGrad(), b.clone().requiringGrad())
            let y = f(xi, wi, bi)
            y.backward(seed)
            return [y, xi.grad!, wi.grad!, bi.grad!]
        }
        let fused = run { linear($0, weight: $1, bias: $2) }
        let composed = run { $0.matmul($1.t()) + $2 }
        for (name, (a, e)) in zip(["y", "dx", "dW", "db"], zip(fused, composed)) {
            expectClose(a, e, atol: 1e-5, rtol: 1e-5, "linear \(shape): \(name)")
        }
        let layer = Linear(24, 20)
        layer.weight.copy(from: w)
        layer.bias!.copy(from: b)
        expectClose(withNoGrad { layer(x) }, fused[0], atol: 0, rtol: 0, "Linear layer = linear()")
    }

    @Test func layersPrintLikePyTorch() {
        #expect(Conv2d(inChannels: 1, outChannels: 6, kernelSize: 3).description == "Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1))")
        #expect(Conv2d(inChannels: 4, outChannels: 6, kernelSize: [3, 5], stride: 2, padding: [1, 2], groups: 2, bias: false).description
                == "Conv2d(4, 6, kernel_size=(3, 5), stride=(2, 2), padding=(1, 2), groups=2, bias=False)")
        #expect(MaxPool2d(kernelSize: 2).description == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)")
        #expect(AvgPool2d(kernelSize: 3, stride: 1).description == "AvgPool2d(kernel_size=3, stride=1, padding=0)")
        #expect(Embedding(10, 3).description == "Embedding(10, 3)")
        #expect(LayerNorm(5).description == "LayerNorm((5,), eps=1e-05, elementwise_affine=True)")
        #expect(Flatten().description == "Flatten(start_dim=1, end_dim=-1)")
        #expect(LeakyReLU().description == "LeakyReLU(negative_slope=0.01)")
        #expect(GELU().description == "GELU(approximate='none')")
        #expect(Softmax(dim: 1).description == "Softmax(dim=1)" && Sigmoid().description == "Sigmoid()")
    }

    @Test func defaultInitializationsFollowPyTorch() {
        manualSeed(1)
        let conv = Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3)
        let bound = 1 / (27.0).squareRoot()
        #expect(conv.weight.scalars.allSatisfy { abs(Double($0)) <= bound })
        #expect(conv.bias!.scalars.allSatisfy { abs(Double($0)) <= bound })
        #expect(conv.weight.scalars.map { abs(Double($0)) }.max()! > 0.8 * bound, "U(−b, b) reaches near its bound")
        let embedding = Embedding(1000, 10)
        let values = embedding.weight.doubleScalars
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.05, "N(0, 1): mean \(mean), variance \(variance)")
        let norm = LayerNorm(4)
        #expect(norm.weight!.scalars == [1, 1, 1, 1] && norm.bias!.scalars == [0, 0, 0, 0])
    }

    @Test func initFunctions() {
        var g = Generator(seed: 5)
        let w = Tensor.zeros([200, 300])
        Init.xavierUniform(w, generator: &g)
        let a = (6.0 / 500).squareRoot()
        #expect(w.scalars.allSatisfy { abs(Double($0)) <= a })
        Init.kaimingNormal(w, mode: .fanOut, nonlinearity: .relu, generator: &g)
        let std = (w.doubleScalars.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        #expect(abs(std - (2.0 / 200).squareRoot()) < 0.01 * std * 10, "kaiming normal std \(std)")
        Init.xavierNormal(w, gain: Init.gain(.tanh), generator: &g)
        #expect(Init.gain(.leakyRelu(negativeSlope: 0.2)) == (2 / 1.04).squareRoot())
        #expect(Init.fans([16, 3, 5, 5]) == (75, 400))
        for shape in [[4, 6], [6, 4], [3, 2, 2]] {
            let q = Tensor.zeros(shape, dtype: .float64)
            Init.orthogonal(q, gain: 2, generator: &g)
            let m = q.reshape([shape[0], -1])
            let gram = m.shape[0] <= m.shape[1] ? m.matmul(m.t()) : m.t().matmul(m)
            #expect(gram.allClose(Tensor.eye(gram.shape[0], dtype: .float64) * 4, atol: 1e-12), "orthogonal \(shape)")
        }
        Init.constant(w, 0.5)
        #expect(w.scalars.allSatisfy { $0 == 0.5 })
        Init.zeros(w)
        #expect(w.scalars.allSatisfy { $0 == 0 })
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2)
        Init.lstmForgetGateBias(lstm, value: 1)
        for (name, p) in lstm.namedParameters() where name.hasPrefix("bias") {
            #expect(Array(p.scalars[4..<8]) == [Float](repeating: name.hasPrefix("bias_ih") ? 1 : 0, count: 4), "\(name)")
        }
    }

    @Test func dropoutScalesInTrainingAndIsIdentityInEval() {
        let x = Tensor.ones([10_000])
        let layer = Dropout(p: 0.3, generator: Generator(seed: 9))
        let y = layer(x)
        let kept = y.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        #expect(abs(Double(kept.count) / 10_000 - 0.7) < 0.02)
        let again = Dropout(p: 0.3, generator: Generator(seed: 9))(x)
        #expect(again.scalars == y.scalars, "same generator seed, same mask")
        layer.eval()
        #expect(layer(x) === x)
        #expect(Dropout(p: 1)(x).scalars.allSatisfy { $0 == 0 })
        #expect(Dropout(p: 0)(x) === x)
    }

    @Test func flattenAndActivations() {
        let x = Tensor.randn([2, 3, 4, 5])
        #expect(Flatten()(x).shape == [2, 60])
        #expect(Flatten(startDim: 0, endDim: 1)(x).shape == [6, 4, 5])
        let v = Tensor([-2, -0.5, 0, 1.5] as [Float])
        #expect(ReLU()(v).scalars == [0, 0, 0, 1.5])
        #expect(LeakyReLU(negativeSlope: 0.1)(v).scalars == [-0.2, -0.05, 0, 1.5])
        #expect(Softmax(dim: 0)(v).sum().item().isApproximatelyEqual(to: 1, absoluteTolerance: 1e-6))
        #expect(LogSoftmax(dim: 0)(v).exp().sum().item().isApproximatelyEqual(to: 1, absoluteTolerance: 1e-6))
        #expect(Sigmoid()(Tensor([0] as [Float])).scalars == [0.5] && Tanh()(Tensor([0] as [Float])).scalars == [0])
        #expect(Identity()(v) === v)
    }
}

private extension Float {
    func isApproximatelyEqual(to other: Float, absoluteTolerance: Float) -> Bool { abs(self - other) <= absoluteTolerance }
}
