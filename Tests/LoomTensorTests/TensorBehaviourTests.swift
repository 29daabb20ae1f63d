import Foundation
import LoomTestSupport
import Testing
@testable import LoomTensor

@Suite("Tensor: creation, views, indexing, printing, autograd rules, misuse")
struct TensorBehaviourTests {
    @Test func scopedSeedsAreIsolatedFromTheProcessWideGenerator() {
        let a = withSeed(7) { () -> [Float] in
            manualSeed(7)                      // reseeds the scoped generator, not the global one
            return Tensor.randn([3]).scalars
        }
        var g = Generator(seed: 7)
        #expect(a == Tensor.randn([3], generator: &g).scalars)
        #expect(withSeed(7) { Tensor.randn([3]).scalars } == a)
    }

    @Test func creation() {
        #expect(Tensor.zeros([2, 3]).scalars == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.full([2], 2.5).scalars == [2.5, 2.5])
        #expect(Tensor.arange(5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor.linspace(0, 1, steps: 5).scalars == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor.eye(2, 3).scalars == [1, 0, 0, 0, 1, 0])
        var g1 = Generator(seed: 42), g2 = Generator(seed: 42)
        #expect(Tensor.randn([10], generator: &g1).scalars == Tensor.randn([10], generator: &g2).scalars)
        let a = withSeed(3) { Tensor.rand([4]).scalars }
        let b = withSeed(3) { Tensor.rand([4]).scalars }
        #expect(a == b && a.allSatisfy { $0 >= 0 && $0 < 1 })
        var g = Generator(seed: 1)
        let big = Tensor.randn([20000], generator: &g)
        #expect(abs(big.mean().item()) < 0.03)
        #expect(abs((big * big).mean().item() - 1) < 0.05)
        #expect(Tensor(shape: [2], scalars: [1.0, 2.0] as [Double]).dtype == .float64)
    }

    @Test func viewsShareStorageAndCopiesDoNot() {
        let x = Tensor.arange(6).reshape([2, 3])
        let v = x.view([3, 2])
        v.fill(7)
        #expect(x.scalars.allSatisfy { $0 == 7 }, "reshape/view share storage")
        let t = x.transpose(0, 1)
        t.fill(1)
        #expect(x.scalars.allSatisfy { $0 == 7 }, "transpose is a copy")
        #expect(x.strides == [3, 1])
        #expect(x.unsqueeze(0).shape == [1, 2, 3] && x.unsqueeze(-1).shape == [2, 3, 1])
        #expect(Tensor.zeros([1, 2, 1]).squeeze().shape == [2])
        #expect(Tensor.zeros([3, 1]).expand([2, 3, 4]).shape == [2, 3, 4])
    }

    @Test func indexingMatchesPython() {
        let x = Tensor.arange(24).reshape([2, 3, 4])
        #expect(x[1].shape == [3, 4])
        #expect(x[-1, -1].scalars == [20, 21, 22, 23])
        #expect(x[.all, 1].shape == [2, 4])
        #expect(x[.all, .all, 1..<3].scalars == [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22])
        #expect(x[0, 0, (-2)...].scalars == [2, 3])
        #expect(x[.ellipsis, 0].scalars == [0, 4, 8, 12, 16, 20])
        #expect(x[0, .newAxis].shape == [1, 3, 4])
        #expect(x[0, 0, .range(start: nil, end: nil, step: 2)].scalars == [0, 2])
        #expect(x[0, 0, ...1].scalars == [0, 1])
        let parts = Tensor.arange(7).chunk(3)
        #expect(parts.map(\.shape) == [[3], [3], [1]])
        #expect(Tensor.arange(7).split(sizes: [2, 5]).map(\.count) == [2, 5])
        #expect(Tensor.cat([Tensor.ones([2, 1]), Tensor.zeros([2, 2])], dim: 1).scalars == [1, 0, 0, 1, 0, 0])
        #expect(Tensor.stack([Tensor.ones([2]), Tensor.zeros([2])], dim: 1).scalars == [1, 0, 1, 0])
    }

