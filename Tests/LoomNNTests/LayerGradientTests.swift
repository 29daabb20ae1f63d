import LoomTestSupport
import Testing
@testable import LoomNN

@Suite("Layers: gradients against finite differences (Float64)")
struct LayerGradientTests {
    @Test(arguments: [(Size2D(1), Size2D(0), Size2D(1), 1), (Size2D(2, 1), Size2D(1, 2), Size2D(1), 1),
                      (Size2D(1), Size2D(2), Size2D(2, 1), 1), (Size2D(2), Size2D(1), Size2D(1), 2)])
    func conv2dAllInputs(stride: Size2D, padding: Size2D, dilation: Size2D, groups: Int) {
        let x = randn64([2, 4, 6, 5], seed: 1)
        let w = randn64([4, 4 / groups, 3, 2], seed: 2), b = randn64([4], seed: 3)
        gradCheck("conv2d s\(stride) p\(padding) d\(dilation) g\(groups)", inputs: [x, w, b]) {
            conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
    }

    @Test func linearAllInputs() {
        let w = randn64([3, 4], seed: 11), b = randn64([3], seed: 12)
        for shape in [[4], [5, 4], [2, 3, 4]] {
            let x = randn64(shape, seed: 13)
            gradCheck("linear \(shape)", inputs: [x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
            gradCheck("linear \(shape) without bias", inputs: [x, w]) { linear($0[0], weight: $0[1]) }
        }
    }

    @Test func conv2dInputUsedTwice() {
        let x = randn64([1, 2, 5, 5], seed: 4), w = randn64([2, 2, 3, 3], seed: 5)
        gradCheck("conv2d(x) + x", inputs: [x, w]) { conv2d($0[0], weight: $0[1], padding: 1) + $0[0] }
    }

    @Test func pooling() {
        let x = randn64([2, 2, 7, 6], seed: 6)
        gradCheck("maxPool2d", inputs: [x]) { maxPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
        gradCheck("maxPool2d dilation ceil", inputs: [x]) {
            maxPool2d($0[0], kernelSize: [2, 3], stride: [2, 1], padding: [1, 1], dilation: [2, 1], ceilMode: true)
        }
        gradCheck("avgPool2d", inputs: [x]) { avgPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
        gradCheck("avgPool2d exclude pad ceil", inputs: [x]) {
            avgPool2d($0[0], kernelSize: 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)
        }
    }

    @Test func activationsAndNormalization() {
        let x = randn64([3, 5], seed: 7)
        gradCheck("gelu", inputs: [x]) { $0[0].gelu() }
        gradCheck("gelu tanh", inputs: [x]) { $0[0].gelu(approximate: .tanh) }
        gradCheck("leakyRelu", inputs: [x]) { $0[0].leakyRelu(negativeSlope: 0.1) }
        let norm = LayerNorm([5], dtype: .float64)
        norm.weight!.copy(from: randn64([5], seed: 8))
        norm.bias!.copy(from: randn64([5], seed: 9))
        gradCheck("layerNorm", inputs: [x, norm.weight!, norm.bias!]) { _ in norm(x) }
    }

    @Test func embeddingAndDropout() {
        let embedding = Embedding(numEmbeddings: 5, embeddingDim: 3, dtype: .float64)
        let indices = Tensor(shape: [2, 2], scalars: [1, 4, 1, 0] as [Double])
        gradCheck("embedding (row 1 used twice)", inputs: [embedding.weight]) { _ in embedding(indices) }
        let x = randn64([4, 6], seed: 10)
        gradCheck("dropout", inputs: [x]) { input in
            var g = Generator(seed: 3)      // the same mask on every evaluation
            return dropout(input[0], p: 0.4, generator: &g)
        }
    }
}
