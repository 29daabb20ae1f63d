/// 2-d convolution (cross-correlation) over a batch of images, like `torch.nn.functional.conv2d`.
///
/// Shapes (legend: B batch, C input channels, O output channels, G groups):
/// input (B, C, H, W) or unbatched (C, H, W); weight (O, C/G, kH, kW); bias (O);
/// output (B, O, Hₒ, Wₒ) with Hₒ = ⌊(H + 2p − d(kH − 1) − 1)/s⌋ + 1 (Wₒ alike).
///
///     y[b, o, oh, ow] = bias[o] + Σ_{c ∈ group(o), i, j} w[o, c, i, j] · x[b, c, oh·s − p + i·d, ow·s − p + j·d]
///
/// Forward: im2col + one GEMM per image and group. Backward: ∂w = Σ_b ∂y·colsᵀ (GEMM),
/// ∂x = col2im(wᵀ·∂y) (GEMM), ∂bias = Σ_{b, oh, ow} ∂y.
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2D = 1, padding: Size2D = 0,
                   dilation: Size2D = 1, groups: Int = 1) -> Tensor {
    precondition(input.rank == 3 || input.rank == 4,
                 "conv2d: expected a 3-d (C, H, W) or 4-d (B, C, H, W) input, got shape \(input.shape)")
    if input.rank == 3 {
        return conv2d(input.unsqueeze(0), weight: weight, bias: bias, stride: stride, padding: padding,
                      dilation: dilation, groups: groups).squeeze(0)
    }
    precondition(weight.rank == 4, "conv2d: weight must be (O, C/groups, kH, kW), got shape \(weight.shape)")
    precondition(groups > 0, "conv2d: groups must be positive, got \(groups)")
    let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (outChannels, groupChannels) = (weight.shape[0], weight.shape[1])
    precondition(channels == groupChannels * groups && outChannels % groups == 0,
                 "conv2d: input of shape \(input.shape) with groups=\(groups) expects weight (O, \(channels / Swift.max(groups, 1)), kH, kW) with O divisible by \(groups), got weight of shape \(weight.shape)")
    precondition(input.dtype == weight.dtype, "conv2d: input is \(input.dtype), weight is \(weight.dtype)")
    if let bias {
        precondition(bias.shape == [outChannels], "conv2d: bias must have shape [\(outChannels)], got \(bias.shape)")
    }
    precondition(stride.height > 0 && stride.width > 0 && dilation.height > 0 && dilation.width > 0
                    && padding.height >= 0 && padding.width >= 0,
                 "conv2d: stride \(stride) and dilation \(dilation) must be positive, padding \(padding) non-negative")
    let kernel = Size2D(weight.shape[2], weight.shape[3])
    let outHeight = ConvGeometry.outputSize(height, kernel: kernel.height, stride: stride.height,
                                            padding: padding.height, dilation: dilation.height)
    let outWidth = ConvGeometry.outputSize(width, kernel: kernel.width, stride: stride.width,
                                           padding: padding.width, dilation: dilation.width)
    precondition(outHeight > 0 && outWidth > 0,
                 "conv2d: input of shape \(input.shape) (padded by \(padding)) is smaller than the dilated kernel \(kernel) (dilation \(dilation))")
    let geometry = ConvGeometry(channels: groupChannels, height: height, width: width, kernel: kernel, stride: stride,
                                padding: padding, dilation: dilation, outHeight: outHeight, outWidth: outWidth)
    let convolution = Convolution(geometry: geometry, batch: batch, groups: groups, outChannels: outChannels)
    let keepColumns = weight.requiresGrad && GradMode.isEnabled
    let (output, columns) = input.dtype == .float32
        ? convolution.forward(Float.self, input, weight, bias, keepColumns: keepColumns)
        : convolution.forward(Double.self, input, weight, bias, keepColumns: keepColumns)
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return Tensor.record("ConvolutionBackward", output, inputs: inputs) { g in
        let grads = g.dtype == .float32
            ? convolution.backward(Float.self, g, input, weight, columns, needInput: input.requiresGrad)
            : convolution.backward(Double.self, g, input, weight, columns, needInput: input.requiresGrad)
        var result: [Tensor?] = [grads.input, weight.requiresGrad ? grads.weight : nil]
        if bias?.requiresGrad == true { result.append(g.sum(dims: [0, 2, 3])) } else if bias != nil { result.append(nil) }
        return result
    }
}

/// The GEMM schedule of one convolution call (per image and group), forward and backward.
struct Convolution {
    let geometry: ConvGeometry
    let batch: Int, groups: Int, outChannels: Int

    /// Rows (K = C/G·kH·kW), positions (L = Hₒ·Wₒ), output channels per group.
    var k: Int { geometry.rows }
    var l: Int { geometry.positions }
    var groupOut: Int { outChannels / groups }
    var imageSize: Int { geometry.channels * groups * geometry.height * geometry.width }

    func forward<T: TensorScalar>(_: T.Type, _ input: Tensor, _ weight: Tensor, _ bias: Tensor?,
                                  keepColumns: Bool) -> (Tensor, Tensor?) {
        let output = Tensor(uninitialized: [batch, outChannels, geometry.outHeight, geometry.outWidth], dtype: input.dtype)
        let columns = Tensor(uninitialized: [keepColumns ? batch * groups : 1, k, l], dtype: input.dtype)
        let x = input.storage.pointer(T.self), w = weight.storage.pointer(T.self)
        let y = output.storage.pointer(T.self), cols = columns.storage.pointer(T.self)
        let groupImage = geometry.channels * geometry.height * geometry.width
        for b in 0..<batch {
            for g in 0..<groups {
                let col = cols + (keepColumns ? (b * groups + g) * k * l : 0)
                geometry.im2col(x + b * imageSize + g * groupImage, col)
                BLAS.gemm(T.self, transA: false, transB: false, m: groupOut, n: l, k: k,
                          a: w + g * groupOut * k, lda: k, b: col, ldb: l,
                          c: y + (b * outChannels + g * groupOut) * l, ldc: l)
            }
            if let bias {
                let bp = bias.storage.pointer(T.self)
                for o in 0..<outChannels {
                    let row = y + (b * outChannels + o) * l
                    for p in 0..<l { row[p] += bp[o] }
                }
            }
        }
        return (output, keepColumns ? columns : nil)
    }

