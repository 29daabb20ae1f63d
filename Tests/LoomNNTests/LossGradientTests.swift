import LoomTestSupport
import Testing
@testable import LoomNN

@Suite("Losses: gradients against finite differences (Float64)")
struct LossGradientTests {
    @Test(arguments: Reduction.allCases)
    func pointwiseLosses(_ reduction: Reduction) {
        let x = randn64([3, 4], seed: 1), t = randn64([3, 4], seed: 2)
        gradCheck("mse", inputs: [x, t]) { mseLoss($0[0], $0[1], reduction: reduction) }
        gradCheck("l1", inputs: [x, t]) { l1Loss($0[0], $0[1], reduction: reduction) }
        gradCheck("huber", inputs: [x, t]) { huberLoss($0[0], $0[1], reduction: reduction, delta: 0.7) }
        gradCheck("smoothL1", inputs: [x, t]) { smoothL1Loss($0[0], $0[1], reduction: reduction, beta: 0.4) }
        let soft = randn64([3, 4], seed: 3).sigmoid().detach()
        let pw = Tensor([0.5, 1.0, 2.0, 3.0] as [Double])
        gradCheck("bceWithLogits", inputs: [x, soft]) {
            bceWithLogits($0[0], $0[1], posWeight: pw, reduction: reduction)
        }
    }

    @Test func twiceUsedTensor() {
        let x = randn64([4, 1], seed: 4)
        gradCheck("mse of x against itself shifted", inputs: [x]) { mseLoss($0[0] * 2, $0[0] + 1) }
    }

    @Test(arguments: Reduction.allCases)
    func crossEntropyAndNLL(_ reduction: Reduction) {
        let logits = randn64([4, 3, 2], seed: 6)
        let target = Tensor(shape: [4, 2], scalars: [0, 2, 1, 1, 2, -100, 0, 1] as [Double])
        let weight = Tensor([0.3, 1.0, 2.0] as [Double])
        gradCheck("crossEntropy", inputs: [logits]) {
            crossEntropy($0[0], target, weight: weight, reduction: reduction, labelSmoothing: 0.2)
        }
        gradCheck("nllLoss", inputs: [logits]) { nllLoss($0[0], target, weight: weight, reduction: reduction) }
        let probs = randn64([4, 3, 2], seed: 7).softmax(dim: 1).detach()
        gradCheck("crossEntropy probabilities", inputs: [logits, probs]) {
            crossEntropy($0[0], $0[1], weight: weight, reduction: reduction, labelSmoothing: 0.1)
        }
    }

    @Test func defaultsAndEdgeCases() {
        // Every target ignored: the mean has nothing to average (NaN, as PyTorch).
        let logits = Tensor.randn([2, 3])
        let ignored = Tensor([-100, -100] as [Float])
        #expect(crossEntropy(logits, ignored).item().isNaN)
        #expect(crossEntropy(logits, ignored, reduction: .sum).item() == 0)
        // Perfect predictions give (nearly) zero loss; the module forms use the defaults.
        let x = Tensor(rows: [[20, 0, 0], [0, 20, 0]])
        #expect(CrossEntropyLoss()(x, Tensor([0, 1] as [Float])).item() < 1e-6)
        #expect(MSELoss()(x, x).item() == 0)
        #expect(L1Loss(reduction: .none)(x, x).shape == [2, 3])
        #expect("\(CrossEntropyLoss())" == "CrossEntropyLoss()")
        #expect(HuberLoss().delta == 1 && SmoothL1Loss().beta == 1 && NLLLoss().ignoreIndex == -100)
    }
}
