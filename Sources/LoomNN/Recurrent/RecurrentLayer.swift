/// The shared machinery of ``RNN``, ``LSTM`` and ``GRU``: configuration, PyTorch-named
/// parameters, input/state validation, layer stacking, directions, inter-layer dropout and
/// packed sequences. Each layer and direction runs as one fused op (the fused whole-sequence op).
///
/// Shapes (legend: T time, B batch, I input, H hidden, H_out = projSize or H, D = 2 if
/// bidirectional else 1, L = numLayers):
/// - input (T, B, I), or (B, T, I) with `batchFirst`, or unbatched (T, I);
/// - output (T, B, D·H_out) (batch-first likewise), unbatched (T, D·H_out);
/// - states h (D·L, B, H_out) and c (D·L, B, H) — `batchFirst` never applies to states;
///   unbatched (D·L, H_out).
open class RecurrentLayer: Module {
    public let kind: RecurrentKind
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bias: Bool
    public let batchFirst: Bool
    public let dropout: Double
    public let bidirectional: Bool
    public let projSize: Int

    /// weights[layer][direction], the same tensors as the registered parameters.
    public private(set) var weights: [[RecurrentWeights]] = []

    public var directions: Int { bidirectional ? 2 : 1 }
    public var outputHiddenSize: Int { projSize > 0 ? projSize : hiddenSize }

    init(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool, batchFirst: Bool,
         dropout: Double, bidirectional: Bool, projSize: Int, dtype: DType) {
        precondition(inputSize > 0, "\(kind.name): inputSize must be positive, got \(inputSize)")
        precondition(hiddenSize > 0, "\(kind.name): hiddenSize must be positive, got \(hiddenSize)")
        precondition(numLayers > 0, "\(kind.name): numLayers must be positive, got \(numLayers)")
        precondition(dropout >= 0 && dropout <= 1, "\(kind.name): dropout must be in [0, 1], got \(dropout)")
        precondition(projSize >= 0 && projSize < hiddenSize || projSize == 0,
                     "\(kind.name): projSize must be in 0..<hiddenSize (\(hiddenSize)), got \(projSize)")
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bias = bias
        self.batchFirst = batchFirst
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.projSize = projSize
        super.init()
        // PyTorch's initialization: every weight and bias ~ U(−1/√H, 1/√H).
        let bound = 1 / Double(hiddenSize).squareRoot()
        func u(_ shape: [Int]) -> Tensor { Tensor.uniform(shape, low: -bound, high: bound, dtype: dtype) }
        let G = kind.gateCount * hiddenSize
        for layer in 0..<numLayers {
            var perDirection: [RecurrentWeights] = []
            let layerInput = layer == 0 ? inputSize : outputHiddenSize * directions
            for direction in 0..<directions {
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                let w = RecurrentWeights(wIH: u([G, layerInput]), wHH: u([G, outputHiddenSize]),
                                         bIH: bias ? u([G]) : nil, bHH: bias ? u([G]) : nil,
                                         wHR: projSize > 0 ? u([projSize, hiddenSize]) : nil)
                registerParameter("weight_ih" + suffix, w.wIH)
                registerParameter("weight_hh" + suffix, w.wHH)
                if let b = w.bIH { registerParameter("bias_ih" + suffix, b) }
                if let b = w.bHH { registerParameter("bias_hh" + suffix, b) }
                if let p = w.wHR { registerParameter("weight_hr" + suffix, p) }
                perDirection.append(w)
            }
            weights.append(perDirection)
        }
    }

    open override var typeName: String { kind.name }

    open override var extraDescription: String {
        var s = "\(inputSize), \(hiddenSize)"
        if projSize > 0 { s += ", proj_size=\(projSize)" }
        if numLayers != 1 { s += ", num_layers=\(numLayers)" }
        if case .rnn(let act) = kind, act == .relu { s += ", nonlinearity=relu" }
        if !bias { s += ", bias=False" }
        if batchFirst { s += ", batch_first=True" }
        if dropout != 0 { s += ", dropout=\(dropout)" }
        if bidirectional { s += ", bidirectional=True" }
        return s
    }

