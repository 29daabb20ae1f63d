import Testing
@testable import LoomTasks

@Suite("Task models: PyTorch names and order")
struct TaskModelTests {
    @Test func rnnModelNamesFollowD2L() {
        let m = RNNModel(kind: .lstm, vocabSize: 28, hiddenSize: 8)
        #expect(m.namedParameters().map(\.0) == ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                                                   "linear.weight", "linear.bias"])
        let tokens = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        let (logits, state) = m(tokens, state: m.beginState(batchSize: 2))
        #expect(logits.shape == [6, 28])
        guard case .lstm(let s) = state else { Issue.record("LSTM state expected"); return }
        #expect(s.h.shape == [1, 2, 8])
    }

    @Test func sequenceRegressorNamesFollowTheTutorial() {
        let m = SequenceRegressor(kind: .lstm, inputSize: 1, hiddenSize: 100)
        #expect(m.namedParameters().map(\.0).first == "lstm.weight_ih_l0")
        #expect(m.namedParameters().map(\.0).suffix(2) == ["linear.weight", "linear.bias"])
        #expect(m(Tensor.zeros([3, 12, 1])).shape == [3, 1])
    }
}
