import Foundation

/// The activations that LoomTensor does not have, each with its backward beside the forward.
extension Tensor {
    /// How ``gelu(approximate:)`` evaluates Φ.
    public enum GELUApproximation: String, Sendable { case none, tanh }

    /// Gaussian error linear unit, like `torch.nn.functional.gelu`:
    ///
    ///     exact:  y = x · Φ(x) = ½ x (1 + erf(x / √2))
    ///     tanh:   y = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))
    ///
    /// Backward: Φ(x) + x φ(x) (exact), or the derivative of the tanh form. Computed in Double.
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        let c = (2 / Double.pi).squareRoot()
        let f: (Double) -> Double
        let df: (Double) -> Double
        switch approximate {
        case .none:
            f = { x in 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot())) }
            df = { x in 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }
        case .tanh:
            f = { x in 0.5 * x * (1 + Foundation.tanh(c * (x + 0.044715 * x * x * x))) }
            df = { x in
                let t = Foundation.tanh(c * (x + 0.044715 * x * x * x))
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
            }
        }
        let y = elementwise({ Float(f(Double($0))) }, f)
        return Tensor.record("GeluBackward", y, inputs: [self]) { [self] g in
            [g * self.elementwise({ Float(df(Double($0))) }, df)]
        }
    }

    /// Leaky ReLU, like `torch.nn.functional.leaky_relu`: y = x for x > 0, else slope · x.
    /// Backward: 1 or slope (slope at 0, as PyTorch).
    public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor {
        let s = Float(negativeSlope)
        let y = elementwise({ $0 > 0 ? $0 : $0 * s }, { $0 > 0 ? $0 : $0 * negativeSlope })
        return Tensor.record("LeakyReluBackward", y, inputs: [self]) { [self] g in
            [g * self.elementwise({ $0 > 0 ? 1 : s }, { $0 > 0 ? 1 : negativeSlope })]
        }
    }

    /// f applied to every element into a new tensor (no autograd).
    func elementwise(_ f32: (Float) -> Float, _ f64: (Double) -> Double) -> Tensor {
        let out = Tensor(uninitialized: shape, dtype: dtype)
        switch dtype {
        case .float32:
            let x = storage.pointer(Float.self), y = out.storage.pointer(Float.self)
            for i in 0..<count { y[i] = f32(x[i]) }
        case .float64:
            let x = storage.pointer(Double.self), y = out.storage.pointer(Double.self)
            for i in 0..<count { y[i] = f64(x[i]) }
        }
        return out
    }
}
