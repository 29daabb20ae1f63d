import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

@Suite("Recurrent layers: fused vs composed, gradients, shapes, errors")
struct RecurrentBehaviourTests {
    static let kinds: [RecurrentKind] = [.rnn(.tanh), .rnn(.relu), .lstm, .gru]

    /// Random weights, N(0, scale²) (0.4 makes saturated gates likely at these small sizes).
    static func weights(_ kind: RecurrentKind, I: Int, H: Int, hOut: Int? = nil, dtype: DType = .float32, seed: UInt64,
                        scale: Double = 0.4) -> RecurrentWeights {
        var g = Generator(seed: seed)
        let G = kind.gateCount * H, ho = hOut ?? H
        func r(_ s: [Int]) -> Tensor { (Tensor.randn(s, dtype: dtype, generator: &g) * scale).requiringGrad() }
        return RecurrentWeights(wIH: r([G, I]), wHH: r([G, ho]), bIH: r([G]), bHH: r([G]), wHR: hOut == nil ? nil : r([ho, H]))
    }

    /// The fused whole-sequence op equals the composed op-by-op cell loop: values and gradients.
    @Test(arguments: [(RecurrentKind.rnn(.tanh), false), (.rnn(.relu), false), (.lstm, false), (.lstm, true), (.gru, false)],
          [false, true])
    func fusedMatchesComposed(case c: (RecurrentKind, Bool), reverse: Bool) {
        let (kind, project) = c
        let (T, B, I, H) = (6, 3, 5, 7)
        let hOut = project ? 4 : H
        let wF = Self.weights(kind, I: I, H: H, hOut: project ? hOut : nil, dtype: .float32, seed: 1)
        let wC = Self.weights(kind, I: I, H: H, hOut: project ? hOut : nil, dtype: .float32, seed: 1)
        var g = Generator(seed: 2)
        let x = Tensor.randn([T, B, I], generator: &g)
        let h0 = Tensor.randn([B, hOut], generator: &g) * 0.5
        let c0 = kind == .lstm ? Tensor.randn([B, H], generator: &g) * 0.5 : nil
        let wo = Tensor.randn([T, B, hOut], generator: &g)
        let xF = x.clone().requiringGrad(), xC = x.clone().requiringGrad()
        let hF = h0.clone().requiringGrad(), hC = h0.clone().requiringGrad()
        let fused = FusedRecurrence.run(kind, data: xF.reshape([T * B, I]), batchSizes: Array(repeating: B, count: T),
                                        reverse: reverse, h0: hF, c0: c0, weights: wF)
        let composed = CellMath.sequence(kind, xC, h0: hC, c0: c0, wC, reverse: reverse)
        ((fused.output.reshape([T, B, hOut]) * wo).sum() + fused.h.sum() * 2 + (fused.c?.sum() ?? Tensor(Float(0)))).backward()
        ((composed.output * wo).sum() + composed.h.sum() * 2 + (composed.c?.sum() ?? Tensor(Float(0)))).backward()
        expectClose(fused.output.reshape([T, B, hOut]), composed.output, "output")
        expectClose(fused.h, composed.h, "h_n")
        if let c = fused.c { expectClose(c, composed.c!, "c_n") }
        expectClose(xF.grad, xC.grad!, "grad x")
        expectClose(hF.grad, hC.grad!, "grad h0")
        for (a, b) in zip(wF.tensors, wC.tensors) where a != nil {
            expectClose(a!.grad, b!.grad!, "grad weight \(a!.shape)")
        }
    }

    /// Finite differences in Float64 for each cell and for each fused layer.
    @Test(arguments: kinds)
    func gradientsMatchFiniteDifferences(kind: RecurrentKind) {
        let w = Self.weights(kind, I: 3, H: 4, dtype: .float64, seed: 3)
        let x = randn64([2, 3], seed: 4), h = randn64([2, 4], seed: 5), c = randn64([2, 4], seed: 6)
        let inputs = [x, h, c, w.wIH, w.wHH, w.bIH!, w.bHH!]
        gradCheck("\(kind) cell", inputs: inputs) { v in
            let wv = RecurrentWeights(wIH: v[3], wHH: v[4], bIH: v[5], bHH: v[6])
            switch kind {
            case .lstm: let s = CellMath.lstm(v[0], h: v[1], c: v[2], wv); return Tensor.cat([s.h, s.c], dim: 1)
            case .gru: return CellMath.gru(v[0], h: v[1], wv)
            case .rnn(let a): return CellMath.rnn(v[0], h: v[1], wv, nonlinearity: a)
            }
        }
        let seq = randn64([7, 4], seed: 7)   // packed stream: batch sizes 3, 2, 2 (N = 7), B = 3
        let h0 = randn64([3, 4], seed: 8), c0 = randn64([3, 4], seed: 9)
        for reverse in [false, true] {
            gradCheck("\(kind) fused reverse=\(reverse)", inputs: [seq.narrow(1, start: 0, length: 3).detach(), h0, c0] + [w.wIH, w.wHH, w.bIH!, w.bHH!]) { v in
                let wv = RecurrentWeights(wIH: v[3], wHH: v[4], bIH: v[5], bHH: v[6])
                let r = FusedRecurrence.run(kind, data: v[0], batchSizes: [3, 2, 2], reverse: reverse, h0: v[1],
                                            c0: kind == .lstm ? v[2] : nil, weights: wv)
                return Tensor.cat([r.output.flatten(), r.h.flatten()] + (r.c.map { [$0.flatten()] } ?? []))
            }
        }
    }

