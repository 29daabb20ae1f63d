import Testing
@testable import LoomTensor
import LoomTestSupport

@Suite("Gradients: every differentiable op against finite differences (Float64)")
struct GradientTests {
    @Test func arithmeticWithBroadcasting() {
        let a = randn64([3, 4], seed: 1), b = randn64([4], seed: 2), c = positive64([3, 1], seed: 3)
        gradCheck("add", inputs: [a, b]) { $0[0] + $0[1] }
        gradCheck("sub", inputs: [a, b]) { $0[0] - $0[1] }
        gradCheck("mul", inputs: [a, c]) { $0[0] * $0[1] }
        gradCheck("div", inputs: [a, c]) { $0[0] / $0[1] }
        gradCheck("neg", inputs: [a]) { -$0[0] }
        gradCheck("scalar ops", inputs: [a]) { (2.5 * $0[0] - 1) / 3 + 0.5 }
        gradCheck("scalar over tensor", inputs: [c]) { 2 / $0[0] }
        gradCheck("maximum", inputs: [a, b]) { Tensor.maximum($0[0], $0[1]) }
        gradCheck("minimum", inputs: [a, b]) { Tensor.minimum($0[0], $0[1]) }
        gradCheck("tensor pow", inputs: [c, randn64([3, 4], seed: 4)]) { $0[0].pow($0[1]) }
    }

    @Test func tensorUsedTwiceAccumulates() {
        let a = randn64([2, 3], seed: 5)
        gradCheck("x*x + x", inputs: [a]) { $0[0] * $0[0] + $0[0] }
        gradCheck("x*exp(x)", inputs: [a]) { $0[0] * $0[0].exp() }
    }

    @Test func unary() {
        let a = randn64([2, 5], seed: 6), p = positive64([2, 5], seed: 7)
        gradCheck("exp", inputs: [a]) { $0[0].exp() }
        gradCheck("log", inputs: [p]) { $0[0].log() }
        gradCheck("tanh", inputs: [a]) { $0[0].tanh() }
        gradCheck("sigmoid", inputs: [a]) { $0[0].sigmoid() }
        gradCheck("relu", inputs: [a]) { $0[0].relu() }
        gradCheck("abs", inputs: [a]) { $0[0].abs() }
        gradCheck("sqrt", inputs: [p]) { $0[0].sqrt() }
        gradCheck("pow 3", inputs: [a]) { $0[0].pow(3) }
        gradCheck("pow -0.5", inputs: [p]) { $0[0].pow(-0.5) }
        gradCheck("clamp", inputs: [a]) { $0[0].clamp(min: -0.5, max: 0.7) }
        gradCheck("clone", inputs: [a]) { $0[0].clone() }
    }

    @Test func reductions() {
        let a = randn64([2, 3, 4], seed: 8)
        gradCheck("sum", inputs: [a]) { $0[0].sum() }
        gradCheck("mean", inputs: [a]) { $0[0].mean() }
        gradCheck("sum dims", inputs: [a]) { $0[0].sum(dims: [0, 2]) }
        gradCheck("sum keepDim", inputs: [a]) { $0[0].sum(dim: -1, keepDim: true) }
        gradCheck("mean dim", inputs: [a]) { $0[0].mean(dim: 1) }
        gradCheck("max dim", inputs: [a]) { $0[0].max(dim: 1).values }
        gradCheck("min dim keep", inputs: [a]) { $0[0].min(dim: 2, keepDim: true).values }
        gradCheck("max all", inputs: [a]) { $0[0].max() }
        gradCheck("min all", inputs: [a]) { $0[0].min() }
        gradCheck("logSumExp", inputs: [a]) { $0[0].logSumExp(dim: 1) }
    }

    @Test func softmaxFamily() {
        let a = randn64([3, 5], seed: 9)
        gradCheck("softmax", inputs: [a]) { $0[0].softmax(dim: 1) }
        gradCheck("softmax dim 0", inputs: [a]) { $0[0].softmax(dim: 0) }
        gradCheck("logSoftmax", inputs: [a]) { $0[0].logSoftmax(dim: -1) }
        let idx = Tensor(shape: [3, 1], scalars: [Double(4), 0, 2])
        gradCheck("gather", inputs: [a]) { $0[0].gather(dim: 1, index: idx) }
    }

    @Test func matmulShapes() {
        gradCheck("mm", inputs: [randn64([3, 4], seed: 10), randn64([4, 2], seed: 11)]) { $0[0].matmul($0[1]) }
        gradCheck("batched · matrix", inputs: [randn64([2, 3, 4], seed: 12), randn64([4, 5], seed: 13)]) { $0[0].matmul($0[1]) }
        gradCheck("bmm broadcast", inputs: [randn64([2, 1, 3, 4], seed: 14), randn64([3, 4, 2], seed: 15)]) { $0[0].matmul($0[1]) }
        gradCheck("vector · matrix", inputs: [randn64([4], seed: 16), randn64([4, 3], seed: 17)]) { $0[0].matmul($0[1]) }
        gradCheck("matrix · vector", inputs: [randn64([3, 4], seed: 18), randn64([4], seed: 19)]) { $0[0].matmul($0[1]) }
        gradCheck("dot", inputs: [randn64([4], seed: 20), randn64([4], seed: 21)]) { $0[0].matmul($0[1]) }
    }

    @Test func shapeOps() {
        let a = randn64([2, 3, 4], seed: 22)
        gradCheck("reshape", inputs: [a]) { $0[0].reshape([4, -1]) * 1 }
        gradCheck("transpose", inputs: [a]) { $0[0].transpose(0, 2) }
        gradCheck("permute", inputs: [a]) { $0[0].permute([1, 2, 0]) }
        gradCheck("squeeze/unsqueeze", inputs: [a]) { $0[0].unsqueeze(1).squeeze(1).unsqueeze(-1) }
        gradCheck("expand", inputs: [randn64([3, 1], seed: 23)]) { $0[0].expand([2, 3, 4]) }
        gradCheck("index", inputs: [a]) { $0[0][1, .all, (-3)...] }
        gradCheck("index step", inputs: [a]) { $0[0][.all, .range(start: 0, end: nil, step: 2)] }
        gradCheck("select last", inputs: [a]) { $0[0][-1] }
        gradCheck("narrow", inputs: [a]) { $0[0].narrow(2, start: 1, length: 2) }
        gradCheck("cat", inputs: [a, randn64([2, 1, 4], seed: 24)]) { Tensor.cat([$0[0], $0[1]], dim: 1) }
        gradCheck("stack", inputs: [randn64([3, 2], seed: 25), randn64([3, 2], seed: 26)]) { Tensor.stack([$0[0], $0[1]], dim: 1) }
        gradCheck("chunk", inputs: [a]) { let c = $0[0].chunk(3, dim: 2); return c[0] * c[1] }
        gradCheck("split sizes", inputs: [a]) { let c = $0[0].split(sizes: [1, 3], dim: -1); return c[1].sum(dim: 2) * c[0].squeeze(-1) }
        gradCheck("flatten", inputs: [a]) { $0[0].flatten(startDim: 1) * 2 }
        gradCheck("where", inputs: [a, randn64([2, 3, 4], seed: 27)]) { Tensor.where($0[0].gt(0), $0[0], $0[1]) }
    }
}
