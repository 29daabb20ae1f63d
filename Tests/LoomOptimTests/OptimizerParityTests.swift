import Foundation
import LoomTestSupport
import Testing
@testable import LoomOptim

/// One optimizer configuration of scripts/fixtures/optim_steps.py.
struct OptimizerVariant: CustomTestStringConvertible, Sendable {
    let name: String
    let make: @Sendable ([Tensor]) -> Optimizer
    var float64: Bool { name.hasSuffix("_f64") }
    var testDescription: String { name }
}

@Suite("Optimizers: 20 steps against PyTorch")
struct OptimizerParityTests {
    nonisolated(unsafe) static let fixture = try! Fixture("optim_steps.json", bundle: .module)
    static let steps = 20

    static let variants: [OptimizerVariant] = [
        .init(name: "sgd") { SGD($0, lr: 0.1) },
        .init(name: "sgd_wd") { SGD($0, lr: 0.1, weightDecay: 0.05) },
        .init(name: "sgd_momentum") { SGD($0, lr: 0.05, momentum: 0.9) },
        .init(name: "sgd_momentum_dampening_wd") { SGD($0, lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01) },
        .init(name: "sgd_nesterov") { SGD($0, lr: 0.05, momentum: 0.9, nesterov: true) },
        .init(name: "sgd_nesterov_wd") { SGD($0, lr: 0.05, momentum: 0.9, weightDecay: 0.1, nesterov: true) },
        .init(name: "adam") { Adam($0) },
        .init(name: "adam_lr_betas") { Adam($0, lr: 0.01, betas: (0.8, 0.99), eps: 1e-6) },
        .init(name: "adam_wd") { Adam($0, lr: 0.01, weightDecay: 0.1) },
        .init(name: "adam_amsgrad") { Adam($0, lr: 0.01, amsgrad: true) },
        .init(name: "adam_amsgrad_wd") { Adam($0, lr: 0.01, weightDecay: 0.05, amsgrad: true) },
        .init(name: "adamw") { AdamW($0) },
        .init(name: "adamw_wd_amsgrad") { AdamW($0, lr: 0.01, weightDecay: 0.1, amsgrad: true) },
        .init(name: "rmsprop") { RMSprop($0) },
        .init(name: "rmsprop_wd") { RMSprop($0, lr: 0.01, weightDecay: 0.1) },
        .init(name: "rmsprop_momentum") { RMSprop($0, lr: 0.01, momentum: 0.9) },
        .init(name: "rmsprop_centered") { RMSprop($0, lr: 0.01, centered: true) },
        .init(name: "rmsprop_centered_momentum_wd") {
            RMSprop($0, lr: 0.005, alpha: 0.9, weightDecay: 0.02, momentum: 0.5, centered: true)
        },
        .init(name: "sgd_groups") { SGD([ParamGroup([$0[0]]), ParamGroup([$0[1]], lr: 0.01)], lr: 0.1, momentum: 0.9) },
        .init(name: "adam_groups") {
            Adam([ParamGroup([$0[0]], weightDecay: 0.1), ParamGroup([$0[1]], lr: 0.05)], lr: 0.01)
        },
        .init(name: "adam_f64") { Adam($0, lr: 0.01, weightDecay: 0.01, amsgrad: true) },
        .init(name: "rmsprop_centered_f64") { RMSprop($0, lr: 0.01, momentum: 0.9, centered: true) },
    ]

    /// The initial parameters and the gradient of step k for parameter i.
    static func inputs(_ variant: OptimizerVariant) -> (params: [Tensor], grad: (Int, Int) -> Tensor) {
        let f = fixture
        let prefix = variant.float64 ? "init64" : "init"
        let load: (String) -> Tensor = variant.float64 ? { f.double($0) } : { f[$0] }
        let params = (0..<2).map { load("\(prefix).p\($0)").requiringGrad() }
        let grads = (0..<2).map { load((variant.float64 ? "grads64" : "grads") + ".p\($0)") }
        return (params, { i, k in grads[i][k] })
    }

    /// Expected parameter i after step k.
    static func expected(_ variant: OptimizerVariant, _ i: Int, _ k: Int) -> Tensor {
        (variant.float64 ? fixture.double("\(variant.name).p\(i)") : fixture["\(variant.name).p\(i)"])[k]
    }

    static func tolerance(_ variant: OptimizerVariant) -> (atol: Double, rtol: Double) {
        variant.float64 ? (1e-13, 1e-12) : (1e-7, 1e-6)
    }

    @Test(arguments: variants)
    func twentyStepsMatchPyTorch(_ variant: OptimizerVariant) {
        let (params, grad) = Self.inputs(variant)
        let opt = variant.make(params)
        let (atol, rtol) = Self.tolerance(variant)
        var worst = 0.0
        for k in 0..<Self.steps {
            for (i, p) in params.enumerated() { p.grad = grad(i, k) }
            opt.step()
            for (i, p) in params.enumerated() {
                worst = max(worst, expectClose(p, Self.expected(variant, i, k), atol: atol, rtol: rtol,
                                               "\(variant.name) p\(i) after step \(k + 1)"))
            }
        }
        if ProcessInfo.processInfo.environment["LOOM_PARITY_REPORT"] == "1" {
            print("parity optimizer \(variant.name): max |diff| over 20 steps \(worst)")
        }
    }

    /// Ten steps, a state-dict round trip into a fresh optimizer, ten more steps: the same
    /// parameters as twenty uninterrupted PyTorch steps.
    @Test(arguments: variants)
    func stateDictRoundTripResumesExactly(_ variant: OptimizerVariant) throws {
        let (params, grad) = Self.inputs(variant)
        var opt = variant.make(params)
        for k in 0..<10 {
            for (i, p) in params.enumerated() { p.grad = grad(i, k) }
            opt.step()
        }
        let saved = opt.stateDict()
        opt = variant.make(params)
        try opt.loadStateDict(saved)
        for k in 10..<Self.steps {
            for (i, p) in params.enumerated() { p.grad = grad(i, k) }
            opt.step()
        }
        let (atol, rtol) = Self.tolerance(variant)
        for (i, p) in params.enumerated() {
            expectClose(p, Self.expected(variant, i, Self.steps - 1), atol: atol, rtol: rtol, "\(variant.name) p\(i)")
        }
    }
}
