/// The three recurrent cell families Loom implements, with PyTorch's gate layouts.
public enum RecurrentKind: Sendable, Equatable {
    /// Elman RNN, h′ = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) with act = tanh or relu.
    case rnn(Nonlinearity)
    /// LSTM with gates stacked [i, f, g, o].
    case lstm
    /// GRU with gates stacked [r, z, n], reset gate applied after the hidden projection.
    case gru

    /// Number of gate blocks stacked in W_ih / W_hh.
    public var gateCount: Int {
        switch self {
        case .rnn: return 1
        case .lstm: return 4
        case .gru: return 3
        }
    }

    /// PyTorch's class name: RNN, LSTM, GRU.
    public var name: String {
        switch self {
        case .rnn: return "RNN"
        case .lstm: return "LSTM"
        case .gru: return "GRU"
        }
    }
}

/// The activation of an Elman ``RNN``.
public enum Nonlinearity: String, Sendable, Equatable {
    case tanh, relu
}

/// The weights of one layer in one direction, shaped as PyTorch's:
/// `wIH` (G·H, I), `wHH` (G·H, H_out), `bIH`/`bHH` (G·H), `wHR` (H_out, H) when projecting.
public struct RecurrentWeights {
    public var wIH: Tensor
    public var wHH: Tensor
    public var bIH: Tensor?
    public var bHH: Tensor?
    public var wHR: Tensor?

    public init(wIH: Tensor, wHH: Tensor, bIH: Tensor?, bHH: Tensor?, wHR: Tensor? = nil) {
        self.wIH = wIH
        self.wHH = wHH
        self.bIH = bIH
        self.bHH = bHH
        self.wHR = wHR
    }

    /// [wIH, wHH, bIH, bHH, wHR] (nil where absent).
    var tensors: [Tensor?] { [wIH, wHH, bIH, bHH, wHR] }
}
