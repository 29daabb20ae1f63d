import LoomTestSupport
import Testing
@testable import LoomNN

@Suite("Layers and losses: misuse stops with messages naming both shapes")
struct NNMisuseTests {
    @Test func messagesNameTheShapes() async {
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(Tensor.zeros([4, 3]), Tensor.zeros([5]))
        }, contains: "input of shape [4, 3] expects class-index targets of shape [4], got [5]")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(Tensor.zeros([2, 3]), Tensor([0, 3] as [Float]))
        }, contains: "target 3 at position 1 is out of bounds for 3 classes")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = mseLoss(Tensor.zeros([4, 3]), Tensor.zeros([5]))
        }, contains: "shapes [4, 3] and [5] cannot be broadcast together")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Linear(4, 2)(Tensor.zeros([3, 5]))
        }, contains: "Linear: expected input with last dimension 4, got shape [3, 5]")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = linear(Tensor.zeros([3, 4]), weight: Tensor.zeros([2, 4]), bias: Tensor.zeros([3]))
        }, contains: "linear: bias must have shape [2], got [3]")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = linear(Tensor.zeros([3, 4], dtype: .float64), weight: Tensor.zeros([2, 4]))
        }, contains: "linear: input is float64 but a parameter is float32")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Conv2d(inChannels: 3, outChannels: 4, kernelSize: 3)(Tensor.zeros([1, 2, 8, 8]))
        }, contains: "Conv2d: expected input (B, 3, H, W) or (3, H, W), got shape [1, 2, 8, 8]")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 4, 8, 8]), weight: Tensor.zeros([6, 3, 3, 3]), groups: 2)
        }, contains: "input of shape [1, 4, 8, 8] with groups=2 expects weight (O, 2, kH, kW)")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maxPool2d(Tensor.zeros([1, 1, 2, 2]), kernelSize: 3)
        }, contains: "input of shape [1, 1, 2, 2] is too small for kernel (3, 3)")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LayerNorm([4, 5])(Tensor.zeros([2, 5, 4]))
        }, contains: "expected input with trailing shape [4, 5], got shape [2, 5, 4]")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Embedding(4, 2)(Tensor([1, 4] as [Float]))
        }, contains: "index 4.0 at position 1 is out of range for 4 embeddings")
    }
}

extension NNMisuseTests {
    @Test func windowsLargerThanTheInputAreRefused() async {
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 1, 2, 2]), weight: Tensor.zeros([1, 1, 4, 4]), stride: 3)
        }, contains: "is smaller than the dilated kernel (4, 4)")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = avgPool2d(Tensor.zeros([1, 1, 2, 5]), kernelSize: 3, stride: 2)
        }, contains: "is too small for kernel (3, 3)")
    }
}