    @Test func shapesFollowPyTorch() {
        manualSeed(0)
        let rnn = RNN(inputSize: 10, hiddenSize: 20, numLayers: 2)
        let x = Tensor.randn([5, 3, 10])
        let (out, hn) = rnn(x)
        #expect(out.shape == [5, 3, 20])
        #expect(hn.shape == [2, 3, 20])
        #expect(out[-1].scalars == hn[-1].scalars, "out[-1] == h_n[-1] for a unidirectional RNN")
        let bi = LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2, batchFirst: true, bidirectional: true, projSize: 5)
        let (o2, s2) = bi(Tensor.randn([3, 5, 10]))
        #expect(o2.shape == [3, 5, 10])
        #expect(s2.h.shape == [4, 3, 5])
        #expect(s2.c.shape == [4, 3, 20])
        let (o3, h3) = GRU(inputSize: 10, hiddenSize: 8)(Tensor.randn([5, 10]))
        #expect(o3.shape == [5, 8] && h3.shape == [1, 8], "unbatched input")
        let cell = RNNCell(inputSize: 10, hiddenSize: 20)
        #expect(cell(Tensor.randn([3, 10])).shape == [3, 20])
        #expect(cell(Tensor.randn([10])).shape == [20])
        let lstmCell = LSTMCell(inputSize: 10, hiddenSize: 20)
        let s = lstmCell(Tensor.randn([3, 10]))
        #expect(s.h.shape == [3, 20] && s.c.shape == [3, 20])
        #expect(GRUCell(inputSize: 4, hiddenSize: 2)(Tensor.randn([4]), state: Tensor.zeros([2])).shape == [2])
    }

    @Test func parameterNamesAndInitialization() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 16, numLayers: 2, bidirectional: true, projSize: 4)
        #expect(lstm.namedParameters().map(\.0).prefix(10) == [
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_hr_l0_reverse"])
        #expect(lstm.namedParameters().first { $0.0 == "weight_ih_l1" }?.1.shape == [64, 8])
        let bound = Float(1 / 4.0)
        #expect(lstm.parameters().allSatisfy { p in p.scalars.allSatisfy { abs($0) <= bound } })
        #expect(lstm.description == "LSTM(3, 16, proj_size=4, num_layers=2, bidirectional=True)")
        #expect(RNN(inputSize: 2, hiddenSize: 3, nonlinearity: .relu, bias: false).namedParameters().map(\.0) == ["weight_ih_l0", "weight_hh_l0"])
    }

    @Test func dropoutBetweenLayersOnlyInTraining() {
        let lstm = LSTM(inputSize: 4, hiddenSize: 8, numLayers: 2, dropout: 0.5)
        let x = Tensor.randn([6, 2, 4])
        let a = withSeed(1) { lstm(x).0.scalars }
        let b = withSeed(1) { lstm(x).0.scalars }
        let c = withSeed(2) { lstm(x).0.scalars }
        #expect(a == b, "same seed, same dropout mask")
        #expect(a != c)
        lstm.eval()
        let e1 = lstm(x).0.scalars, e2 = lstm(x).0.scalars
        #expect(e1 == e2, "no dropout in eval mode")
    }

    @Test func packedStatesAreTakenAtEachSequenceEnd() {
        let gru = GRU(inputSize: 2, hiddenSize: 3)
        let x = Tensor.randn([4, 2, 2])
        let packed = packPaddedSequence(x, lengths: [2, 4], enforceSorted: false)
        #expect(packed.batchSizes == [2, 2, 1, 1])
        let (_, h) = gru(packed)
        let (_, hShort) = gru(x[..<2, 0...0])
        expectClose(h[0, 0], hShort[0, 0], "state of the length-2 sequence")
        let (padded, lengths) = padPackedSequence(packSequence([Tensor.ones([3, 2]), Tensor.ones([1, 2])]), batchFirst: true)
        #expect(lengths == [3, 1])
        #expect(padded.shape == [2, 3, 2])
        #expect(padded.sum().item() == 8)
    }

    @Test func stateDictOfAnotherArchitectureIsRejected() {
        let gru = GRU(inputSize: 3, hiddenSize: 4)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2)
        #expect(throws: StateDictError.self) { try lstm.loadStateDict(gru.stateDict()) }
        do { try lstm.loadStateDict(gru.stateDict()) } catch {
            #expect("\(error)".contains("weight_ih_l1"), "names the missing key: \(error)")
        }
        let wider = LSTM(inputSize: 5, hiddenSize: 4)
        do { try LSTM(inputSize: 3, hiddenSize: 4).loadStateDict(wider.stateDict()) } catch {
            #expect("\(error)" == "loadStateDict: size mismatch for weight_ih_l0: the checkpoint has shape [16, 5], the model expects [16, 3]")
        }
    }

    @Test func badInputStopsWithAClearMessage() async {
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTM(inputSize: 10, hiddenSize: 4)(Tensor.zeros([5, 2, 7]))
        }, contains: "input.size(-1) must be equal to inputSize. Expected 10, got 7")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GRU(inputSize: 3, hiddenSize: 4)(Tensor.zeros([5, 2, 3]), state: Tensor.zeros([1, 3, 4]))
        }, contains: "expected hidden state h0 of shape [1, 2, 4], got [1, 3, 4]")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packPaddedSequence(Tensor.zeros([5, 2, 3]), lengths: [5, 9], enforceSorted: false)
        }, contains: "length of sequence 1 is 9 but the input has only 5 time steps")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packPaddedSequence(Tensor.zeros([5, 2, 3]), lengths: [0, 3], enforceSorted: false)
        }, contains: "length of sequence 0 is 0; every length must be at least 1")
        expectStderr(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packPaddedSequence(Tensor.zeros([5, 2, 3]), lengths: [2, 5])
        }, contains: "lengths [2, 5] are not sorted in decreasing order")
    }
}
