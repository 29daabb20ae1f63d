/// Element-wise arithmetic between tensors (with broadcasting) and with scalars.
/// Backward of a broadcast op sums the gradient back to each input's shape (``sumTo(_:)``).
extension Tensor {
    private static func checkDTypes(_ a: Tensor, _ b: Tensor, _ op: String) {
        precondition(a.dtype == b.dtype,
                     "\(op): dtype mismatch \(a.dtype) vs \(b.dtype) (shapes \(a.shape) and \(b.shape)); convert with .to(_:) first")
    }

    private static func binary(_ a: Tensor, _ b: Tensor, _ op: String,
                               _ f32: (Float, Float) -> Float, _ f64: (Double, Double) -> Double) -> Tensor {
        checkDTypes(a, b, op)
        return a.dtype == .float32 ? Kernels.binaryMap(Float.self, a, b, f32) : Kernels.binaryMap(Double.self, a, b, f64)
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let y = binary(a, b, "add", +, +)
        return record("AddBackward", y, inputs: [a, b]) { g in [g.sumTo(a.shape), g.sumTo(b.shape)] }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let y = binary(a, b, "sub", -, -)
        return record("SubBackward", y, inputs: [a, b]) { g in [g.sumTo(a.shape), (-g).sumTo(b.shape)] }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let y = binary(a, b, "mul", *, *)
        return record("MulBackward", y, inputs: [a, b]) { g in
            [a.requiresGrad ? (g * b).sumTo(a.shape) : nil, b.requiresGrad ? (g * a).sumTo(b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let y = binary(a, b, "div", /, /)
        return record("DivBackward", y, inputs: [a, b]) { g in
            [a.requiresGrad ? (g / b).sumTo(a.shape) : nil,
             b.requiresGrad ? (-(g * a) / (b * b)).sumTo(b.shape) : nil]
        }
    }

    /// Element-wise aᵇ for tensors (b may broadcast). Backward: b·aᵇ⁻¹ and aᵇ·ln a.
    public func pow(_ exponent: Tensor) -> Tensor {
        let a = self, b = exponent
        let y = Tensor.binary(a, b, "pow", { Float.pow($0, $1) }, { Double.pow($0, $1) })
        return Tensor.record("PowBackward", y, inputs: [a, b]) { g in
            [a.requiresGrad ? (g * b * a.pow(b - 1)).sumTo(a.shape) : nil,
             b.requiresGrad ? (g * y * a.log()).sumTo(b.shape) : nil]
        }
    }

    /// Element-wise maximum. The gradient goes to `a` where a ≥ b (ties to `a`), else to `b`.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let y = binary(a, b, "maximum", { Swift.max($0, $1) }, { Swift.max($0, $1) })
        return record("MaximumBackward", y, inputs: [a, b]) { g in
            let mask = a.ge(b)
            return [(g * mask).sumTo(a.shape), (g * (1 - mask)).sumTo(b.shape)]
        }
    }

    /// Element-wise minimum. The gradient goes to `a` where a ≤ b (ties to `a`), else to `b`.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let y = binary(a, b, "minimum", { Swift.min($0, $1) }, { Swift.min($0, $1) })
        return record("MinimumBackward", y, inputs: [a, b]) { g in
            let mask = a.le(b)
            return [(g * mask).sumTo(a.shape), (g * (1 - mask)).sumTo(b.shape)]
        }
    }

    /// `a` where `condition` is non-zero, else `b` (all three broadcast). Values of the branch
    /// not taken never reach the result, so an ∞ or NaN there is harmless (unlike `a·m + b·(1−m)`).
    /// Backward: the gradient goes to `a` where the condition holds, to `b` elsewhere.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        checkDTypes(a, b, "where")
        let shape = broadcastShape(broadcastShape(condition.shape, a.shape), b.shape)
        let mask = withNoGrad { condition.to(a.dtype).ne(0).expand(shape) }
        let ea = withNoGrad { a.expand(shape) }, eb = withNoGrad { b.expand(shape) }
        let y = Tensor(uninitialized: shape, dtype: a.dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let m = mask.storage.pointer(T.self), pa = ea.storage.pointer(T.self), pb = eb.storage.pointer(T.self)
            let py = y.storage.pointer(T.self)
            for i in 0..<y.count { py[i] = m[i] != 0 ? pa[i] : pb[i] }
        }
        if a.dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return record("WhereBackward", y, inputs: [a, b]) { g in
            let zero = Tensor.zeros([], dtype: g.dtype)
            return [a.requiresGrad ? Tensor.where(mask, g, zero).sumTo(a.shape) : nil,
                    b.requiresGrad ? Tensor.where(mask, zero, g).sumTo(b.shape) : nil]
        }
    }

