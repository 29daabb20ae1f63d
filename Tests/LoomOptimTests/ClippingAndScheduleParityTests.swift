import Foundation
import LoomTestSupport
import Testing
@testable import LoomOptim

@Suite("Gradient clipping and learning-rate schedules against PyTorch")
struct ClippingAndScheduleParityTests {
    nonisolated(unsafe) static let fixture = try! Fixture("optim_schedules.json", bundle: .module)

    static func parameters(dtype: DType = .float32) -> [Tensor] {
        (0..<3).map { i in
            let g = fixture["clip.grad\(i)"].to(dtype)
            let p = Tensor.zeros(like: g).requiringGrad()
            p.grad = g
            return p
        }
    }

    static func report(_ what: String, _ worst: Double) {
        if ProcessInfo.processInfo.environment["LOOM_PARITY_REPORT"] == "1" { print("parity \(what): max |diff| \(worst)") }
    }

    @Test(arguments: [("l2_clip", 1.0, 2.0), ("l2_no_clip", 100.0, 2.0), ("l1", 2.0, 1.0),
                      ("inf", 0.5, Double.infinity), ("p3", 1.5, 3.0), ("l2_exact", -1.0, 2.0)])
    func clipGradNormMatchesPyTorch(_ name: String, _ maxNorm: Double, _ normType: Double) {
        let f = Self.fixture
        let limit = maxNorm < 0 ? f.double("clip.l2_exact.max_norm").doubleItem() : maxNorm
        let params = Self.parameters()
        let total = clipGradNorm(params, maxNorm: limit, normType: normType)
        let expectedTotal = f.double("clip.\(name).total").doubleItem()
        #expect(abs(total - expectedTotal) <= 1e-6 * expectedTotal, "\(name): total norm \(total) vs PyTorch \(expectedTotal)")
        var worst = abs(total - expectedTotal)
        for (i, p) in params.enumerated() {
            worst = max(worst, expectClose(p.grad, f["clip.\(name).g\(i)"], atol: 1e-7, rtol: 1e-6, "\(name) grad \(i)"))
        }
        Self.report("clipGradNorm \(name)", worst)
        // Float64 gradients take the same path in Float64.
        let params64 = Self.parameters(dtype: .float64)
        let total64 = clipGradNorm(params64, maxNorm: limit, normType: normType)
        #expect(abs(total64 - expectedTotal) <= 1e-6 * expectedTotal)
    }

    @Test func clipGradValueMatchesPyTorch() {
        let params = Self.parameters()
        clipGradValue(params, clipValue: 0.7)
        for (i, p) in params.enumerated() {
            expectClose(p.grad, Self.fixture["clip.value.g\(i)"], atol: 0, rtol: 0, "clip value grad \(i)")
        }
    }

    @Test func nonFiniteNormsAreRefusedWhenAsked() throws {
        let p = Tensor([1, 2] as [Float]).requiringGrad()
        p.grad = Tensor([Float.nan, 1])
        #expect(throws: GradientClippingError.self) { try clipGradNorm([p], maxNorm: 1, errorIfNonfinite: true) }
        #expect(p.grad!.scalars[1] == 1, "a refused clip leaves the gradients unchanged")
        p.grad = Tensor([Float.infinity, 1])
        #expect(throws: GradientClippingError.self) { try clipGradNorm([p], maxNorm: 1, normType: .infinity, errorIfNonfinite: true) }
        p.grad = Tensor([3, 4])
        #expect(try clipGradNorm([p], maxNorm: 1, errorIfNonfinite: true) == 5)
        #expect(clipGradNorm([Tensor.zeros([2]).requiringGrad()], maxNorm: 1) == 0, "no gradients: norm 0")
    }

    static let schedules: [(String, @Sendable (Optimizer) -> any LearningRateScheduler)] = [
        ("step", { StepLR($0, stepSize: 7, gamma: 0.5) }),
        ("multistep", { MultiStepLR($0, milestones: [3, 10, 11], gamma: 0.3) }),
        ("exponential", { ExponentialLR($0, gamma: 0.9) }),
        ("cosine", { CosineAnnealingLR($0, tMax: 12, etaMin: 0.001) }),
        ("linear", { LinearLR($0, startFactor: 0.25, endFactor: 1, totalIters: 8) }),
        ("linear_default", { LinearLR($0) }),
        ("plateau", { ReduceLROnPlateau($0, factor: 0.5, patience: 2, cooldown: 1, minLR: 0.004) }),
        ("plateau_max_abs", { ReduceLROnPlateau($0, mode: .max, factor: 0.2, patience: 1, threshold: 0.01, thresholdMode: .abs) }),
    ]

    @Test(arguments: schedules.map(\.0))
    func schedulesMatchPyTorch(_ name: String) throws {
        let make = Self.schedules.first { $0.0 == name }!.1
        let w = [Tensor.zeros([1]).requiringGrad(), Tensor.zeros([1]).requiringGrad()]
        let opt = SGD([ParamGroup([w[0]]), ParamGroup([w[1]], lr: 0.05)], lr: 0.1)
        let scheduler = make(opt)
        let expected = Self.fixture.double("sched.\(name)").doubleScalars
        let metrics = Self.fixture.double("plateau.metrics").doubleScalars
        var rows = [scheduler.lastLR]
        for e in 0..<30 {
            opt.step()
            if let plateau = scheduler as? ReduceLROnPlateau { plateau.step(metrics[e]) } else { (scheduler as! LRScheduler).step() }
            rows.append(scheduler.lastLR)
        }
        let actual = rows.flatMap { $0 }
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        for (i, (a, b)) in zip(actual, expected).enumerated() {
            #expect(abs(a - b) <= 1e-12 + 1e-12 * abs(b), "\(name) epoch \(i / 2) group \(i % 2): \(a) vs PyTorch \(b)")
        }
        Self.report("scheduler \(name)", worst)
    }

    @Test func schedulerStateRoundTrip() throws {
        let w = Tensor.zeros([1]).requiringGrad()
        let opt = SGD([w], lr: 0.1)
        let cosine = CosineAnnealingLR(opt, tMax: 10)
        for _ in 0..<4 { cosine.step() }
        let saved = try JSONDecoder().decode(SchedulerState.self, from: JSONEncoder().encode(cosine.stateDict()))
        let other = SGD([w], lr: 0.1)
        let restored = CosineAnnealingLR(other, tMax: 10)
        try restored.loadStateDict(saved)
        #expect(restored.lastEpoch == 4 && other.paramGroups[0].lr == opt.paramGroups[0].lr)
        cosine.step(); restored.step()
        #expect(other.paramGroups[0].lr == opt.paramGroups[0].lr)
        #expect(throws: SchedulerStateError.kindMismatch(expected: "StepLR", found: "CosineAnnealingLR")) {
            try StepLR(other, stepSize: 2).loadStateDict(saved)
        }
        let warmup = LinearWarmup(SGD([w], lr: 1), warmupSteps: 4)
        var lrs = [warmup.lastLR[0]]
        for _ in 0..<5 { warmup.step(); lrs.append(warmup.lastLR[0]) }
        #expect(lrs == [0, 0.25, 0.5, 0.75, 1, 1])
    }
}
