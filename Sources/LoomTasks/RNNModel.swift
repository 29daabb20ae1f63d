import LoomData
import LoomNN

/// The recurrent state a language model carries between batches: a tuple for LSTM, one tensor
/// otherwise (d2l's `begin_state`).
public enum RecurrentState {
    case single(Tensor)
    case lstm(LSTMState)

    /// The same state cut from the graph (between batches of sequential partitioning).
    public func detached() -> RecurrentState {
        switch self {
        case .single(let h): return .single(h.detach())
        case .lstm(let s): return .lstm(LSTMState(h: s.h.detach(), c: s.c.detach()))
        }
    }
}

/// The tutorials' `RNNModel`: any recurrent layer over one-hot tokens plus a linear layer to
/// vocabulary logits. Submodules are named `rnn` and `linear` as in d2l.
/// Shapes: tokens (B, T) of indices → logits (T·B, V) (time-major rows, as d2l) and the state.
public final class RNNModel: Module {
    public let vocabSize: Int
    public let kind: RecurrentModelKind
    private let linearRef: LinearReference

    /// The output layer, registered as `linear` after the recurrent layer (PyTorch's order).
    public var linear: Linear { linearRef.linear }
    private let layerRef: LayerReference

    /// The recurrent layer, registered as `rnn`.
    public var rnn: RecurrentLayer { layerRef.layer }

    public init(kind: RecurrentModelKind, vocabSize: Int, hiddenSize: Int, numLayers: Int = 1, bidirectional: Bool = false) {
        precondition(vocabSize > 0, "RNNModel: vocabSize must be positive, got \(vocabSize)")
        self.vocabSize = vocabSize
        self.kind = kind
        let layer: RecurrentLayer
        switch kind {
        case .lstm: layer = LSTM(inputSize: vocabSize, hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional)
        case .gru: layer = GRU(inputSize: vocabSize, hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional)
        case .rnn: layer = RNN(inputSize: vocabSize, hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional)
        }
        layerRef = LayerReference(layer: layer)
        linearRef = LinearReference(linear: Linear(hiddenSize * layer.directions, vocabSize))
        super.init()
        addModule(name: "rnn", layer)
        addModule(name: "linear", linearRef.linear)
    }

    /// Zero state for `batchSize` sequences: h (D·L, B, H) (and c for LSTM).
    public func beginState(batchSize: Int) -> RecurrentState {
        let h = Tensor.zeros([rnn.directions * rnn.numLayers, batchSize, rnn.hiddenSize])
        return kind == .lstm ? .lstm(LSTMState(h: h, c: h.clone())) : .single(h)
    }

    /// One-hot encodes `tokens` (B, T), runs the layer from `state` and returns logits (T·B, V).
    public func callAsFunction(_ tokens: Tensor, state: RecurrentState) -> (Tensor, RecurrentState) {
        precondition(tokens.rank == 2, "RNNModel: expected token indices of shape (B, T), got \(tokens.shape)")
        let x = Tensor.oneHot(tokens.transpose(0, 1), numClasses: vocabSize)        // (T, B, V)
        let result: (output: Tensor, h: Tensor, c: Tensor?)
        switch state {
        case .single(let h): result = rnn.forward(x, h0: h)
        case .lstm(let s): result = rnn.forward(x, h0: s.h, c0: s.c)
        }
        let logits = linear(result.output.reshape([-1, result.output.shape[2]]))
        let next: RecurrentState = result.c.map { .lstm(LSTMState(h: result.h, c: $0)) } ?? .single(result.h)
        return (logits, next)
    }

    private struct LayerReference { let layer: RecurrentLayer }
    private struct LinearReference { let linear: Linear }
}
