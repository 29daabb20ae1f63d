/// Single-step cells, like `torch.nn.LSTMCell`/`GRUCell`/`RNNCell`: one time step with an
/// explicit state. Input (B, I) or unbatched (I); states (B, H) or (H). Parameters
/// `weight_ih` (G·H, I), `weight_hh` (G·H, H), `bias_ih`, `bias_hh` (G·H), initialized
/// U(−1/√H, 1/√H). The math is ``CellMath`` (composed ops).
open class RecurrentCell: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    public let weights: RecurrentWeights
    let kind: RecurrentKind

    init(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, bias: Bool, dtype: DType) {
        precondition(inputSize > 0 && hiddenSize > 0,
                     "\(kind.name)Cell: sizes must be positive, got inputSize=\(inputSize), hiddenSize=\(hiddenSize)")
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let bound = 1 / Double(hiddenSize).squareRoot()
        func u(_ shape: [Int]) -> Tensor { Tensor.uniform(shape, low: -bound, high: bound, dtype: dtype) }
        let G = kind.gateCount * hiddenSize
        weights = RecurrentWeights(wIH: u([G, inputSize]), wHH: u([G, hiddenSize]),
                                   bIH: bias ? u([G]) : nil, bHH: bias ? u([G]) : nil)
        super.init()
        registerParameter("weight_ih", weights.wIH)
        registerParameter("weight_hh", weights.wHH)
        if let b = weights.bIH { registerParameter("bias_ih", b) }
        if let b = weights.bHH { registerParameter("bias_hh", b) }
    }

    open override var typeName: String { kind.name + "Cell" }
    open override var extraDescription: String {
        var s = "\(inputSize), \(hiddenSize)"
        if weights.bIH == nil { s += ", bias=False" }
        if case .rnn(let act) = kind, act == .relu { s += ", nonlinearity=relu" }
        return s
    }

    /// Validates input and state; returns batched versions and whether to squeeze back.
    func prepare(_ input: Tensor, _ state: Tensor?, name: String = "hx") -> (Tensor, Tensor, Bool) {
        precondition(input.rank == 1 || input.rank == 2,
                     "\(typeName): expected input of 1 (unbatched) or 2 dimensions, got shape \(input.shape)")
        precondition(input.shape.last == inputSize,
                     "\(typeName): input has inconsistent input size: got \(input.shape.last ?? 0), expected \(inputSize)")
        let unbatched = input.rank == 1
        let x = unbatched ? input.unsqueeze(0) : input
        let B = x.shape[0]
        let expected = unbatched ? [hiddenSize] : [B, hiddenSize]
        if let state {
            precondition(state.shape == expected, "\(typeName): expected \(name) of shape \(expected), got \(state.shape)")
        }
        let h = state.map { unbatched ? $0.unsqueeze(0) : $0 } ?? Tensor.zeros([B, hiddenSize], dtype: input.dtype)
        return (x, h, unbatched)
    }
}

public final class LSTMCell: RecurrentCell {
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, dtype: DType = .float32) {
        super.init(kind: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, dtype: dtype)
    }

    /// One step; `state` defaults to zeros. Returns (h′, c′).
    public func callAsFunction(_ input: Tensor, state: LSTMState? = nil) -> LSTMState {
        let (x, h, unbatched) = prepare(input, state?.h, name: "h")
        let (_, c, _) = prepare(input, state?.c, name: "c")
        let r = CellMath.lstm(x, h: h, c: c, weights)
        return unbatched ? LSTMState(h: r.h.squeeze(0), c: r.c.squeeze(0)) : LSTMState(h: r.h, c: r.c)
    }
}

public final class GRUCell: RecurrentCell {
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, dtype: DType = .float32) {
        super.init(kind: .gru, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, dtype: dtype)
    }

    /// One step; `state` defaults to zeros. Returns h′.
    public func callAsFunction(_ input: Tensor, state: Tensor? = nil) -> Tensor {
        let (x, h, unbatched) = prepare(input, state)
        let r = CellMath.gru(x, h: h, weights)
        return unbatched ? r.squeeze(0) : r
    }
}

public final class RNNCell: RecurrentCell {
    public let nonlinearity: Nonlinearity

    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, nonlinearity: Nonlinearity = .tanh, dtype: DType = .float32) {
        self.nonlinearity = nonlinearity
        super.init(kind: .rnn(nonlinearity), inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, dtype: dtype)
    }

    /// One step; `state` defaults to zeros. Returns h′.
    public func callAsFunction(_ input: Tensor, state: Tensor? = nil) -> Tensor {
        let (x, h, unbatched) = prepare(input, state)
        let r = CellMath.rnn(x, h: h, weights, nonlinearity: nonlinearity)
        return unbatched ? r.squeeze(0) : r
    }
}
