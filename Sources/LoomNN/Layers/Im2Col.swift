/// The unfold/fold pair behind ``conv2d(_:weight:bias:stride:padding:dilation:groups:)``:
/// im2col copies every receptive field of one image into a column so that a convolution becomes
/// one GEMM, col2im adds columns back into an image (the adjoint, used by the backward pass).
///
/// Layout (one image, C channels): `columns` is (C·kH·kW, Hₒ·Wₒ) row-major; row (c·kH + i)·kW + j
/// holds x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] for every output position (oh, ow), 0 where
/// that falls in the padding. The rows match a weight (O, C, kH, kW) flattened to (O, C·kH·kW).
struct ConvGeometry: Equatable {
    let channels: Int, height: Int, width: Int
    let kernel: Size2D, stride: Size2D, padding: Size2D, dilation: Size2D
    let outHeight: Int, outWidth: Int

    init(channels: Int, height: Int, width: Int, kernel: Size2D, stride: Size2D, padding: Size2D,
         dilation: Size2D, outHeight: Int, outWidth: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.outHeight = outHeight
        self.outWidth = outWidth
    }

    /// Output size of a sliding window: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1.
    static func outputSize(_ n: Int, kernel k: Int, stride s: Int, padding p: Int, dilation d: Int) -> Int {
        let span = n + 2 * p - d * (k - 1) - 1
        return span < 0 ? 0 : span / s + 1       // 0 when the window does not fit
    }

    var rows: Int { channels * kernel.height * kernel.width }
    var positions: Int { outHeight * outWidth }

    /// Fills `columns` (rows × positions) from `image` (C, H, W).
    func im2col<T: TensorScalar>(_ image: UnsafePointer<T>, _ columns: UnsafeMutablePointer<T>) {
        let (kH, kW) = (kernel.height, kernel.width)
        for c in 0..<channels {
            let plane = image + c * height * width
            for i in 0..<kH {
                for j in 0..<kW {
                    let row = columns + ((c * kH + i) * kW + j) * positions
                    for oh in 0..<outHeight {
                        let ih = oh * stride.height - padding.height + i * dilation.height
                        let out = row + oh * outWidth
                        guard ih >= 0 && ih < height else {
                            out.update(repeating: 0, count: outWidth)
                            continue
                        }
                        let line = plane + ih * width
                        for ow in 0..<outWidth {
                            let iw = ow * stride.width - padding.width + j * dilation.width
                            out[ow] = iw >= 0 && iw < width ? line[iw] : 0
                        }
                    }
                }
            }
        }
    }

    /// Adds `columns` (rows × positions) back into `image` (C, H, W), the adjoint of ``im2col(_:_:)``.
    func col2im<T: TensorScalar>(_ columns: UnsafePointer<T>, _ image: UnsafeMutablePointer<T>) {
        let (kH, kW) = (kernel.height, kernel.width)
        for c in 0..<channels {
            let plane = image + c * height * width
            for i in 0..<kH {
                for j in 0..<kW {
                    let row = columns + ((c * kH + i) * kW + j) * positions
                    for oh in 0..<outHeight {
                        let ih = oh * stride.height - padding.height + i * dilation.height
                        guard ih >= 0 && ih < height else { continue }
                        let line = plane + ih * width
                        let src = row + oh * outWidth
                        for ow in 0..<outWidth {
                            let iw = ow * stride.width - padding.width + j * dilation.width
                            if iw >= 0 && iw < width { line[iw] += src[ow] }
                        }
                    }
                }
            }
        }
    }
}
