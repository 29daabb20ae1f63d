import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

/// One loss call of scripts/fixtures/nn_losses.py, with the same arguments.
struct LossCase: CustomTestStringConvertible, Sendable {
    let name: String
    let reduction: Reduction
    let targetGrad: Bool
    let loss: @Sendable (Tensor, Tensor) -> Tensor
    var testDescription: String { name }
}

@Suite("Losses: values and gradients against PyTorch")
struct LossParityTests {
    nonisolated(unsafe) static let fixture = try! Fixture("nn_losses.json", bundle: .module)

    static let cases: [LossCase] = {
        var cases: [LossCase] = []
        func add(_ name: String, _ reduction: Reduction = .mean, targetGrad: Bool = false,
                 _ loss: @escaping @Sendable (Tensor, Tensor) -> Tensor) {
            cases.append(LossCase(name: name, reduction: reduction, targetGrad: targetGrad, loss: loss))
        }
        for r in Reduction.allCases {
            add("l1_\(r)", r, targetGrad: true) { l1Loss($0, $1, reduction: r) }
            add("mse_\(r)", r, targetGrad: true) { mseLoss($0, $1, reduction: r) }
            add("huber_\(r)", r, targetGrad: true) { huberLoss($0, $1, reduction: r) }
            add("huber_d05_\(r)", r, targetGrad: true) { huberLoss($0, $1, reduction: r, delta: 0.5) }
            add("smoothl1_\(r)", r, targetGrad: true) { smoothL1Loss($0, $1, reduction: r) }
            add("smoothl1_b03_\(r)", r, targetGrad: true) { smoothL1Loss($0, $1, reduction: r, beta: 0.3) }
            add("bce_\(r)", r, targetGrad: true) { bceWithLogits($0, $1, reduction: r) }
        }
        add("ce_mean") { crossEntropy($0, $1) }
        add("ce_sum", .sum) { crossEntropy($0, $1, reduction: .sum) }
        add("ce_none", .none) { crossEntropy($0, $1, reduction: .none) }
        add("ce_weight") { crossEntropy($0, $1, weight: LossParityTests.fixture["ce.weight"]) }
        add("ce_weight_none", .none) { crossEntropy($0, $1, weight: LossParityTests.fixture["ce.weight"], reduction: .none) }
        add("ce_smooth") { crossEntropy($0, $1, labelSmoothing: 0.1) }
        add("ce_smooth_weight") { crossEntropy($0, $1, weight: LossParityTests.fixture["ce.weight"], labelSmoothing: 0.2) }
        add("ce_smooth_weight_sum", .sum) {
            crossEntropy($0, $1, weight: LossParityTests.fixture["ce.weight"], reduction: .sum, labelSmoothing: 0.2)
        }
        add("ce_smooth_none", .none) { crossEntropy($0, $1, reduction: .none, labelSmoothing: 0.15) }
        add("ce_ignore") { crossEntropy($0, $1, ignoreIndex: 2) }
        add("ce_ignore_weight_smooth") {
            crossEntropy($0, $1, weight: LossParityTests.fixture["ce.weight"], ignoreIndex: 2, labelSmoothing: 0.1)
        }
        add("ce_ignore_default") { CrossEntropyLoss()($0, $1) }
        add("ce_spatial") { crossEntropy($0, $1) }
        add("ce_spatial_none_smooth", .none) { crossEntropy($0, $1, reduction: .none, labelSmoothing: 0.1) }
        add("ce_unbatched") { crossEntropy($0, $1) }
        add("ce_prob", targetGrad: true) { crossEntropy($0, $1) }
        add("ce_prob_weight_smooth", targetGrad: true) { crossEntropy($0, $1, weight: LossParityTests.fixture["ce.weight"], labelSmoothing: 0.1) }
        add("ce_prob_none", .none, targetGrad: true) { crossEntropy($0, $1, reduction: .none) }
        add("ce_prob_spatial_sum", .sum, targetGrad: true) { crossEntropy($0, $1, reduction: .sum) }
        add("nll_mean") { NLLLoss()($0, $1) }
        add("nll_weight") { nllLoss($0, $1, weight: LossParityTests.fixture["ce.weight"]) }
        add("nll_weight_ignore_sum", .sum) { nllLoss($0, $1, weight: LossParityTests.fixture["ce.weight"], ignoreIndex: 2, reduction: .sum) }
        add("nll_none", .none) { nllLoss($0, $1, reduction: .none) }
        add("nll_spatial_weight") { nllLoss($0, $1, weight: Tensor([0.2, 1.0, 3.0])) }
        add("bce_weight_pos", targetGrad: true) {
            BCEWithLogitsLoss(weight: LossParityTests.fixture["bce.weight"], posWeight: LossParityTests.fixture["bce.pos_weight"])($0, $1)
        }
        add("bce_pos_none", .none, targetGrad: true) {
            bceWithLogits($0, $1, posWeight: LossParityTests.fixture["bce.pos_weight"], reduction: .none)
        }
        return cases
    }()

    @Test(arguments: cases)
    func matchesPyTorch(_ c: LossCase) {
        let f = Self.fixture
        let x = f["\(c.name).input"].requiringGrad()
        let t = f["\(c.name).target"]
        if c.targetGrad { t.requiresGrad = true }
        let loss = c.loss(x, t)
        expectParity(loss, f["\(c.name).loss"], "\(c.name) value")
        if c.reduction == .none {
            loss.backward(f["\(c.name).seed"])
        } else {
            #expect(loss.shape == [])
            loss.backward()
        }
        expectParity(x.grad, f["\(c.name).grad_input"], "\(c.name) input gradient")
        if c.targetGrad {
            expectParity(t.grad, f["\(c.name).grad_target"], "\(c.name) target gradient")
        }
    }
}
