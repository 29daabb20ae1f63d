/// 2-d max pooling, like `torch.nn.functional.max_pool2d`.
///
/// Shapes: input (B, C, H, W) or (C, H, W) → (…, Hₒ, Wₒ), Hₒ = ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1.
///
///     y[…, oh, ow] = max_{i, j} x[…, oh·s − p + i·d, ow·s − p + j·d]      (padding counts as −∞)
///
/// `stride` defaults to `kernelSize`. Backward: the gradient goes to the first maximal element
/// of each window (in row-major window order, as PyTorch); NaN counts as maximal.
public func maxPool2d(_ input: Tensor, kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0,
                      dilation: Size2D = 1, ceilMode: Bool = false) -> Tensor {
    let geo = PoolGeometry(function: "maxPool2d", input: input, kernel: kernelSize, stride: stride, padding: padding,
                           dilation: dilation, ceilMode: ceilMode)
    let output = Tensor(uninitialized: geo.outputShape(input), dtype: input.dtype)
    let windows = geo.outHeight * geo.outWidth
    var argmax = [Int](repeating: 0, count: geo.planes * windows)   // flat input index per output
    func run<T: TensorScalar>(_: T.Type) {
        let x = input.storage.pointer(T.self), y = output.storage.pointer(T.self)
        for plane in 0..<geo.planes {
            let base = plane * geo.height * geo.width
            for oh in 0..<geo.outHeight {
                for ow in 0..<geo.outWidth {
                    var best = -T.infinity, bestIndex = -1
                    search: for i in 0..<geo.kernel.height {
                        let ih = oh * geo.stride.height - geo.padding.height + i * geo.dilation.height
                        guard ih >= 0 && ih < geo.height else { continue }
                        for j in 0..<geo.kernel.width {
                            let iw = ow * geo.stride.width - geo.padding.width + j * geo.dilation.width
                            guard iw >= 0 && iw < geo.width else { continue }
                            let index = base + ih * geo.width + iw
                            let v = x[index]
                            if v > best || bestIndex < 0 || v.isNaN {
                                best = v
                                bestIndex = index
                                if v.isNaN { break search }
                            }
                        }
                    }
                    let o = plane * windows + oh * geo.outWidth + ow
                    y[o] = best
                    argmax[o] = bestIndex
                }
            }
        }
    }
    if input.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    let inputShape = input.shape
    return Tensor.record("MaxPool2DBackward", output, inputs: [input]) { g in
        let grad = Tensor.zeros(inputShape, dtype: g.dtype)
        func scatter<T: TensorScalar>(_: T.Type) {
            let pg = g.storage.pointer(T.self), pd = grad.storage.pointer(T.self)
            for (o, i) in argmax.enumerated() where i >= 0 { pd[i] += pg[o] }
        }
        if g.dtype == .float32 { scatter(Float.self) } else { scatter(Double.self) }
        return [grad]
    }
}

/// 2-d max pooling layer, like `torch.nn.MaxPool2d`; see ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)``.
public final class MaxPool2d: Module, Layer {
    public let kernelSize: Size2D, stride: Size2D, padding: Size2D, dilation: Size2D
    public let ceilMode: Bool

    public init(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, dilation: Size2D = 1,
                ceilMode: Bool = false) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        super.init()
    }

    /// All-`Int` spelling.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false) {
        self.init(kernelSize: Size2D(kernelSize), stride: stride.map { Size2D($0) }, padding: Size2D(padding),
                  dilation: Size2D(dilation), ceilMode: ceilMode)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    public override var extraDescription: String {
        "kernel_size=\(printed(kernelSize)), stride=\(printed(stride)), padding=\(printed(padding)), dilation=\(printed(dilation)), ceil_mode=\(ceilMode ? "True" : "False")"
    }
}

/// PyTorch prints pooling sizes given as one int as that int: `kernel_size=2`.
func printed(_ size: Size2D) -> String { size.height == size.width ? "\(size.height)" : "\(size)" }
