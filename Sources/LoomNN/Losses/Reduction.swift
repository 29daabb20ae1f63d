/// How a loss turns its per-element values into the returned tensor (PyTorch's `reduction=`).
///
/// - `mean`: the average over elements (for ``crossEntropy(_:_:weight:ignoreIndex:reduction:labelSmoothing:)``
///   and ``nllLoss(_:_:weight:ignoreIndex:reduction:)``: the weighted average over the targets
///   that are not ignored, exactly as PyTorch). Returns a 0-d tensor; NaN when there is nothing
///   to average.
/// - `sum`: the sum over elements (0-d).
/// - `none`: the per-element losses, in the shape of the target.
public enum Reduction: String, Sendable, CaseIterable {
    case mean
    case sum
    case none
}
