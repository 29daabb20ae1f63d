/// The shared forward/backward of the element-wise losses (L1, MSE, Huber, smooth L1, BCE):
/// ℓᵢ = wᵢ · f(xᵢ, tᵢ), reduced by ``Reduction``, with ∂ℓᵢ/∂xᵢ and ∂ℓᵢ/∂tᵢ given in closed form,
/// so one loss is one graph node whatever its reduction.
///
/// Input and target must have the same shape: Loom stops with both shapes where PyTorch warns and
/// broadcasts (see ``checkShapes(_:_:_:)``). Per-element values are computed in Double and summed
/// in Double.
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

    /// Stops unless `input` and `target` have the same shape, naming both.
    ///
    /// PyTorch broadcasts them with a warning (BCE with logits excepted, which refuses): a (N, 1)
    /// prediction against a (N) target then compares every prediction with every target — a
    /// wrong loss that still trains. Loom makes that a programmer error, like other shape
    /// mismatches.
    static func checkShapes(_ function: String, _ input: Tensor, _ target: Tensor) {
        guard input.shape != target.shape else { return }
        let hint = input.count == target.count
            ? "they hold as many elements: reshape one to the other's shape (e.g. target.reshape(\(input.shape)))"
            : "reshape or slice one to the other's shape"
        preconditionFailure("\(function): input of shape \(input.shape) and target of shape \(target.shape) differ; "
                            + "Loom does not broadcast them (PyTorch warns and broadcasts, comparing every pair) — \(hint)")
    }

    /// Applies the loss (`function` is the name users call, for messages; `name` the graph node's).
    /// `weight` (a constant, no gradient) broadcasts to the input's shape.
    func callAsFunction(_ function: String, _ name: String, _ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                        reduction: Reduction) -> Tensor {
        PointwiseLoss.checkShapes(function, input, target)
        precondition(input.dtype == target.dtype,
                     "\(function): input (\(input.dtype), shape \(input.shape)) and target (\(target.dtype), shape \(target.shape)) must have the same dtype")
        let shape = input.shape
        let x = input, t = target
        let w: [Double]? = weight.map { wt in
            precondition(Tensor.broadcastShape(wt.shape, shape) == shape,
                         "\(function): weight of shape \(wt.shape) does not broadcast to the input shape \(shape)")
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
