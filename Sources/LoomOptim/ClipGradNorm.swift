import CLoomKernels

/// Why ``clipGradNorm(_:maxNorm:normType:errorIfNonfinite:)`` refused to clip.
public enum GradientClippingError: Error, CustomStringConvertible, Equatable {
    /// The total norm was NaN or ±∞ (the gradients were left unchanged).
    case nonFiniteTotalNorm(Double, normType: Double)

    public var description: String {
        switch self {
        case .nonFiniteTotalNorm(let norm, let p):
            return "clipGradNorm: the total norm of order \(p) of the gradients is \(norm); "
                + "the loss or the gradients are not finite (pass errorIfNonfinite: false to clip anyway)"
        }
    }
}

/// The total p-norm of the parameters' gradients, as if all gradients were one vector:
/// ‖g‖ₚ = (Σᵢ |gᵢ|ᵖ)^(1/p), or maxᵢ |gᵢ| for p = ∞. Parameters without a gradient are skipped;
/// no gradient at all gives 0. Accumulated in Double.
public func gradNorm(_ params: [Tensor], normType: Double = 2) -> Double {
    precondition(normType > 0, "gradNorm: normType must be positive (or .infinity), got \(normType)")
    let grads = params.compactMap(\.grad)
    var total = 0.0
    for g in grads {
        if normType == 2 && g.dtype == .float32 {
            total += loom_sum_squares_f32(g.storage.pointer(Float.self), g.count)
            continue
        }
        let count = g.count
        let value: (Int) -> Double
        switch g.dtype {
        case .float32:
            let p = g.storage.pointer(Float.self)
            value = { Double(p[$0]) }
        case .float64:
            let p = g.storage.pointer(Double.self)
            value = { p[$0] }
        }
        if normType == .infinity {
            for i in 0..<count {
                let v = value(i)
                if v.isNaN { return .nan }
                total = Swift.max(total, Swift.abs(v))
            }
        } else if normType == 2 {
            for i in 0..<count { let v = value(i); total += v * v }
        } else if normType == 1 {
            for i in 0..<count { total += Swift.abs(value(i)) }
        } else {
            for i in 0..<count { total += Double.pow(Swift.abs(value(i)), normType) }
        }
    }
    if normType == .infinity || normType == 1 { return total }
    return normType == 2 ? total.squareRoot() : Double.pow(total, 1 / normType)
}

/// Rescales the gradients in place so that their total norm is at most `maxNorm`, like
/// `torch.nn.utils.clip_grad_norm_`, and returns the total norm before clipping.
///
///     total = ‖(g₁, g₂, …)‖ₚ                 (see ``gradNorm(_:normType:)``; p = ∞ allowed)
///     gᵢ ← gᵢ · min(maxNorm / (total + 1e-6), 1)
///
/// The 1e-6 keeps the coefficient finite for zero gradients, so a total just at `maxNorm`
/// still scales by slightly less than 1 — exactly as PyTorch. The coefficient is formed in the
/// gradients' precision (Float32 for Float32 gradients), as PyTorch does. A NaN or infinite
/// total makes every gradient NaN (nothing is refused; see the throwing overload).
@discardableResult
public func clipGradNorm(_ params: [Tensor], maxNorm: Double, normType: Double = 2) -> Double {
    let total = gradNorm(params, normType: normType)
    scaleGradients(params, maxNorm: maxNorm, total: total)
    return total
}

/// ``clipGradNorm(_:maxNorm:normType:)`` that, with `errorIfNonfinite`, throws
/// ``GradientClippingError/nonFiniteTotalNorm(_:normType:)`` instead of clipping when the total
/// norm is NaN or infinite (the gradients are left unchanged).
@discardableResult
public func clipGradNorm(_ params: [Tensor], maxNorm: Double, normType: Double = 2,
                         errorIfNonfinite: Bool) throws -> Double {
    let total = gradNorm(params, normType: normType)
    if errorIfNonfinite && !total.isFinite {
        throw GradientClippingError.nonFiniteTotalNorm(total, normType: normType)
    }
    scaleGradients(params, maxNorm: maxNorm, total: total)
    return total
}

/// gᵢ ← gᵢ · min(maxNorm · 1/(total + 1e-6), 1), the coefficient formed in each gradient's precision.
private func scaleGradients(_ params: [Tensor], maxNorm: Double, total: Double) {
    for g in params.compactMap(\.grad) {
        switch g.dtype {
        case .float32:
            let coefficient = Swift.min(1 / (Float(total) + Float(1e-6)) * Float(maxNorm), 1)
            if coefficient == 1 { continue }       // x · 1 = x: nothing to do
            let p = g.storage.pointer(Float.self)
            for i in 0..<g.count { p[i] *= coefficient }
        case .float64:
            let coefficient = Swift.min(1 / (total + 1e-6) * maxNorm, 1)
            if coefficient == 1 { continue }
            let p = g.storage.pointer(Double.self)
            for i in 0..<g.count { p[i] *= coefficient }
        }
    }
}
