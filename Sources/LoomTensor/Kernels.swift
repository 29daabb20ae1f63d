import CLoomKernels

/// Low-level loops shared by the ops. Generic over the scalar type; the compiler specializes
/// them for Float and Double. Float transcendental functions go to the vectorized C kernels.
enum Kernels {
    /// Calls `body` with the tensor's element type.
    @inline(__always)
    static func unaryMap<T: TensorScalar>(_: T.Type, _ src: Tensor, _ f: (T) -> T) -> Tensor {
        let out = Tensor(uninitialized: src.shape, dtype: src.dtype)
        let s = src.storage.pointer(T.self), d = out.storage.pointer(T.self)
        for i in 0..<src.count { d[i] = f(s[i]) }
        return out
    }

    /// Element-wise `f(a[i], b[i])` with NumPy/PyTorch broadcasting.
    @inline(__always)
    static func binaryMap<T: TensorScalar>(_: T.Type, _ a: Tensor, _ b: Tensor, _ f: (T, T) -> T) -> Tensor {
        let shape = Tensor.broadcastShape(a.shape, b.shape)
        let out = Tensor(uninitialized: shape, dtype: a.dtype)
        let pa = a.storage.pointer(T.self), pb = b.storage.pointer(T.self), po = out.storage.pointer(T.self)
        let n = out.count
        if a.shape == b.shape {
            for i in 0..<n { po[i] = f(pa[i], pb[i]) }
            return out
        }
        if b.count == 1 {
            let v = pb[0]
            for i in 0..<n { po[i] = f(pa[i], v) }
            return out
        }
        if a.count == 1 {
            let v = pa[0]
            for i in 0..<n { po[i] = f(v, pb[i]) }
            return out
        }
        let sa = Tensor.broadcastStrides(a.shape, to: shape)
        let sb = Tensor.broadcastStrides(b.shape, to: shape)
        let rank = shape.count
        let inner = shape[rank - 1]
        let ia = sa[rank - 1], ib = sb[rank - 1]
        let outer = n / max(inner, 1)
        if inner == 0 { return out }
        var index = [Int](repeating: 0, count: rank)
        var offA = 0, offB = 0
        for row in 0..<outer {
            let base = row * inner
            if ia == 1 && ib == 1 {
                for j in 0..<inner { po[base + j] = f(pa[offA + j], pb[offB + j]) }
            } else if ia == 0 && ib == 1 {
                let v = pa[offA]
                for j in 0..<inner { po[base + j] = f(v, pb[offB + j]) }
            } else if ia == 1 && ib == 0 {
                let v = pb[offB]
                for j in 0..<inner { po[base + j] = f(pa[offA + j], v) }
            } else {
                for j in 0..<inner { po[base + j] = f(pa[offA + j * ia], pb[offB + j * ib]) }
            }
            // Advance the multi-index over the outer dimensions.
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                offA += sa[d]; offB += sb[d]
                if index[d] < shape[d] { break }
                offA -= sa[d] * shape[d]; offB -= sb[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
        return out
    }

    static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        loom_exp_f32(x, y, n)
    }

    static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        loom_tanh_f32(x, y, n)
    }

    static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        loom_sigmoid_f32(x, y, n)
    }
}

extension Tensor {
    /// The shape two shapes broadcast to, or a precondition failure naming both.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(da == db || da == 1 || db == 1,
                         "shapes \(a) and \(b) cannot be broadcast together (dimension \(i): \(da) vs \(db))")
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Strides (in elements) for reading a contiguous tensor of `shape` as if it had shape
    /// `target`: broadcast dimensions get stride 0.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = contiguousStrides(shape)
        let lead = target.count - shape.count
        return (0..<target.count).map { i in
            i < lead ? 0 : (shape[i - lead] == 1 && target[i] != 1 ? 0 : own[i - lead])
        }
    }

    /// Dispatches on dtype: runs the Float or the Double specialization.
    @inline(__always)
    func dispatch<R>(_ f32: (Float.Type) -> R, _ f64: (Double.Type) -> R) -> R {
        dtype == .float32 ? f32(Float.self) : f64(Double.self)
    }
}
