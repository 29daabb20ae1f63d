/// Flattens dimensions `startDim...endDim` into one, like `torch.nn.Flatten` (defaults keep the
/// batch dimension: (B, C, H, W) → (B, C·H·W)). Shares storage with the input.
public final class Flatten: Module, Layer {
    public let startDim: Int
    public let endDim: Int

    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { input.flatten(startDim: startDim, endDim: endDim) }

    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}
