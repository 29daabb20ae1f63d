/// The hidden and cell states of an ``LSTM``: h (D·L, B, H_out), c (D·L, B, H).
public struct LSTMState {
    public var h: Tensor
    public var c: Tensor

    public init(h: Tensor, c: Tensor) {
        self.h = h
        self.c = c
    }
}

/// Multi-layer long short-term memory, like `torch.nn.LSTM`.
///
///     i = σ(x·W_iiᵀ + b_ii + h·W_hiᵀ + b_hi)      f = σ(x·W_ifᵀ + b_if + h·W_hfᵀ + b_hf)
///     g = tanh(x·W_igᵀ + b_ig + h·W_hgᵀ + b_hg)   o = σ(x·W_ioᵀ + b_io + h·W_hoᵀ + b_ho)
///     c′ = f·c + i·g                              h′ = o·tanh(c′)   (then h′·W_hrᵀ if projSize > 0)
///
/// Parameters are PyTorch's (`weight_ih_l0` (4H, I), `weight_hh_l0` (4H, H_out), `bias_ih_l0`,
/// `bias_hh_l0`, `weight_hr_l0` (H_out, H), `…_reverse`), so a PyTorch state dict loads as is.
/// Shapes: see ``RecurrentLayer``.
public final class LSTM: RecurrentLayer {
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false, projSize: Int = 0, dtype: DType = .float32) {
        super.init(kind: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projSize: projSize, dtype: dtype)
    }

    /// Runs a padded sequence; `state` defaults to zeros. Returns the output and (h_n, c_n).
    public func callAsFunction(_ input: Tensor, state: LSTMState? = nil) -> (Tensor, LSTMState) {
        let (o, h, c) = forwardPadded(input, h0: state?.h, c0: state?.c)
        return (o, LSTMState(h: h, c: c!))
    }

    /// Runs a packed sequence; returns packed output and the states at each sequence's end.
    public func callAsFunction(_ input: PackedSequence, state: LSTMState? = nil) -> (PackedSequence, LSTMState) {
        let (o, h, c) = forwardPacked(input, h0: state?.h, c0: state?.c)
        return (o, LSTMState(h: h, c: c!))
    }
}

/// Gated recurrent unit, like `torch.nn.GRU` (gates r, z, n; reset applied after the hidden
/// projection):
///
///     r = σ(x·W_irᵀ + b_ir + h·W_hrᵀ + b_hr)     z = σ(x·W_izᵀ + b_iz + h·W_hzᵀ + b_hz)
///     n = tanh(x·W_inᵀ + b_in + r·(h·W_hnᵀ + b_hn))      h′ = (1 − z)·n + z·h
public final class GRU: RecurrentLayer {
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false, dtype: DType = .float32) {
        super.init(kind: .gru, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projSize: 0, dtype: dtype)
    }

    /// Runs a padded sequence; `state` (h0) defaults to zeros. Returns the output and h_n.
    public func callAsFunction(_ input: Tensor, state: Tensor? = nil) -> (Tensor, Tensor) {
        let (o, h, _) = forwardPadded(input, h0: state, c0: nil)
        return (o, h)
    }

    public func callAsFunction(_ input: PackedSequence, state: Tensor? = nil) -> (PackedSequence, Tensor) {
        let (o, h, _) = forwardPacked(input, h0: state, c0: nil)
        return (o, h)
    }
}

/// Elman recurrent network, like `torch.nn.RNN`: h′ = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh),
/// act = tanh (default) or relu.
public final class RNN: RecurrentLayer {
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: Nonlinearity = .tanh, bias: Bool = true,
                batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false, dtype: DType = .float32) {
        super.init(kind: .rnn(nonlinearity), inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projSize: 0, dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor, state: Tensor? = nil) -> (Tensor, Tensor) {
        let (o, h, _) = forwardPadded(input, h0: state, c0: nil)
        return (o, h)
    }

    public func callAsFunction(_ input: PackedSequence, state: Tensor? = nil) -> (PackedSequence, Tensor) {
        let (o, h, _) = forwardPacked(input, h0: state, c0: nil)
        return (o, h)
    }
}
