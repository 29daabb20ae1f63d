import Testing
import LoomTensor

/// Finite-difference gradient check in Float64: compares autograd's gradient of
/// `sum(f(inputs) · w)` (w fixed random weights) with central differences.
public func gradCheck(_ name: String, inputs: [Tensor], eps: Double = 1e-6, tol: Double = 1e-6,
               _ f: ([Tensor]) -> Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    for x in inputs {
        precondition(x.dtype == .float64, "gradCheck needs Float64 inputs")
        x.grad = nil
        x.requiresGrad = true
    }
    let probe = withNoGrad { f(inputs) }
    var g = Generator(seed: 99)
    let weights = Tensor.randn(probe.shape, dtype: .float64, generator: &g)
    let loss = (f(inputs) * weights).sum()
    loss.backward()
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

public func randn64(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = Generator(seed: seed)
    return Tensor.randn(shape, dtype: .float64, generator: &g)
}

/// Positive values in [0.5, 1.5) for log/sqrt/div.
public func positive64(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = Generator(seed: seed)
    return Tensor.uniform(shape, low: 0.5, high: 1.5, dtype: .float64, generator: &g)
}