    // MARK: Forward

    /// Kind-independent entry for generic code (RNN, LSTM and GRU alike): padded input, optional
    /// initial states; returns the output, h_n and c_n (LSTM only).
    public func forward(_ input: Tensor, h0: Tensor? = nil, c0: Tensor? = nil) -> (output: Tensor, h: Tensor, c: Tensor?) {
        let (o, h, c) = forwardPadded(input, h0: h0, c0: c0)
        return (o, h, c)
    }

    /// Runs a padded input. Returns output, h_n and (LSTM) c_n in PyTorch's shapes.
    func forwardPadded(_ input: Tensor, h0: Tensor?, c0: Tensor?) -> (Tensor, Tensor, Tensor?) {
        precondition(input.rank == 2 || input.rank == 3,
                     "\(kind.name): expected input of 2 (unbatched) or 3 dimensions, got shape \(input.shape)")
        precondition(input.shape.last == inputSize,
                     "\(kind.name): input.size(-1) must be equal to inputSize. Expected \(inputSize), got \(input.shape.last ?? 0) (input shape \(input.shape))")
        let unbatched = input.rank == 2
        // Batch-first rows go into the fused ops as they are (they reorder them internally).
        let rowsBatchFirst = batchFirst && !unbatched
        let x = unbatched ? input.unsqueeze(1) : input
        let T = rowsBatchFirst ? x.shape[1] : x.shape[0], B = rowsBatchFirst ? x.shape[0] : x.shape[1]
        precondition(T > 0, "\(kind.name): the input has no time steps (shape \(input.shape))")
        let (h, c) = initialStates(h0: h0, c0: c0, batch: B, unbatched: unbatched, dtype: input.dtype)
        let outputShape = rowsBatchFirst ? [B, T, directions * outputHiddenSize] : [T, B, directions * outputHiddenSize]
        let (outData, hN, cN) = runStack(x.reshape([T * B, inputSize]), batchSizes: Array(repeating: B, count: T), h0: h, c0: c,
                                         batchFirst: rowsBatchFirst, outputShape: outputShape)
        // Single ops already return the output in this shape (no reshape node).
        let output = outData.shape == outputShape ? outData : outData.reshape(outputShape)
        if unbatched {
            return (output.squeeze(1), hN.squeeze(1), cN?.squeeze(1))
        }
        return (output, hN, cN)
    }

    /// Runs a packed input. States are in the caller's batch order (PyTorch permutes them by
    /// `sortedIndices` in and by `unsortedIndices` out).
    func forwardPacked(_ input: PackedSequence, h0: Tensor?, c0: Tensor?) -> (PackedSequence, Tensor, Tensor?) {
        precondition(input.data.rank == 2 && input.data.shape[1] == inputSize,
                     "\(kind.name): packed data must have shape (N, \(inputSize)), got \(input.data.shape)")
        let B = input.batchSize
        var (h, c) = initialStates(h0: h0, c0: c0, batch: B, unbatched: false, dtype: input.data.dtype)
        if let order = input.sortedIndices {
            h = h?.indexSelect(1, order)
            c = c?.indexSelect(1, order)
        }
        var (outData, hN, cN) = runStack(input.data, batchSizes: input.batchSizes, h0: h, c0: c)
        if let inverse = input.unsortedIndices, input.sortedIndices != nil {
            hN = hN.indexSelect(1, inverse)
            cN = cN?.indexSelect(1, inverse)
        }
        return (input.with(data: outData), hN, cN)
    }

    /// The given initial states, checked and with a batch axis; nil where not given (zeros).
    private func initialStates(h0: Tensor?, c0: Tensor?, batch B: Int, unbatched: Bool, dtype: DType) -> (Tensor?, Tensor?) {
        let layersTimesDirections = numLayers * directions
        func check(_ t: Tensor, _ name: String, _ size: Int) -> Tensor {
            let expected = unbatched ? [layersTimesDirections, size] : [layersTimesDirections, B, size]
            precondition(t.shape == expected,
                         "\(kind.name): expected \(name) of shape \(expected), got \(t.shape)")
            return unbatched ? t.unsqueeze(1) : t
        }
        let h = h0.map { check($0, "hidden state h0", outputHiddenSize) }
        guard kind == .lstm else {
            precondition(c0 == nil, "\(kind.name) has no cell state")
            return (h, nil)
        }
        return (h, c0.map { check($0, "cell state c0", hiddenSize) })
    }

