import LoomNN

/// Which recurrent layer a task model uses.
public enum RecurrentModelKind: String, Codable, CaseIterable, Sendable {
    case lstm, gru, rnn
}

/// A recurrent layer followed by a linear head on the last time step — the tutorials' forecasting
/// and sequence-regression model (`nn.LSTM` + `nn.Linear`, prediction from `out[-1]`).
///
/// Submodules are named after the tutorial (`lstm`/`gru`/`rnn` and `linear`), so the state dict
/// of the tutorial's PyTorch model loads unchanged.
/// Shapes: input (B, T, F) batch-first → output (B, outputs).
public final class SequenceRegressor: Module {
    public let kind: RecurrentModelKind
    private let linearRef: LinearReference

    /// The output layer, registered as `linear` after the recurrent layer (PyTorch's order).
    public var linear: Linear { linearRef.linear }
    private let layerRef: LayerReference

    /// The recurrent layer (registered under the kind's name).
    public var recurrent: RecurrentLayer { layerRef.layer }

    public init(kind: RecurrentModelKind, inputSize: Int, hiddenSize: Int, numLayers: Int = 1, outputSize: Int = 1,
                dropout: Double = 0) {
        self.kind = kind
        let layer: RecurrentLayer
        switch kind {
        case .lstm: layer = LSTM(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, batchFirst: true, dropout: dropout)
        case .gru: layer = GRU(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, batchFirst: true, dropout: dropout)
        case .rnn: layer = RNN(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, batchFirst: true, dropout: dropout)
        }
        layerRef = LayerReference(layer: layer)
        linearRef = LinearReference(linear: Linear(hiddenSize, outputSize))
        super.init()
        addModule(name: kind.rawValue, layer)
        addModule(name: "linear", linearRef.linear)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let out = recurrent.forward(x).output          // (B, T, H)
        return linear(out[.all, -1])                   // (B, outputs)
    }

    // Registered explicitly (named by kind) rather than discovered as a property.
    private struct LayerReference { let layer: RecurrentLayer }
    private struct LinearReference { let linear: Linear }
}
