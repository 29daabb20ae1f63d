/// Factory functions: constants, ranges, identity and random tensors.
extension Tensor {
    /// A tensor filled with 0.
    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Tensor(zeros: shape, dtype: dtype)
    }

    /// A tensor filled with 1.
    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        full(shape, 1, dtype: dtype)
    }

    /// A tensor filled with `value`.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) -> Tensor {
        let t = Tensor(zeros: shape, dtype: dtype)
        t.fill(value)
        return t
    }

    /// A zero tensor with the shape and dtype of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape, dtype: other.dtype) }
    /// A one tensor with the shape and dtype of `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape, dtype: other.dtype) }

    /// Values `start, start+step, …` below `end` (1-d), like `torch.arange`.
    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1,
                              dtype: DType = .float32) -> Tensor {
        precondition(step != 0, "arange: step must be non-zero")
        precondition((end - start) / step >= 0, "arange: the range \(start)..<\(end) is empty for step \(step)")
        let n = Int(((end - start) / step).rounded(.up))
        return fromGenerator([n], dtype: dtype) { start + Double($0) * step }
    }

    /// Integer range `0..<end` (1-d), like `torch.arange(end)`.
    public static func arange(_ end: Int, dtype: DType = .float32) -> Tensor {
        arange(0, Double(end), dtype: dtype)
    }

    /// `steps` values evenly spaced from `start` to `end` inclusive, like `torch.linspace`.
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) -> Tensor {
        precondition(steps >= 0, "linspace: steps must be non-negative, got \(steps)")
        if steps == 1 { return full([1], start, dtype: dtype) }
        let delta = (end - start) / Double(Swift.max(steps - 1, 1))
        // PyTorch fills the second half backwards from `end` for symmetry; do the same.
        let half = steps / 2
        return fromGenerator([steps], dtype: dtype) { i in
            i < half ? start + Double(i) * delta : end - Double(steps - 1 - i) * delta
        }
    }

    /// The `n × m` identity matrix (m defaults to n).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) -> Tensor {
        let cols = m ?? n
        let t = zeros([n, cols], dtype: dtype)
        for i in 0..<Swift.min(n, cols) { t.setScalar(1, at: i * cols + i) }
        return t
    }

    /// Uniform samples in [0, 1) from `generator` (or the global one).
    public static func rand(_ shape: [Int], dtype: DType = .float32, generator: inout Generator) -> Tensor {
        fromGenerator(shape, dtype: dtype) { _ in dtype == .float32 ? Double(generator.nextFloat()) : generator.nextDouble() }
    }

    public static func rand(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        DefaultGenerator.withGenerator { rand(shape, dtype: dtype, generator: &$0) }
    }

    /// Standard normal samples from `generator` (or the global one).
    public static func randn(_ shape: [Int], dtype: DType = .float32, generator: inout Generator) -> Tensor {
        fromGenerator(shape, dtype: dtype) { _ in generator.nextNormal() }
    }

    public static func randn(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        DefaultGenerator.withGenerator { randn(shape, dtype: dtype, generator: &$0) }
    }

    /// Uniform samples in [low, high).
    public static func uniform(_ shape: [Int], low: Double, high: Double, dtype: DType = .float32,
                               generator: inout Generator) -> Tensor {
        fromGenerator(shape, dtype: dtype) { _ in low + (high - low) * generator.nextDouble() }
    }

    public static func uniform(_ shape: [Int], low: Double, high: Double, dtype: DType = .float32) -> Tensor {
        DefaultGenerator.withGenerator { uniform(shape, low: low, high: high, dtype: dtype, generator: &$0) }
    }

    /// Random integers in `low..<high` stored as floats (Loom has no integer dtype).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .float32,
                               generator: inout Generator) -> Tensor {
        precondition(high > low, "randint: empty range \(low)..<\(high)")
        return fromGenerator(shape, dtype: dtype) { _ in Double(low + generator.nextInt(below: high - low)) }
    }

    /// Random integers in `low..<high` from the global generator.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .float32) -> Tensor {
        DefaultGenerator.withGenerator { randint(low, high, shape, dtype: dtype, generator: &$0) }
    }

    /// Builds a tensor element by element from its flat row-major index.
    static func fromGenerator(_ shape: [Int], dtype: DType, _ value: (Int) -> Double) -> Tensor {
        let t = Tensor(zeros: shape, dtype: dtype)
        switch dtype {
        case .float32:
            let p = t.storage.pointer(Float.self)
            for i in 0..<t.count { p[i] = Float(value(i)) }
        case .float64:
            let p = t.storage.pointer(Double.self)
            for i in 0..<t.count { p[i] = value(i) }
        }
        return t
    }

    // MARK: - In-place fills (no autograd)

    /// Sets every element to `value` in place.
    public func fill(_ value: Double) {
        switch dtype {
        case .float32: storage.buffer(Float.self).update(repeating: Float(value))
        case .float64: storage.buffer(Double.self).update(repeating: value)
        }
    }

    /// Sets every element to 0 in place.
    public func zero() { fill(0) }

    public func setScalar(_ value: Double, at index: Int) {
        switch dtype {
        case .float32: storage.pointer(Float.self)[index] = Float(value)
        case .float64: storage.pointer(Double.self)[index] = value
        }
    }

    public func scalar(at index: Int) -> Double {
        switch dtype {
        case .float32: return Double(storage.pointer(Float.self)[index])
        case .float64: return storage.pointer(Double.self)[index]
        }
    }

    /// Copies `source`'s elements into this tensor in place (same shape; dtype converted).
    /// Used by optimizers and `loadStateDict`; not recorded by autograd.
    public func copy(from source: Tensor) {
        precondition(source.count == count,
                     "copy(from:): source shape \(source.shape) does not match destination shape \(shape)")
        if source.storage === storage { return }
        switch (dtype, source.dtype) {
        case (.float32, .float32):
            storage.pointer(Float.self).update(from: source.storage.pointer(Float.self), count: count)
        case (.float64, .float64):
            storage.pointer(Double.self).update(from: source.storage.pointer(Double.self), count: count)
        case (.float32, .float64):
            let d = storage.pointer(Float.self), s = source.storage.pointer(Double.self)
            for i in 0..<count { d[i] = Float(s[i]) }
        case (.float64, .float32):
            let d = storage.pointer(Double.self), s = source.storage.pointer(Float.self)
            for i in 0..<count { d[i] = Double(s[i]) }
        }
    }

    /// A copy with its own storage, recorded by autograd (gradient passes through unchanged).
    public func clone() -> Tensor {
        let out = Tensor(uninitialized: shape, dtype: dtype)
        out.copy(from: self)
        return Tensor.record("CloneBackward", out, inputs: [self]) { g in [g] }
    }

    /// This tensor converted to `dtype` (a no-op returning self when it already is).
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let out = Tensor(uninitialized: shape, dtype: dtype)
        out.copy(from: self)
        let source = self.dtype
        return Tensor.record("ToCopyBackward", out, inputs: [self]) { g in [g.to(source)] }
    }

    /// Float64 copy, like `x.double()`.
    public func double() -> Tensor { to(.float64) }
    /// Float32 copy, like `x.float()`.
    public func float() -> Tensor { to(.float32) }
}
