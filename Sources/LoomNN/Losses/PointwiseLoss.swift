/// The shared forward/backward of the element-wise losses (L1, MSE, Huber, smooth L1, BCE):
/// ℓᵢ = wᵢ · f(xᵢ, tᵢ), reduced by ``Reduction``, with ∂ℓᵢ/∂xᵢ and ∂ℓᵢ/∂tᵢ given in closed form,
/// so one loss is one graph node whatever its reduction.
///
/// Input and target broadcast to a common shape (as PyTorch does); the gradients are summed back
/// to each one's shape. Per-element values are computed in Double and summed in Double.
struct PointwiseLoss {
    /// f(x, t, i) for element i (i lets a loss read per-element constants such as `posWeight`).
    let value: (Double, Double, Int) -> Double
    /// (∂f/∂x, ∂f/∂t) at element i.
    let derivatives: (Double, Double, Int) -> (Double, Double)

    /// A loss that depends on the difference d = x − t only: f = ℓ(d), ∂f/∂x = ℓ′(d) = −∂f/∂t.
    init(difference value: @escaping (Double) -> Double, slope: @escaping (Double) -> Double) {
        self.value = { x, t, _ in value(x - t) }
        self.derivatives = { x, t, _ in let s = slope(x - t); return (s, -s) }
    }

    init(value: @escaping (Double, Double, Int) -> Double,
         derivatives: @escaping (Double, Double, Int) -> (Double, Double)) {
        self.value = value
        self.derivatives = derivatives
    }

    /// Applies the loss. `weight` (a constant, no gradient) broadcasts to the common shape.
    func callAsFunction(_ name: String, _ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                        reduction: Reduction) -> Tensor {
        precondition(input.dtype == target.dtype,
                     "\(name): input (\(input.dtype), shape \(input.shape)) and target (\(target.dtype), shape \(target.shape)) must have the same dtype")
        let shape = Tensor.broadcastShape(input.shape, target.shape)
        let x = input.shape == shape ? input : input.expand(shape)
        let t = target.shape == shape ? target : target.expand(shape)
        let w: [Double]? = weight.map { wt in
            precondition(Tensor.broadcastShape(wt.shape, shape) == shape,
                         "\(name): weight of shape \(wt.shape) does not broadcast to the input shape \(shape)")
            return PointwiseLoss.expanded(wt, to: shape)
        }
        return x.dtype == .float32
            ? forward(Float.self, name, x, t, w, shape: shape, reduction: reduction)
            : forward(Double.self, name, x, t, w, shape: shape, reduction: reduction)
    }

    /// The loss and its node for scalar type S (values read and written through pointers; the
    /// arithmetic is in Double either way).
    private func forward<S: TensorScalar>(_: S.Type, _ name: String, _ x: Tensor, _ t: Tensor, _ w: [Double]?,
                                          shape: [Int], reduction: Reduction) -> Tensor {
        let n = x.count
        let px = x.storage.pointer(S.self), pt = t.storage.pointer(S.self)
        let value = self.value
        let out: Tensor
        switch reduction {
        case .none:
            out = Tensor(uninitialized: shape, dtype: x.dtype)
            let po = out.storage.pointer(S.self)
            for i in 0..<n { po[i] = S((w?[i] ?? 1) * value(Double(px[i]), Double(pt[i]), i)) }
        case .sum, .mean:
            var total = 0.0
            for i in 0..<n { total += (w?[i] ?? 1) * value(Double(px[i]), Double(pt[i]), i) }
            if reduction == .mean { total /= Double(n) }
            out = Tensor.full([], total, dtype: x.dtype)
        }
        let derivatives = self.derivatives
        return Tensor.record(name, out, inputs: [x, t]) { g in
            // Inputs are read again at backward time, as saved: the node keeps x and t alive.
            let px = x.storage.pointer(S.self), pt = t.storage.pointer(S.self), pg = g.storage.pointer(S.self)
            let scale = reduction == .mean ? 1 / Double(n) : 1
            let gx = x.requiresGrad ? Tensor(uninitialized: shape, dtype: x.dtype) : nil
            let gt = t.requiresGrad ? Tensor(uninitialized: shape, dtype: x.dtype) : nil
            let pgx = gx?.storage.pointer(S.self), pgt = gt?.storage.pointer(S.self)
            for i in 0..<n {
                let upstream = (reduction == .none ? Double(pg[i]) : Double(pg[0]) * scale) * (w?[i] ?? 1)
                let (dx, dt) = derivatives(Double(px[i]), Double(pt[i]), i)
                pgx?[i] = S(upstream * dx)
                pgt?[i] = S(upstream * dt)
            }
            return [gx, gt]
        }
    }

    /// A constant's values broadcast to `shape`, in row-major order.
    static func expanded(_ constant: Tensor, to shape: [Int]) -> [Double] {
        withNoGrad { (constant.shape == shape ? constant : constant.expand(shape)).doubleScalars }
    }
}