    func backward<T: TensorScalar>(_: T.Type, _ gradOutput: Tensor, _ input: Tensor, _ weight: Tensor,
                                   _ columns: Tensor?, needInput: Bool) -> (input: Tensor?, weight: Tensor?) {
        let dy = gradOutput.storage.pointer(T.self), w = weight.storage.pointer(T.self)
        var dWeight: Tensor?
        if let columns {
            let dW = Tensor.zeros(weight.shape, dtype: weight.dtype)
            let dw = dW.storage.pointer(T.self), cols = columns.storage.pointer(T.self)
            for b in 0..<batch {
                for g in 0..<groups {
                    // ∂W_g += ∂Y_{b,g} (O/G × L) · cols_{b,g}ᵀ (L × K)
                    BLAS.gemm(T.self, transA: false, transB: true, m: groupOut, n: k, k: l,
                              a: dy + (b * outChannels + g * groupOut) * l, lda: l,
                              b: cols + (b * groups + g) * k * l, ldb: l,
                              beta: 1, c: dw + g * groupOut * k, ldc: k)
                }
            }
            dWeight = dW
        }
        guard needInput else { return (nil, dWeight) }
        let dX = Tensor.zeros(input.shape, dtype: input.dtype)
        let dx = dX.storage.pointer(T.self)
        let scratch = Tensor(uninitialized: [k, l], dtype: input.dtype)
        let dcol = scratch.storage.pointer(T.self)
        let groupImage = geometry.channels * geometry.height * geometry.width
        for b in 0..<batch {
            for g in 0..<groups {
                // ∂cols = W_gᵀ (K × O/G) · ∂Y_{b,g} (O/G × L), folded back into ∂x.
                BLAS.gemm(T.self, transA: true, transB: false, m: k, n: l, k: groupOut,
                          a: w + g * groupOut * k, lda: k, b: dy + (b * outChannels + g * groupOut) * l, ldb: l,
                          c: dcol, ldc: l)
                geometry.col2im(dcol, dx + b * imageSize + g * groupImage)
            }
        }
        return (dX, dWeight)
    }
}

/// 2-d convolution layer, like `torch.nn.Conv2d`: weight (O, C/groups, kH, kW), bias (O).
///
/// Shapes: input (B, C, H, W) or (C, H, W) → output (B, O, Hₒ, Wₒ); see
/// ``conv2d(_:weight:bias:stride:padding:dilation:groups:)``. Default initialization
/// (PyTorch's): weight and bias ~ U(−1/√fanIn, 1/√fanIn) with fanIn = C/groups·kH·kW (Kaiming
/// uniform with a = √5).
public final class Conv2d: Module, Layer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?
    public let inChannels: Int, outChannels: Int
    public let kernelSize: Size2D, stride: Size2D, padding: Size2D, dilation: Size2D
    public let groups: Int

    public init(inChannels: Int, outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Size2D = 0,
                dilation: Size2D = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        precondition(inChannels > 0 && outChannels > 0 && groups > 0,
                     "Conv2d: channels and groups must be positive, got inChannels=\(inChannels), outChannels=\(outChannels), groups=\(groups)")
        precondition(inChannels % groups == 0, "Conv2d: inChannels (\(inChannels)) must be divisible by groups (\(groups))")
        precondition(outChannels % groups == 0, "Conv2d: outChannels (\(outChannels)) must be divisible by groups (\(groups))")
        precondition(kernelSize.height > 0 && kernelSize.width > 0, "Conv2d: kernelSize must be positive, got \(kernelSize)")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        let shape = [outChannels, inChannels / groups, kernelSize.height, kernelSize.width]
        let w = Tensor.zeros(shape, dtype: dtype)
        Init.kaimingUniform(w, a: 5.0.squareRoot())
        _weight = Parameter(w)
        let bound = 1 / Double(Init.fans(shape).fanIn).squareRoot()
        _bias = OptionalParameter(wrappedValue: bias ? Tensor.uniform([outChannels], low: -bound, high: bound, dtype: dtype) : nil)
        super.init()
    }

    /// All-`Int` spelling (square kernel, equal strides…), for sizes held in variables.
    public convenience init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        self.init(inChannels: inChannels, outChannels: outChannels, kernelSize: Size2D(kernelSize), stride: Size2D(stride),
                  padding: Size2D(padding), dilation: Size2D(dilation), groups: groups, bias: bias, dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition((input.rank == 4 || input.rank == 3) && input.shape[input.rank - 3] == inChannels,
                     "Conv2d: expected input (B, \(inChannels), H, W) or (\(inChannels), H, W), got shape \(input.shape)")
        return conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    public override var extraDescription: String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(kernelSize), stride=\(stride)"
        if padding != 0 { s += ", padding=\(padding)" }
        if dilation != 1 { s += ", dilation=\(dilation)" }
        if groups != 1 { s += ", groups=\(groups)" }
        if bias == nil { s += ", bias=False" }
        return s
    }
}