    @Test func reductionsAndSoftmax() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        #expect(x.sum(dim: 0).scalars == [5, 7, 9])
        #expect(x.mean(dim: 1, keepDim: true).shape == [2, 1])
        #expect(x.max(dim: 1).indices.scalars == [1, 2])
        #expect(x.argmax().item() == 5)
        #expect(x.min().item() == 1)
        let s = x.softmax(dim: 1)
        #expect(s.sum(dim: 1).allClose(Tensor.ones([2]), rtol: 1e-6))
        #expect(x.logSoftmax(dim: 1).exp().allClose(s, rtol: 1e-6))
        #expect(Tensor.oneHot(Tensor([2, 0]), numClasses: 3).scalars == [0, 0, 1, 1, 0, 0])
    }

    @Test func vectorizedKernelsAreAccurate() {
        let f = Tensor.linspace(-30, 30, steps: 6001)
        let xs = f.double()   // the same (Float-representable) points, evaluated in Double
        let pairs: [(Tensor, Tensor, String)] = [(f.exp(), xs.exp(), "exp"), (f.tanh(), xs.tanh(), "tanh"), (f.sigmoid(), xs.sigmoid(), "sigmoid")]
        for (a, b, name) in pairs {
            expectClose(a, b, atol: 1e-7, rtol: 3e-7, name)
        }
        #expect(Tensor([Float(100), -100, .nan]).exp().scalars.prefix(2) == [.infinity, 0])
        #expect(Tensor([Float.nan]).tanh().scalars[0].isNaN)
        // Small arguments keep their relative accuracy (no cancellation in 1 − e^(−2|x|)); −0 stays −0.
        let small = Tensor([Float(1e-30), -3e-6, 1e-3, -0.04, 0.2])
        expectClose(small.tanh(), small.double().tanh(), atol: 0, rtol: 3e-7, "tanh near 0")
        #expect(Tensor([Float(-0.0)]).tanh().scalars[0].sign == .minus)
    }

    @Test func whereIgnoresTheBranchNotTaken() {
        let x = Tensor([Float(-1), 0, 2])
        let y = Tensor.where(x.gt(0), x.log(), Tensor.zeros([3]))
        #expect(y.scalars == [0, 0, Float(0.6931472)])
    }

    @Test func halfPrecisionConversion() {
        let values: [Float] = [0, -0, 1, -2.5, 65504, 1e-8, 6.1e-5, 3.14159, .infinity]
        let back = Tensor(shape: [values.count], halfBits: Tensor(values).halfBits()).scalars
        #expect(back[0...4] == [0, -0, 1, -2.5, 65504])
        #expect(back[5] == 0 || back[5] < 1e-7)
        #expect(abs(back[7] - 3.14159) < 2e-3)
        #expect(back[8] == .infinity)
        #expect(HalfPrecision.halfBits(70000) == 0x7C00, "overflow to infinity")
        #expect(HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16Bits(1.5)) == 1.5)
    }

    @Test func printsLikePyTorch() {
        #expect(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).description == "tensor([[1., 2.],\n        [3., 4.]])")
        let x = Tensor([Float(0.5), -1.25]).requiringGrad()
        #expect(x.description == "tensor([ 0.5000, -1.2500], requires_grad=True)")
        #expect((x * 2).description.hasSuffix("grad_fn=<MulScalarBackward>)"))
        #expect(Tensor(Float(3)).description == "tensor(3.)")
    }

    @Test func autogradRules() {
        let x = Tensor([Float(1), 2, 3]).requiringGrad()
        (x * x).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad?.scalars == [5, 7, 9], "gradients accumulate across backward calls")
        x.zeroGrad()
        #expect(x.grad == nil)
        let y = withNoGrad { x * 2 }
        #expect(!y.requiresGrad && y.gradFn == nil)
        #expect(!x.detach().requiresGrad)
        let z = (x * x).sum()
        z.backward(retainGraph: true)
        z.backward()
        #expect(x.grad?.scalars == [4, 8, 12], "retainGraph allows a second backward")
        let v = x * 2
        v.backward(Tensor([Float(1), 0, 1]))
        #expect(x.grad?.scalars == [6, 8, 14], "explicit gradient for a non-scalar output")
    }

    @Test func misuseStopsWithClearMessages() async {
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }, contains: "shapes [2, 3] and [4] cannot be broadcast together")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([2, 3]))
        }, contains: "matmul: shapes [2, 3] and [2, 3] cannot be multiplied (2x3 and 2x3)")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            (Tensor.ones([3]).requiringGrad() * 2).backward()
        }, contains: "grad can be implicitly created only for scalar outputs; this tensor has shape [3]")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3])[0, 5]
        }, contains: "index 5 is out of bounds for dimension 1 with size 3 (shape [2, 3])")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor.ones([2]).requiringGrad()
            let y = (x * x).sum()
            y.backward()
            y.backward()
        }, contains: "trying to backward through the graph a second time")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([6]).reshape([4, -1])
        }, contains: "shape [4, -1] is invalid for input of size 6")
    }
}

@Suite("Denormal flushing")
struct DenormalTests {
    @Test func flushesOnlyInsideTheScope() {
        let tiny = Tensor([Float.leastNormalMagnitude])
        let inside = Denormals.flushingToZero { (tiny * 0.25).item() }
        let outside = (tiny * 0.25).item()
        #expect(inside == 0)
        #expect(outside == Float.leastNormalMagnitude * 0.25)
    }
}
