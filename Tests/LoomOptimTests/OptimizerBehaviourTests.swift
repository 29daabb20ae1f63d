import Foundation
import Testing
@testable import LoomOptim

@Suite("Optimizers: defaults, groups, zeroGrad and state")
struct OptimizerBehaviourTests {
    @Test func defaultsFollowPyTorch() {
        let p = [Tensor.randn([3]).requiringGrad()]
        let adam = Adam(p)
        #expect(adam.paramGroups[0].lr == 1e-3 && adam.betas == (0.9, 0.999) && adam.eps == 1e-8)
        #expect(adam.paramGroups[0].weightDecay == 0 && !adam.amsgrad)
        let adamW = AdamW(p)
        #expect(adamW.paramGroups[0].lr == 1e-3 && adamW.paramGroups[0].weightDecay == 1e-2)
        let rms = RMSprop(p)
        #expect(rms.paramGroups[0].lr == 1e-2 && rms.alpha == 0.99 && rms.eps == 1e-8)
        #expect(rms.momentum == 0 && !rms.centered && rms.paramGroups[0].weightDecay == 0)
        let sgd = SGD(p, lr: 0.1)
        #expect(sgd.momentum == 0 && sgd.dampening == 0 && !sgd.nesterov && sgd.paramGroups[0].weightDecay == 0)
        #expect(adam.kind == "Adam" && adamW.kind == "AdamW" && rms.kind == "RMSprop" && sgd.kind == "SGD")
    }

