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
        }, contains: "mseLoss: input of shape [4, 3] and target of shape [5] differ")
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

/// The pointwise losses do not broadcast: PyTorch warns and compares every pair when a (N, 1)
/// prediction meets a (N) target (`mse_loss` of [3, 1] zeros and [3] zeros would be 0 either
/// way, but of [[1], [2], [3]] and [1, 2, 3] it is 1.333 instead of 0). Every form stops, naming
/// both shapes.
extension NNMisuseTests {
    static let column = Tensor(shape: [3, 1], scalars: [1, 2, 3] as [Float])
    static let row = Tensor([1, 2, 3] as [Float])

    @Test func pointwiseLossesRefuseMismatchedShapes() async {
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = mseLoss(NNMisuseTests.column, NNMisuseTests.row)
        }, contains: "mseLoss: input of shape [3, 1] and target of shape [3] differ; Loom does not broadcast them")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MSELoss(reduction: .sum)(NNMisuseTests.row, NNMisuseTests.column)
        }, contains: "mseLoss: input of shape [3] and target of shape [3, 1] differ")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = l1Loss(NNMisuseTests.column, NNMisuseTests.row, reduction: .none)
        }, contains: "l1Loss: input of shape [3, 1] and target of shape [3] differ")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = HuberLoss()(NNMisuseTests.column, NNMisuseTests.row)
        }, contains: "huberLoss: input of shape [3, 1] and target of shape [3] differ")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = smoothL1Loss(NNMisuseTests.column, NNMisuseTests.row)
        }, contains: "smoothL1Loss: input of shape [3, 1] and target of shape [3] differ")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = smoothL1Loss(NNMisuseTests.column, NNMisuseTests.row, beta: 0)
        }, contains: "smoothL1Loss: input of shape [3, 1] and target of shape [3] differ")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = bceWithLogits(NNMisuseTests.column, NNMisuseTests.row.sigmoid())
        }, contains: "bceWithLogits: input of shape [3, 1] and target of shape [3] differ")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BCEWithLogitsLoss(posWeight: Tensor([2] as [Float]))(Tensor.zeros([2, 3]), Tensor.zeros([3]))
        }, contains: "bceWithLogits: input of shape [2, 3] and target of shape [3] differ; Loom does not broadcast them")
    }

    /// Same-shaped input and target are unaffected; `weight` and `posWeight` still broadcast.
    @Test func sameShapesAndBroadcastWeightsStillWork() {
        #expect(mseLoss(Self.column, Self.column).item() == 0)
        #expect(mseLoss(Self.column, Self.row.reshape([3, 1])).item() == 0)
        #expect(l1Loss(Self.row, Self.row * 2, reduction: .sum).item() == 6)
        let logits = Tensor.zeros([2, 3]), targets = Tensor.ones([2, 3])
        let plain = bceWithLogits(logits, targets).item()
        #expect(abs(bceWithLogits(logits, targets, weight: Tensor([2] as [Float])).item() - 2 * plain) < 1e-6)
        #expect(abs(bceWithLogits(logits, targets, posWeight: Tensor([1, 1, 4] as [Float])).item() - 2 * plain) < 1e-6)
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
