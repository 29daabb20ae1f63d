import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

/// Compares with ``expectClose`` and, when `LOOM_PARITY_REPORT=1`, prints the largest absolute
/// difference (the numbers quoted in the parity summary). Printing only; numerics never change.
@discardableResult
func expectParity(_ actual: Tensor?, _ expected: Tensor, atol: Double = 1e-5, rtol: Double = 1e-4,
                  _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    let worst = expectClose(actual, expected, atol: atol, rtol: rtol, what, sourceLocation: sourceLocation)
    if ProcessInfo.processInfo.environment["LOOM_PARITY_REPORT"] == "1" {
        print("parity \(what): max |diff| \(worst)")
    }
    return worst
}

/// Finite-difference gradient check in Float64: autograd's gradient of Σ f(inputs) · w (w fixed
/// random weights) against central differences, for every element of every input.
func gradCheck(_ name: String, inputs: [Tensor], eps: Double = 1e-6, tol: Double = 1e-6,
               _ f: ([Tensor]) -> Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    for x in inputs {
        precondition(x.dtype == .float64, "gradCheck needs Float64 inputs")
        x.grad = nil
        x.requiresGrad = true
    }
    let probe = withNoGrad { f(inputs) }
    var g = Generator(seed: 99)
    let weights = Tensor.randn(probe.shape, dtype: .float64, generator: &g)
    (f(inputs) * weights).sum().backward()
    for (k, x) in inputs.enumerated() {
        let analytic = x.grad?.doubleScalars ?? [Double](repeating: 0, count: x.count)
        let p = x.storage.pointer(Double.self)
        for i in 0..<x.count {
            let saved = p[i]
            p[i] = saved + eps
            let plus = withNoGrad { (f(inputs) * weights).sum().doubleItem() }
            p[i] = saved - eps
            let minus = withNoGrad { (f(inputs) * weights).sum().doubleItem() }
            p[i] = saved
            let numeric = (plus - minus) / (2 * eps)
            let ok = abs(numeric - analytic[i]) <= tol + 1e-5 * abs(numeric)
            #expect(ok, "\(name): input \(k) element \(i): autograd \(analytic[i]) vs finite difference \(numeric)",
                    sourceLocation: sourceLocation)
            if !ok { return }
        }
    }
}

func randn64(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = Generator(seed: seed)
    return Tensor.randn(shape, dtype: .float64, generator: &g)
}