    /// The vectorized Adam replaces PyTorch's two divisions by a reciprocal (a refined estimate
    /// on AVX-512): the first step from p = 0 with lr = 1 is −g/(|g| + eps) up to float rounding,
    /// so any coarser reciprocal shows here. 37 and 1000 parameters: a partial block and many.
    @Test func adamUpdateIsWithinFloatRoundingOfTheFormula() {
        var rng = Generator(seed: 11)
        for (n, amsgrad, decay) in [(37, false, 0.0), (1000, false, 0.0), (1000, true, 0.0), (37, false, 0.01)] {
            let g = (0..<n).map { _ in Float(rng.nextNormal() * pow(10, Double(rng.nextFloat() * 7 - 5))) }
            let p = Tensor(zeros: [n]).requiringGrad()
            p.grad = Tensor(g)
            Adam([p], lr: 1, eps: 1e-8, weightDecay: decay, amsgrad: amsgrad).step()
            for (i, got) in p.scalars.enumerated() {
                let gi = Double(g[i]), m = 0.1 * gi, v = 0.001 * gi * gi
                let expected = -(1 / 0.1) * m / (v.squareRoot() / 0.001.squareRoot() + 1e-8)
                #expect(abs(Double(got) - expected) <= 1e-6 * abs(expected),
                        "n \(n) amsgrad \(amsgrad): parameter \(i) is \(got), expected \(expected) (gradient \(gi))")
            }
        }
    }

    /// A gradient so large that its square overflows (v = ∞) gives an update of m/∞ = 0, as
    /// PyTorch's division does — not NaN from a reciprocal's refinement (∞·0); NaN stays NaN.
    @Test func adamWithAnOverflowingSecondMomentLeavesTheParameter() {
        let p = Tensor([Float](repeating: 0.5, count: 37)).requiringGrad()
        p.grad = Tensor([Float](repeating: 1e21, count: 37))
        let q = Tensor([Float](repeating: 0.5, count: 37)).requiringGrad()
        q.grad = Tensor([Float](repeating: .nan, count: 37))
        Adam([p, q], lr: 0.1).step()
        #expect(p.scalars == [Float](repeating: 0.5, count: 37))
        #expect(q.scalars.allSatisfy { $0.isNaN }, "a NaN gradient still makes the parameter NaN, as in PyTorch")
    }

    @Test func zeroGradSetsNilAndParametersWithoutGradientAreSkipped() {
        let a = Tensor([1, 2] as [Float]).requiringGrad(), b = Tensor([3] as [Float]).requiringGrad()
        let opt = SGD([a, b], lr: 0.5, momentum: 0.9)
        a.grad = Tensor([1, 1] as [Float])
        opt.step()
        #expect(a.scalars == [0.5, 1.5])
        #expect(b.scalars == [3])
        #expect(opt.state(of: a)?.step == 1 && opt.state(of: b) == nil)
        opt.zeroGrad()
        #expect(a.grad == nil && b.grad == nil)
        a.grad = Tensor([2, 2] as [Float])
        opt.zeroGrad(setToNone: false)
        #expect(a.grad?.scalars == [0, 0])
    }

    @Test func trainsAModuleInPlace() {
        // Seeded: the default generator is shared with tests running at the same time, and how
        // far 100 Adam steps get depends on the initial weights.
        let layer = withSeed(3) { Linear(2, 1) }
        let opt = Adam(layer.parameters(), lr: 0.1)
        let weight = layer.weight
        let x = Tensor(rows: [[1, 2], [3, 4], [-1, 0.5]]), y = Tensor(rows: [[1], [2], [0]])
        var first = 0.0, last = 0.0
        for i in 0..<100 {
            opt.zeroGrad()
            let loss = mseLoss(layer(x), y)
            loss.backward()
            opt.step()
            if i == 0 { first = loss.doubleItem() }
            last = loss.doubleItem()
        }
        #expect(layer.weight === weight)
        #expect(last < first / 100)
    }

    @Test func groupsResolveDefaultsAndSchedulableLearningRates() {
        let a = Tensor.randn([2]).requiringGrad(), b = Tensor.randn([2]).requiringGrad()
        let opt = SGD([ParamGroup([a]), ParamGroup(params: [b], lr: 0.01, weightDecay: 0.5)], lr: 0.1, weightDecay: 0.1)
        #expect(opt.paramGroups.map(\.lr) == [0.1, 0.01])
        #expect(opt.paramGroups.map(\.weightDecay) == [0.1, 0.5])
        let c = Tensor.randn([1]).requiringGrad()
        opt.addParamGroup(ParamGroup([c], lr: 1))
        #expect(opt.paramGroups.map(\.lr) == [0.1, 0.01, 1] && opt.paramGroups[2].weightDecay == 0.1)
        a.grad = Tensor.ones([2])
        opt.step()
        let state = opt.state(of: a)
        opt.paramGroups[0].lr = 0.05
        #expect(opt.state(of: a) === state, "changing a learning rate keeps the state")
        opt.paramGroups.swapAt(0, 1)
        #expect(opt.state(of: a) === state, "reordering groups keeps each parameter's state")
    }

    @Test func saveAndLoadAFile() throws {
        let p = [Tensor.randn([2, 3]).requiringGrad(), Tensor.randn([4]).requiringGrad()]
        let opt = Adam(p, lr: 0.01, amsgrad: true)
        for _ in 0..<3 {
            for t in p { t.grad = Tensor.randn(t.shape) }
            opt.step()
        }
        opt.paramGroups[0].lr = 0.003
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-opt-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try opt.save(to: url)
        let restored = Adam(p)
        try restored.load(from: url)
        #expect(restored.paramGroups[0].lr == 0.003 && restored.amsgrad && restored.state(of: p[0])?.step == 3)
        for (name, t) in opt.stateDict().tensors {
            #expect(restored.stateDict().tensors[name]?.scalars == t.scalars, "\(name)")
        }
        #expect(restored.stateDict().info == opt.stateDict().info)
    }

    @Test func loadingRejectsMismatches() {
        let p = [Tensor.randn([2]).requiringGrad()]
        let adam = Adam(p)
        p[0].grad = Tensor.ones([2])
        adam.step()
        #expect(throws: OptimizerStateError.kindMismatch(expected: "SGD", found: "Adam")) {
            try SGD(p, lr: 0.1).loadStateDict(adam.stateDict())
        }
        #expect(throws: OptimizerStateError.groupMismatch(expected: [2], found: [1])) {
            try Adam([Tensor.randn([2]).requiringGrad(), Tensor.randn([2]).requiringGrad()]).loadStateDict(adam.stateDict())
        }
        #expect(throws: OptimizerStateError.shapeMismatch(name: "state.0.exp_avg", expected: [3], found: [2])) {
            try Adam([Tensor.randn([3]).requiringGrad()]).loadStateDict(adam.stateDict())
        }
        #expect(throws: (any Error).self) {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-missing-\(UUID()).safetensors")
            try adam.load(from: url)
        }
    }

    /// One step of each optimizer on Float64 parameters against PyTorch's first-step formulas
    /// evaluated in Double. The tolerance (1e-13 around values of 1–2) is far below Float32's
    /// resolution (6e-8 there), so a step skipped, or computed or rounded in Float32, fails.
    @Test func float64ParametersUpdateInFloat64() {
        let start = [1, -2] as [Double], gradient = [0.5, 0.25] as [Double]
        let (beta1, beta2, eps) = (0.9, 0.999, 1e-8)
        func adam(_ p: Double, _ g: Double, lr: Double) -> Double {
            let m = (1 - beta1) * g, v = (1 - beta2) * g * g
            return p - lr / (1 - beta1) * m / ((v / (1 - beta2)).squareRoot() + eps)
        }
        let cases: [(String, ([Tensor]) -> Optimizer, (Double, Double) -> Double)] = [
            // Nesterov, first step: buffer = g, update g + μ·buffer.
            ("SGD", { SGD($0, lr: 0.1, momentum: 0.9, nesterov: true) }, { p, g in p - 0.1 * (g + 0.9 * g) }),
            ("Adam", { Adam($0) }, { p, g in adam(p, g, lr: 1e-3) }),
            // Decoupled decay first: p·(1 − lr·λ), then Adam's step.
            ("AdamW", { AdamW($0) }, { p, g in adam(p * (1 - 1e-3 * 1e-2), g, lr: 1e-3) }),
            // Centered: divide by sqrt(E[g²] − E[g]²) + eps.
            ("RMSprop", { RMSprop($0, centered: true) }, { p, g in
                let square = 0.01 * g * g, mean = 0.01 * g
                return p - 1e-2 * g / ((square - mean * mean).squareRoot() + eps)
            }),
        ]
        for (name, make, formula) in cases {
            let p = Tensor(start).requiringGrad()
            let optimizer = make([p])
            p.grad = Tensor(gradient)
            optimizer.step()
            #expect(p.dtype == .float64, "\(name)")
            for i in start.indices {
                let expected = formula(start[i], gradient[i])
                #expect(abs(p.doubleScalars[i] - expected) <= 1e-13, "\(name)[\(i)]: \(p.doubleScalars[i]) vs \(expected)")
                #expect(abs(expected - start[i]) > 1e-4, "\(name)[\(i)]: the step must move the parameter")
            }
        }
    }

    @Test func stateFollowsAModelConvertedToDouble() {
        let layer = Linear(3, 2)
        let x = Tensor.randn([4, 3]), y = Tensor.randn([4, 2])
        for opt in [Adam(layer.parameters(), amsgrad: true), SGD(layer.parameters(), lr: 0.1, momentum: 0.9),
                    RMSprop(layer.parameters(), momentum: 0.5, centered: true)] as [Optimizer] {
            layer.toFloat()
            opt.zeroGrad()
            mseLoss(layer(x), y).backward()
            opt.step()
            layer.toDouble()
            opt.zeroGrad()
            mseLoss(layer(x.double()), y.double()).backward()
            opt.step()
            #expect(layer.parameters().allSatisfy { $0.dtype == .float64 && $0.allFinite })
            #expect(opt.state(of: layer.weight)!.buffers.compactMap { $0 }.allSatisfy { $0.dtype == .float64 })
        }
    }
}
