import LoomNN

/// An LSTM written from its gate equations, one weight per gate, as the tutorial builds it
/// before switching to `nn.LSTM`:
///
///     i = σ(x·W_i + h·U_i + b_i)     f = σ(x·W_f + h·U_f + b_f)     o = σ(x·W_o + h·U_o + b_o)
///     c̃ = tanh(x·W_c + h·U_c + b_c)  c′ = f·c + i·c̃                  h′ = o·tanh(c′)
///
/// W_* are (I, H), U_* (H, H), b_* (H). Slow (op by op) but readable; ``init(copying:)`` takes
/// an ``LSTMCell``'s weights so the two can be checked against each other.
/// Shapes: input (T, B, I) → outputs (T, B, H) and the final state.
public final class ScratchLSTM: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    @Parameter public var wI: Tensor
    @Parameter public var uI: Tensor
    @Parameter public var bI: Tensor
    @Parameter public var wF: Tensor
    @Parameter public var uF: Tensor
    @Parameter public var bF: Tensor
    @Parameter public var wO: Tensor
    @Parameter public var uO: Tensor
    @Parameter public var bO: Tensor
    @Parameter public var wC: Tensor
    @Parameter public var uC: Tensor
    @Parameter public var bC: Tensor

    /// Weights ~ N(0, 0.01²), biases 0 (d2l's scratch initialization).
    public init(inputSize: Int, hiddenSize: Int) {
        precondition(inputSize > 0 && hiddenSize > 0, "ScratchLSTM: sizes must be positive, got \(inputSize), \(hiddenSize)")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        func w(_ rows: Int) -> Tensor { Tensor.randn([rows, hiddenSize]) * 0.01 }
        let b = { Tensor.zeros([hiddenSize]) }
        _wI = Parameter(w(inputSize)); _uI = Parameter(w(hiddenSize)); _bI = Parameter(b())
        _wF = Parameter(w(inputSize)); _uF = Parameter(w(hiddenSize)); _bF = Parameter(b())
        _wO = Parameter(w(inputSize)); _uO = Parameter(w(hiddenSize)); _bO = Parameter(b())
        _wC = Parameter(w(inputSize)); _uC = Parameter(w(hiddenSize)); _bC = Parameter(b())
        super.init()
    }

    /// The same function as `cell`: PyTorch stacks the gates [i, f, g, o] in rows of
    /// `weight_ih` (4H, I) and `weight_hh` (4H, H), with two biases that add.
    public convenience init(copying cell: LSTMCell) {
        self.init(inputSize: cell.inputSize, hiddenSize: cell.hiddenSize)
        let H = hiddenSize
        let w = cell.weights
        let bias = (w.bIH ?? Tensor.zeros([4 * H])) + (w.bHH ?? Tensor.zeros([4 * H]))
        func rows(_ t: Tensor, _ gate: Int) -> Tensor { t.narrow(0, start: gate * H, length: H).detach() }
        withNoGrad {
            for (gate, (wx, uh, b)) in [(wI, uI, bI), (wF, uF, bF), (wC, uC, bC), (wO, uO, bO)].enumerated() {
                wx.copy(from: rows(w.wIH, gate).t())
                uh.copy(from: rows(w.wHH, gate).t())
                b.copy(from: rows(bias, gate))
            }
        }
    }

    /// Zero hidden and cell states for `batchSize` sequences: (B, H) each.
    public func initState(batchSize: Int) -> LSTMState {
        LSTMState(h: Tensor.zeros([batchSize, hiddenSize]), c: Tensor.zeros([batchSize, hiddenSize]))
    }

    /// Runs the sequence step by step. Input (T, B, I); returns (T, B, H) and the last state.
    public func callAsFunction(_ input: Tensor, state: LSTMState? = nil) -> (Tensor, LSTMState) {
        precondition(input.rank == 3 && input.shape[2] == inputSize,
                     "ScratchLSTM: expected input (T, B, \(inputSize)), got \(input.shape)")
        var s = state ?? initState(batchSize: input.shape[1])
        var outputs: [Tensor] = []
        for t in 0..<input.shape[0] {
            let x = input[t]
            let i = (x.matmul(wI) + s.h.matmul(uI) + bI).sigmoid()
            let f = (x.matmul(wF) + s.h.matmul(uF) + bF).sigmoid()
            let o = (x.matmul(wO) + s.h.matmul(uO) + bO).sigmoid()
            let candidate = (x.matmul(wC) + s.h.matmul(uC) + bC).tanh()
            let c = f * s.c + i * candidate
            s = LSTMState(h: o * c.tanh(), c: c)
            outputs.append(s.h)
        }
        return (Tensor.stack(outputs), s)
    }
}
