import LoomTestSupport
import Testing
@testable import LoomTasks

@Suite("LSTM from gate equations")
struct ScratchLSTMTests {
    @Test func equalsLSTMCellWithTheSameWeights() {
        manualSeed(5)
        let cell = LSTMCell(inputSize: 3, hiddenSize: 6)
        let scratch = ScratchLSTM(copying: cell)
        let x = Tensor.randn([4, 2, 3])
        let (out, last) = scratch(x)
        var s = LSTMState(h: Tensor.zeros([2, 6]), c: Tensor.zeros([2, 6]))
        for t in 0..<4 {
            s = cell(x[t], state: s)
            expectClose(out[t], s.h, atol: 1e-6, rtol: 1e-5, "h at step \(t)")
        }
        expectClose(last.c, s.c, atol: 1e-6, rtol: 1e-5, "final c")
        #expect(scratch.initState(batchSize: 5).h.shape == [5, 6])
        #expect(scratch.parameters().count == 12)
    }
}
