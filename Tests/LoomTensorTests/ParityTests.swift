import Foundation
import LoomTestSupport
import Testing
@testable import LoomTensor

@Suite("Parity with PyTorch fixtures")
struct ParityTests {
    /// scripts/fixtures/tensor_ops.py: a mixed expression of matmul, broadcasting, tanh, sigmoid,
    /// exp, abs, softmax, transpose, logSoftmax, log, max over a dim, clamp, pow and sqrt.
    @Test func mixedExpressionValuesAndGradients() throws {
        let f = try Fixture("mixed_expression.json", bundle: .module)
        let a = f["a"].requiringGrad(), b = f["b"].requiringGrad()
        let c = f["c"].requiringGrad(), d = f["d"].requiringGrad()
        let h = (a.matmul(b) + c).tanh()
        let s = (h * d).sigmoid() - (-h.abs()).exp()
        let p = s.softmax(dim: 1)
        let ls = s.t().logSoftmax(dim: 0)
        let y = (p * 3).sum() + ls.mean() + (d + 1).log().sum() + s.max(dim: 0).values.sum()
            + h.clamp(min: -0.5, max: 0.5).pow(2).sum() + (d + 0.1).sqrt().sum()
        y.backward()
        expectClose(h, f["h"], "h")
        expectClose(s, f["s"], "s")
        expectClose(y, f["y"], "y")
        expectClose(a.grad, f["grad_a"], "grad a")
        expectClose(b.grad, f["grad_b"], "grad b")
        expectClose(c.grad, f["grad_c"], "grad c")
        expectClose(d.grad, f["grad_d"], "grad d")
    }
}
