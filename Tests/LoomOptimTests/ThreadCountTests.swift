import Foundation
import Testing
@testable import LoomOptim

@Suite("Training results do not depend on the thread count")
struct ThreadCountTests {
    /// Three SGD steps of a character-model-sized LSTM (one-hot inputs, batch 32, H = 128) with
    /// clipping: large enough that the step products, the point-wise steps, the weight-gradient
    /// products and the input projection are all split over threads. One thread and all threads
    /// give the same losses and parameters, bit for bit.
    @Test func lstmTrainingIsBitIdenticalAcrossThreadCounts() {
        func train(threads: Int) -> (losses: [Float], params: [[Float]]) {
            BLAS.threadCount = threads
            defer { BLAS.threadCount = 0 }
            return withSeed(21) {
                let (V, H, B, T) = (28, 128, 32, 5)
                let lstm = LSTM(inputSize: V, hiddenSize: H), head = Linear(H, V)
                let params = lstm.parameters() + head.parameters()
                let opt = SGD(params, lr: 0.5)
                var g = Generator(seed: 22)
                let tokens = Tensor.randint(0, V, [T + 1, B], generator: &g)
                var losses: [Float] = []
                for _ in 0..<3 {
                    let x = Tensor.oneHot(tokens[..<T], numClasses: V)
                    let (out, _) = lstm(x)
                    let loss = crossEntropy(head(out.reshape([-1, H])), tokens[1...].reshape([-1]))
                    opt.zeroGrad()
                    loss.backward()
                    clipGradNorm(params, maxNorm: 1)
                    opt.step()
                    losses.append(loss.scalars[0])
                }
                return (losses, params.map(\.scalars))
            }
        }
        let one = train(threads: 1), all = train(threads: 0)
        #expect(one.losses == all.losses)
        #expect(one.params == all.params)
        #expect(one.losses[2] < one.losses[0], "losses \(one.losses)")
    }
}