    // MARK: Scalars

    public static func + (a: Tensor, s: Double) -> Tensor { a.adding(s) }
    public static func + (s: Double, a: Tensor) -> Tensor { a.adding(s) }
    public static func - (a: Tensor, s: Double) -> Tensor { a.adding(-s) }
    public static func - (s: Double, a: Tensor) -> Tensor { (-a).adding(s) }
    public static func * (a: Tensor, s: Double) -> Tensor { a.scaled(by: s) }
    public static func * (s: Double, a: Tensor) -> Tensor { a.scaled(by: s) }
    public static func / (a: Tensor, s: Double) -> Tensor { a.scaled(by: 1 / s) }
    public static func / (s: Double, a: Tensor) -> Tensor { Tensor.full([], s, dtype: a.dtype) / a }

    // MARK: Comparisons (results are 0/1 in the input's dtype; no gradient)

    private func compare(_ other: Tensor, _ op: String, _ f: @escaping (Double, Double) -> Bool) -> Tensor {
        Tensor.binary(self, other.to(dtype), op, { f(Double($0), Double($1)) ? 1 : 0 }, { f($0, $1) ? 1 : 0 })
    }

    private func scalarTensor(_ v: Double) -> Tensor { Tensor.full([], v, dtype: dtype) }

    public func eq(_ other: Tensor) -> Tensor { compare(other, "eq", ==) }
    public func ne(_ other: Tensor) -> Tensor { compare(other, "ne", !=) }
    public func lt(_ other: Tensor) -> Tensor { compare(other, "lt", <) }
    public func le(_ other: Tensor) -> Tensor { compare(other, "le", <=) }
    public func gt(_ other: Tensor) -> Tensor { compare(other, "gt", >) }
    public func ge(_ other: Tensor) -> Tensor { compare(other, "ge", >=) }
    public func eq(_ v: Double) -> Tensor { eq(scalarTensor(v)) }
    public func ne(_ v: Double) -> Tensor { ne(scalarTensor(v)) }
    public func lt(_ v: Double) -> Tensor { lt(scalarTensor(v)) }
    public func le(_ v: Double) -> Tensor { le(scalarTensor(v)) }
    public func gt(_ v: Double) -> Tensor { gt(scalarTensor(v)) }
    public func ge(_ v: Double) -> Tensor { ge(scalarTensor(v)) }

    /// True when shapes are equal and every pair of elements satisfies
    /// |a − b| ≤ atol + rtol·|b| (PyTorch's `allclose`).
    public func allClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8) -> Bool {
        guard shape == other.shape else { return false }
        return zip(doubleScalars, other.doubleScalars).allSatisfy { a, b in
            Swift.abs(a - b) <= atol + rtol * Swift.abs(b) || (a.isNaN && b.isNaN)
        }
    }

    // MARK: In place (no autograd; for gradient accumulation and optimizers)

    /// self += other (same shape or broadcastable to self's shape).
    public func addInPlace(_ other: Tensor, alpha: Double = 1) {
        precondition(Tensor.broadcastShape(shape, other.shape) == shape,
                     "addInPlace: shape \(other.shape) does not broadcast to \(shape)")
        let src = other.dtype == dtype ? other : other.to(dtype)
        let expanded = src.shape == shape ? src : withNoGrad { src.expand(shape) }
        switch dtype {
        case .float32:
            let d = storage.pointer(Float.self), s = expanded.storage.pointer(Float.self), a = Float(alpha)
            for i in 0..<count { d[i] += a * s[i] }
        case .float64:
            let d = storage.pointer(Double.self), s = expanded.storage.pointer(Double.self)
            for i in 0..<count { d[i] += alpha * s[i] }
        }
    }

    /// self *= factor in place.
    public func scaleInPlace(_ factor: Double) {
        switch dtype {
        case .float32:
            let d = storage.pointer(Float.self), f = Float(factor)
            for i in 0..<count { d[i] *= f }
        case .float64:
            let d = storage.pointer(Double.self)
            for i in 0..<count { d[i] *= factor }
        }
    }
}
