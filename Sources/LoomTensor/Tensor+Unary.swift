/// Element-wise functions of one tensor, each with its backward right after the forward.
extension Tensor {
    /// Applies `f` to every element, choosing the Float or Double specialization.
    func map(_ f32: (Float) -> Float, _ f64: (Double) -> Double) -> Tensor {
        dtype == .float32 ? Kernels.unaryMap(Float.self, self, f32) : Kernels.unaryMap(Double.self, self, f64)
    }

    /// Runs one of the vectorized Float kernels, or `f64` element-wise for Double.
    private func vectorized(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                            _ f64: (Double) -> Double) -> Tensor {
        guard dtype == .float32 else { return Kernels.unaryMap(Double.self, self, f64) }
        let out = Tensor(uninitialized: shape, dtype: .float32)
        kernel(storage.pointer(Float.self), out.storage.pointer(Float.self), count)
        return out
    }

    /// eˣ. Backward: ∂/∂x = eˣ (the output).
    public func exp() -> Tensor {
        let y = vectorized(Kernels.exp) { .exp($0) }
        return Tensor.record("ExpBackward", y, inputs: [self]) { g in [g * y] }
    }

    /// Natural logarithm. Backward: g / x.
    public func log() -> Tensor {
        let y = map({ .log($0) }, { .log($0) })
        return Tensor.record("LogBackward", y, inputs: [self]) { [self] g in [g / self] }
    }

    /// Hyperbolic tangent. Backward: g · (1 − y²).
    public func tanh() -> Tensor {
        let y = vectorized(Kernels.tanh) { .tanh($0) }
        return Tensor.record("TanhBackward", y, inputs: [self]) { g in [g * (1 - y * y)] }
    }

    /// Logistic sigmoid 1 / (1 + e⁻ˣ). Backward: g · y · (1 − y).
    public func sigmoid() -> Tensor {
        let y = vectorized(Kernels.sigmoid) { 1 / (1 + .exp(-$0)) }
        return Tensor.record("SigmoidBackward", y, inputs: [self]) { g in [g * y * (1 - y)] }
    }

    /// max(x, 0). Backward: g where x > 0, else 0.
    public func relu() -> Tensor {
        let y = map({ $0 > 0 ? $0 : 0 }, { $0 > 0 ? $0 : 0 })
        return Tensor.record("ReluBackward", y, inputs: [self]) { [self] g in
            [g * self.map({ $0 > 0 ? 1 : 0 }, { $0 > 0 ? 1 : 0 })]
        }
    }

    /// |x|. Backward: g · sign(x) (0 at 0, as PyTorch).
    public func abs() -> Tensor {
        let y = map({ Swift.abs($0) }, { Swift.abs($0) })
        return Tensor.record("AbsBackward", y, inputs: [self]) { [self] g in [g * self.sign()] }
    }

    /// −1, 0 or 1 by the sign of each element (no gradient).
    public func sign() -> Tensor {
        map({ $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
    }

    /// √x. Backward: g / (2√x).
    public func sqrt() -> Tensor {
        let y = map({ $0.squareRoot() }, { $0.squareRoot() })
        return Tensor.record("SqrtBackward", y, inputs: [self]) { g in [g / (2 * y)] }
    }

    /// xᵖ for a constant exponent. Backward: g · p · xᵖ⁻¹.
    public func pow(_ exponent: Double) -> Tensor {
        // Integral exponents use repeated multiplication so negative bases work (x³ of -2 is -8).
        let integral = exponent == exponent.rounded() && Swift.abs(exponent) < 1e9
        let n = integral ? Int(exponent) : 0
        let y = integral
            ? map({ Float.pow($0, n) }, { Double.pow($0, n) })
            : map({ Float.pow($0, Float(exponent)) }, { Double.pow($0, exponent) })
        return Tensor.record("PowBackward", y, inputs: [self]) { [self] g in
            [g * exponent * self.pow(exponent - 1)]
        }
    }

    /// Clamps every element into `[min, max]` (either bound optional).
    /// Backward: g where min ≤ x ≤ max, else 0 (PyTorch's convention at the bounds).
    public func clamp(min lo: Double? = nil, max hi: Double? = nil) -> Tensor {
        let l = lo ?? -.infinity, h = hi ?? .infinity
        precondition(l <= h, "clamp: min \(l) is greater than max \(h)")
        let y = map({ Swift.min(Swift.max($0, Float(l)), Float(h)) }, { Swift.min(Swift.max($0, l), h) })
        return Tensor.record("ClampBackward", y, inputs: [self]) { [self] g in
            [g * self.map({ $0 >= Float(l) && $0 <= Float(h) ? 1 : 0 }, { $0 >= l && $0 <= h ? 1 : 0 })]
        }
    }

    /// Element-wise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        let y = x.map({ -$0 }, { -$0 })
        return Tensor.record("NegBackward", y, inputs: [x]) { g in [-g] }
    }

    /// x · scalar, recorded with a cheap backward.
    public func scaled(by factor: Double) -> Tensor {
        let f = Float(factor)
        let y = map({ $0 * f }, { $0 * factor })
        return Tensor.record("MulScalarBackward", y, inputs: [self]) { g in [g.scaled(by: factor)] }
    }

    /// x + scalar.
    public func adding(_ value: Double) -> Tensor {
        let f = Float(value)
        let y = map({ $0 + f }, { $0 + value })
        return Tensor.record("AddScalarBackward", y, inputs: [self]) { g in [g] }
    }

    /// Booleans as 0/1 of the same dtype: 1 where the element is NaN or ±∞.
    public func isNonFinite() -> Tensor { map({ $0.isFinite ? 0 : 1 }, { $0.isFinite ? 0 : 1 }) }

    /// True when every element is finite.
    public var allFinite: Bool {
        switch dtype {
        case .float32: return storage.buffer(Float.self).allSatisfy { $0.isFinite }
        case .float64: return storage.buffer(Double.self).allSatisfy { $0.isFinite }
        }
    }
}