    /// All layers and directions over a packed stream: data (N, I) → (N, D·H_out), h_n, c_n.
    /// With `batchFirst` (padded streams only) data and output rows are in batch-first order.
    /// `outputShape` (padded streams): the shape the caller wants the output in; where one op
    /// runs the whole stack its output comes in that shape directly (else it is (N, D·H_out)).
    private func runStack(_ data: Tensor, batchSizes: [Int], h0: Tensor?, c0: Tensor?,
                          batchFirst: Bool = false, outputShape: [Int]? = nil) -> (Tensor, Tensor, Tensor?) {
        var layerInput = data
        var hs: [Tensor] = [], cs: [Tensor] = []
        // Each layer and direction's initial state: a window of h0/c0 (one op, no copies), or
        // without given states one zero state that every layer reads (the fused op never writes it).
        let count = numLayers * directions, B = batchSizes.first ?? 0
        func perLayer(_ given: Tensor?, width: Int) -> [Tensor] {
            guard let given else {
                return Array(repeating: Tensor.zeros([B, width], dtype: data.dtype), count: count)
            }
            return given.reshape([-1]).windows(Array(repeating: Array(given.shape.dropFirst()), count: count))
        }
        let h0s = perLayer(h0, width: outputHiddenSize)
        let c0s = kind == .lstm ? perLayer(c0, width: hiddenSize) : nil
        if directions == 1 && numLayers > 1 && !(dropout > 0 && training) {
            // Stacked unidirectional layers without dropout between them: one op for the stack.
            return FusedRecurrence.runLayers(kind, data: data, batchSizes: batchSizes, h0: h0s, c0: c0s,
                                             weights: weights.map { $0[0] }, batchFirstInput: batchFirst,
                                             batchFirstOutput: batchFirst, zeroInitialState: h0 == nil,
                                             outputShape: outputShape)
        }
        if count == 1 {
            // One layer, one direction: the op returns h_n and c_n with their leading axis.
            return FusedRecurrence.run(kind, data: data, batchSizes: batchSizes, reverse: false, h0: h0s[0], c0: c0s?[0],
                                       weights: weights[0][0], batchFirstInput: batchFirst, batchFirstOutput: batchFirst,
                                       zeroInitialState: h0 == nil, outputShape: outputShape, stateAxis: true)
        }
        for layer in 0..<numLayers {
            var outs: [Tensor] = []
            for direction in 0..<directions {
                let k = layer * directions + direction
                let r = FusedRecurrence.run(kind, data: layerInput, batchSizes: batchSizes, reverse: direction == 1,
                                            h0: h0s[k], c0: c0s?[k], weights: weights[layer][direction],
                                            batchFirstInput: batchFirst && layer == 0,
                                            batchFirstOutput: batchFirst && layer == numLayers - 1,
                                            zeroInitialState: h0 == nil)
                outs.append(r.output)
                hs.append(r.h)
                if let c = r.c { cs.append(c) }
            }
            layerInput = outs.count == 1 ? outs[0] : Tensor.cat(outs, dim: 1)
            if dropout > 0 && training && layer < numLayers - 1 {
                layerInput = RecurrentLayer.dropoutMask(layerInput, p: dropout)
            }
        }
        return (layerInput, Tensor.stack(hs), cs.isEmpty ? nil : Tensor.stack(cs))
    }

    /// Inverted dropout with the global generator (seed it with `manualSeed`).
    static func dropoutMask(_ x: Tensor, p: Double) -> Tensor {
        if p >= 1 { return x * 0 }
        let keep = Tensor.rand(x.shape, dtype: x.dtype).ge(p) / (1 - p)
        return x * keep
    }
}
