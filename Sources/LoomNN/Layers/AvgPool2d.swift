/// 2-d average pooling, like `torch.nn.functional.avg_pool2d`.
///
/// Shapes: input (B, C, H, W) or (C, H, W) → (…, Hₒ, Wₒ), Hₒ = ⌊(H + 2p − k)/s⌋ + 1.
///
///     y[…, oh, ow] = Σ_{window ∩ input} x / n
///
/// where n counts the window's cells inside the padded input (`countIncludePad`, PyTorch's
/// default) or only those inside the input. `stride` defaults to `kernelSize`; `divisorOverride`
/// replaces n. Backward: each window spreads g / n over its cells.
public func avgPool2d(_ input: Tensor, kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0,
                      ceilMode: Bool = false, countIncludePad: Bool = true, divisorOverride: Int? = nil) -> Tensor {
    let geo = PoolGeometry(function: "avgPool2d", input: input, kernel: kernelSize, stride: stride, padding: padding,
                           dilation: 1, ceilMode: ceilMode)
    precondition(divisorOverride.map { $0 != 0 } ?? true, "avgPool2d: divisorOverride must be non-zero")
    /// The window of output (oh, ow): input rows/columns [h0, h1) × [w0, w1) and its divisor.
    func window(_ oh: Int, _ ow: Int) -> (h0: Int, h1: Int, w0: Int, w1: Int, divisor: Double) {
        var h0 = oh * geo.stride.height - geo.padding.height, w0 = ow * geo.stride.width - geo.padding.width
        var h1 = Swift.min(h0 + geo.kernel.height, geo.height + geo.padding.height)
        var w1 = Swift.min(w0 + geo.kernel.width, geo.width + geo.padding.width)
        let padded = (h1 - h0) * (w1 - w0)
        h0 = Swift.max(h0, 0); w0 = Swift.max(w0, 0)
        h1 = Swift.min(h1, geo.height); w1 = Swift.min(w1, geo.width)
        let divisor = divisorOverride.map(Double.init) ?? Double(countIncludePad ? padded : (h1 - h0) * (w1 - w0))
        return (h0, h1, w0, w1, divisor)
    }
    let output = Tensor(uninitialized: geo.outputShape(input), dtype: input.dtype)
    let windows = geo.outHeight * geo.outWidth
    func run<T: TensorScalar>(_: T.Type) {
        let x = input.storage.pointer(T.self), y = output.storage.pointer(T.self)
        for plane in 0..<geo.planes {
            let base = x + plane * geo.height * geo.width
            for oh in 0..<geo.outHeight {
                for ow in 0..<geo.outWidth {
                    let w = window(oh, ow)
                    var sum: T = 0
                    for ih in w.h0..<Swift.max(w.h1, w.h0) {
                        for iw in w.w0..<Swift.max(w.w1, w.w0) { sum += base[ih * geo.width + iw] }
                    }
                    y[plane * windows + oh * geo.outWidth + ow] = sum / T(w.divisor)
                }
            }
        }
    }
    if input.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    let inputShape = input.shape
    return Tensor.record("AvgPool2DBackward", output, inputs: [input]) { g in
        let grad = Tensor.zeros(inputShape, dtype: g.dtype)
        func spread<T: TensorScalar>(_: T.Type) {
            let pg = g.storage.pointer(T.self), pd = grad.storage.pointer(T.self)
            for plane in 0..<geo.planes {
                let base = pd + plane * geo.height * geo.width
                for oh in 0..<geo.outHeight {
                    for ow in 0..<geo.outWidth {
                        let w = window(oh, ow)
                        let share = pg[plane * windows + oh * geo.outWidth + ow] / T(w.divisor)
                        for ih in w.h0..<Swift.max(w.h1, w.h0) {
                            for iw in w.w0..<Swift.max(w.w1, w.w0) { base[ih * geo.width + iw] += share }
                        }
                    }
                }
            }
        }
        if g.dtype == .float32 { spread(Float.self) } else { spread(Double.self) }
        return [grad]
    }
}

/// 2-d average pooling layer, like `torch.nn.AvgPool2d` (`countIncludePad` true by default, as
/// in PyTorch); see ``avgPool2d(_:kernelSize:stride:padding:ceilMode:countIncludePad:divisorOverride:)``.
public final class AvgPool2d: Module, Layer {
    public let kernelSize: Size2D, stride: Size2D, padding: Size2D
    public let ceilMode: Bool, countIncludePad: Bool
    public let divisorOverride: Int?

    public init(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true, divisorOverride: Int? = nil) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.divisorOverride = divisorOverride
        super.init()
    }

    /// All-`Int` spelling.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                            countIncludePad: Bool = true) {
        self.init(kernelSize: Size2D(kernelSize), stride: stride.map { Size2D($0) }, padding: Size2D(padding),
                  ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        avgPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                  countIncludePad: countIncludePad, divisorOverride: divisorOverride)
    }

    public override var extraDescription: String {
        "kernel_size=\(printed(kernelSize)), stride=\(printed(stride)), padding=\(printed(padding))"
    }
}
