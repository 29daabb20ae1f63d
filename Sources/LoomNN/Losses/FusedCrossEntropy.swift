import CLoomKernels
import Foundation

/// Cross-entropy over class-index targets as one op: log-softmax, the negative log-likelihood
/// and label smoothing fused per position, with the softmax kept for the backward pass.
///
/// For position n with logits x (C classes), target y, class weights w (1 when absent) and
/// smoothing ε, with p = softmax(x) and lse = log Σ eˣ:
///
///     ℓ = (1 − ε) · w_y · (lse − x_y) + (ε / C) · Σ_c w_c (lse − x_c)
///     ∂ℓ/∂x_c = (1 − ε) · w_y · (p_c − [c = y]) + (ε / C) · (p_c Σ_k w_k − w_c)
///
/// Ignored positions contribute 0 and no gradient. Exponentials of Float logits run through
/// the vectorized kernel; sums accumulate in Double.
extension ClassIndexTargets {
    func fusedCrossEntropy(_ logits: Tensor, labelSmoothing: Double, reduction: Reduction) -> Tensor {
        let (losses, probabilities) = logits.dtype == .float32
            ? forward(Float.self, logits, labelSmoothing)
            : forward(Double.self, logits, labelSmoothing)
        let denominator = reduction == .mean ? totalWeight : 1
        let out: Tensor
        switch reduction {
        case .none:
            out = Tensor(uninitialized: shape, dtype: logits.dtype)
            for (p, l) in losses.enumerated() { out.setScalar(l, at: p) }
        case .sum, .mean:
            out = Tensor.full([], losses.reduce(0, +) / denominator, dtype: logits.dtype)
        }
        return Tensor.record("CrossEntropyLossBackward", out, inputs: [logits]) { g in
            let upstream = g.doubleScalars
            return [g.dtype == .float32
                ? backward(Float.self, probabilities, upstream, denominator, reduction, labelSmoothing)
                : backward(Double.self, probabilities, upstream, denominator, reduction, labelSmoothing)]
        }
    }

    private func forward<T: TensorScalar>(_: T.Type, _ logits: Tensor, _ smoothing: Double) -> ([Double], Tensor) {
        let positions = classOf.count, c = classes
        let probabilities = Tensor(uninitialized: logits.shape, dtype: logits.dtype)
        let x = logits.storage.pointer(T.self), prob = probabilities.storage.pointer(T.self)
        let row = UnsafeMutablePointer<T>.allocate(capacity: c)       // the position's logits
        let shifted = UnsafeMutablePointer<T>.allocate(capacity: c)   // minus their maximum
        let e = UnsafeMutablePointer<T>.allocate(capacity: c)         // exponentials
        defer { row.deallocate(); shifted.deallocate(); e.deallocate() }
        var losses = [Double](repeating: 0, count: positions)
        for p in 0..<positions {
            let first = offset(position: p, class: 0)
            let logit: UnsafeMutablePointer<T>            // this position's C logits, contiguous
            if inner == 1 {
                logit = x + first
            } else {
                for k in 0..<c { row[k] = x[first + k * inner] }
                logit = row
            }
            var m = logit[0]
            for k in 1..<c { m = logit[k] > m ? logit[k] : m }   // a NaN logit still makes the loss NaN
            for k in 0..<c { shifted[k] = logit[k] - m }
            exponentiate(shifted, into: e, c)
            let sum = sumInDouble(e, c)
            let lse = Double(m) + Foundation.log(sum)
            let inverse = T(1 / sum)
            if inner == 1 {
                let out = prob + first
                for k in 0..<c { out[k] = e[k] * inverse }
            } else {
                for k in 0..<c { prob[first + k * inner] = e[k] * inverse }
            }
            guard let y = classOf[p] else { continue }
            var loss = (1 - smoothing) * positionWeight[p] * (lse - Double(logit[y]))
            if smoothing > 0 {
                var smooth = 0.0
                for k in 0..<c { smooth += (classWeights?[k] ?? 1) * (lse - Double(logit[k])) }
                loss += smoothing / Double(c) * smooth
            }
            losses[p] = loss
        }
        return (losses, probabilities)
    }

    /// Σ values in Double with four independent partial sums (no serial add latency).
    private func sumInDouble<T: TensorScalar>(_ values: UnsafeMutablePointer<T>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var k = 0
        while k + 4 <= n {
            s0 += Double(values[k]); s1 += Double(values[k + 1]); s2 += Double(values[k + 2]); s3 += Double(values[k + 3])
            k += 4
        }
        while k < n { s0 += Double(values[k]); k += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// e = exp(values). Separate buffers: the vectorized kernel falls back to scalar code when
    /// its input and output alias.
    private func exponentiate<T: TensorScalar>(_ values: UnsafeMutablePointer<T>, into e: UnsafeMutablePointer<T>, _ n: Int) {
        if T.self == Float.self {
            loom_exp_f32(UnsafeRawPointer(values).assumingMemoryBound(to: Float.self),
                         UnsafeMutableRawPointer(e).assumingMemoryBound(to: Float.self), n)
        } else {
            let x = UnsafeRawPointer(values).assumingMemoryBound(to: Double.self)
            let y = UnsafeMutableRawPointer(e).assumingMemoryBound(to: Double.self)
            for k in 0..<n { y[k] = Foundation.exp(x[k]) }
        }
    }

    private func backward<T: TensorScalar>(_: T.Type, _ probabilities: Tensor, _ upstream: [Double], _ denominator: Double,
                                           _ reduction: Reduction, _ smoothing: Double) -> Tensor {
        let c = classes
        let grad = Tensor.zeros(probabilities.shape, dtype: probabilities.dtype)
        let prob = probabilities.storage.pointer(T.self), dx = grad.storage.pointer(T.self)
        let weightSum = classWeights?.reduce(0, +) ?? Double(c)
        let spread = smoothing / Double(c)
        for (p, target) in classOf.enumerated() {
            guard let y = target else { continue }
            let scale = reduction == .none ? upstream[p] : upstream[0] / denominator
            let hard = scale * (1 - smoothing) * positionWeight[p]
            let first = offset(position: p, class: 0)
            for k in 0..<c {
                let pk = Double(prob[first + k * inner])
                var d = hard * (pk - (k == y ? 1 : 0))
                if smoothing > 0 { d += scale * spread * (pk * weightSum - (classWeights?[k] ?? 1)) }
                dx[first + k * inner] = T(d)
            }
        }
        return grad
    }
}
