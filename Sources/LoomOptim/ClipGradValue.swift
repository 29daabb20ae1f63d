/// Clamps every gradient element into [−clipValue, clipValue] in place, like
/// `torch.nn.utils.clip_grad_value_`. Parameters without a gradient are skipped; NaN stays NaN.
public func clipGradValue(_ params: [Tensor], clipValue: Double) {
    precondition(clipValue >= 0, "clipGradValue: clipValue must be non-negative, got \(clipValue)")
    for g in params.compactMap(\.grad) {
        switch g.dtype {
        case .float32:
            let p = g.storage.pointer(Float.self), hi = Float(clipValue)
            for i in 0..<g.count where !p[i].isNaN { p[i] = Swift.min(Swift.max(p[i], -hi), hi) }
        case .float64:
            let p = g.storage.pointer(Double.self)
            for i in 0..<g.count where !p[i].isNaN { p[i] = Swift.min(Swift.max(p[i], -clipValue), clipValue) }
        }
    }
}
