/// Window arithmetic shared by ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`` and
/// ``avgPool2d(_:kernelSize:stride:padding:ceilMode:countIncludePad:)``, with PyTorch's output
/// size rule: ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1 (⌈ ⌉ with `ceilMode`, dropping a last window
/// that would start inside the right padding).
struct PoolGeometry {
    let planes: Int, height: Int, width: Int
    let kernel: Size2D, stride: Size2D, padding: Size2D, dilation: Size2D
    let outHeight: Int, outWidth: Int

    init(function: String, input: Tensor, kernel: Size2D, stride: Size2D?, padding: Size2D, dilation: Size2D,
         ceilMode: Bool) {
        precondition(input.rank == 3 || input.rank == 4,
                     "\(function): expected a 3-d (C, H, W) or 4-d (B, C, H, W) input, got shape \(input.shape)")
        let stride = stride ?? kernel
        precondition(kernel.height > 0 && kernel.width > 0 && stride.height > 0 && stride.width > 0
                        && dilation.height > 0 && dilation.width > 0,
                     "\(function): kernelSize \(kernel), stride \(stride) and dilation \(dilation) must be positive")
        precondition(padding.height >= 0 && padding.width >= 0
                        && padding.height <= kernel.height / 2 && padding.width <= kernel.width / 2,
                     "\(function): padding \(padding) should be at most half of the kernel size \(kernel)")
        height = input.shape[input.rank - 2]
        width = input.shape[input.rank - 1]
        planes = input.count / Swift.max(height * width, 1)
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        outHeight = PoolGeometry.outputSize(height, kernel.height, stride.height, padding.height, dilation.height, ceilMode)
        outWidth = PoolGeometry.outputSize(width, kernel.width, stride.width, padding.width, dilation.width, ceilMode)
        precondition(outHeight > 0 && outWidth > 0,
                     "\(function): input of shape \(input.shape) is too small for kernel \(kernel) with padding \(padding) (output would be \(outHeight)×\(outWidth))")
    }

    static func outputSize(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int, _ ceilMode: Bool) -> Int {
        let span = n + 2 * p - d * (k - 1) - 1
        guard span >= 0 else { return 0 }     // the window does not fit (floor of a negative ratio)
        var out = (ceilMode ? (span + s - 1) / s : span / s) + 1
        if ceilMode && (out - 1) * s >= n + p { out -= 1 }
        return out
    }

    /// The output shape: the input's leading dimensions, then (Hₒ, Wₒ).
    func outputShape(_ input: Tensor) -> [Int] { Array(input.shape.dropLast(2)) + [outHeight, outWidth] }
}
