extension FusedRecurrence {
    /// Several unidirectional layers as one autograd op: layer l's output rows feed layer l + 1
    /// inside the op, every layer's final states are written straight into one result
    /// [output (N, H_out) | h_n (L, B, H_out) | c_n (L, B, H)] (no stacking), and backward hands
    /// each layer's input gradient to the layer below without graph nodes in between.
    /// `h0`/`c0` hold one (B, H_out)/(B, H) state per layer; the other arguments are as in `run`.
    static func runLayers(_ kind: RecurrentKind, data: Tensor, batchSizes: [Int], h0: [Tensor], c0: [Tensor]?,
                          weights: [RecurrentWeights], batchFirstInput: Bool = false, batchFirstOutput: Bool = false,
                          zeroInitialState: Bool = false, outputShape: [Int]? = nil) -> (output: Tensor, h: Tensor, c: Tensor?) {
        let L = weights.count
        precondition(L > 0 && h0.count == L && (kind != .lstm || c0?.count == L),
                     "\(kind.name): expected \(L) initial states per kind of state, got \(h0.count) and \(c0?.count ?? 0)")
        let H = weights[0].wHH.shape[0] / kind.gateCount
        let hOut = weights[0].wHR?.shape[0] ?? H
        let B = batchSizes.first ?? 0
        let N = data.shape[0]
        for l in 0..<L { checkStates(kind, h0: h0[l], c0: c0?[l], B: B, H: H, hOut: hOut, layer: l) }
        // Inputs in the order the backward closure returns their gradients (arrays sized up front:
        // a small model's step is short enough for reallocations to show).
        var inputs: [Tensor?] = []
        inputs.reserveCapacity(1 + 2 * L + 5 * L)
        inputs.append(data)
        for t in h0 { inputs.append(t) }
        if kind == .lstm { for t in c0! { inputs.append(t) } }
        for w in weights {
            inputs.append(w.wIH); inputs.append(w.wHH); inputs.append(w.bIH); inputs.append(w.bHH); inputs.append(w.wHR)
        }
        let (present, needsGrad) = recordedInputs(kind, inputs)
        let dt = data.dtype
        let hSize = L * B * hOut, cSize = kind == .lstm ? L * B * H : 0
        let flat = Tensor(uninitialized: [N * hOut + hSize + cSize], dtype: dt)
        func rows(_ l: Int) -> BatchFirstRows? {
            BatchFirstRows(batchSizes: batchSizes, input: batchFirstInput && l == 0, output: batchFirstOutput && l == L - 1)
        }
        // Forward, layer by layer: below the top, each layer's output rows go to their own buffer,
        // which the next layer reads as its input (outside the graph).
        // Optional so that each layer's saved state can go as soon as its backward has run.
        var saved: [Saved?] = [], layerInputs: [Tensor] = []
        saved.reserveCapacity(L)
        layerInputs.reserveCapacity(L)
        func forward<T: TensorScalar>(_: T.Type) {
            let base = flat.storage.pointer(T.self)
            var input = data
            for l in 0..<L {
                let output = l == L - 1 ? flat : Tensor(uninitialized: [N, hOut], dtype: dt)
                let destination = Destination<T>(output: output, h: base + N * hOut + l * B * hOut,
                                                 c: kind == .lstm ? base + N * hOut + hSize + l * B * H : nil)
                let s = forwardPass(T.self, kind, input, batchSizes, false, h0[l], c0?[l], weights[l], H: H, hOut: hOut,
                                    save: needsGrad, batchFirst: rows(l), zeroH0: zeroInitialState, into: destination)
                saved.append(needsGrad ? s : nil)    // without a backward, each layer's scratch goes right away
                if needsGrad { layerInputs.append(input) }
                input = output
            }
        }
        if dt == .float32 { forward(Float.self) } else { forward(Double.self) }
        let recorded = Tensor.record("\(kind.name)Backward", flat, inputs: present) { g in
            func backward<T: TensorScalar>(_: T.Type) -> [Tensor?] {
                let pg = g.storage.pointer(T.self)
                // Gradients in the order of `inputs`: data, h0 of each layer, c0 of each layer, then
                // the five weights of each layer.
                let hAt = 1, cAt = 1 + L, wAt = kind == .lstm ? 1 + 2 * L : 1 + L
                var all = [Tensor?](repeating: nil, count: wAt + 5 * L)
                // The top layer's output gradient is the op's; below, the input gradient of the layer above.
                var fromAbove: Tensor? = nil
                for l in (0..<L).reversed() {
                    let r = withExtendedLifetime(fromAbove) { () -> [Tensor?] in
                        let incoming = Gradients<T>(output: fromAbove?.storage.pointer(T.self) ?? pg, h: pg + N * hOut + l * B * hOut,
                                                    c: kind == .lstm ? pg + N * hOut + hSize + l * B * H : nil)
                        return backwardPass(T.self, kind, incoming, saved[l]!, layerInputs[l], batchSizes, weights[l],
                                            H: H, hOut: hOut, B: B, h0: h0[l], c0: c0?[l], zeroH0: zeroInitialState,
                                            needInputGrad: l > 0 || data.requiresGrad, batchFirst: rows(l))
                    }
                    all[hAt + l] = r[1]
                    if kind == .lstm { all[cAt + l] = r[2] }
                    for k in 0..<5 { all[wAt + 5 * l + k] = r[3 + k] }
                    // Unless the graph is kept for another backward, this layer's saved state (gates,
                    // cells: the bulk of the memory) is not needed while the layers below run.
                    if !GradMode.isRetainingGraph { saved[l] = nil }
                    if l > 0 { fromAbove = r[0] } else { all[0] = r[0] }
                }
                return all
            }
            return gradients(dt == .float32 ? backward(Float.self) : backward(Double.self), for: inputs)
        }
        precondition(outputShape.map { $0.reduce(1, *) == N * hOut } ?? true,
                     "\(kind.name): output shape \(outputShape ?? []) does not hold \(N) × \(hOut) elements")
        var shapes = [outputShape ?? [N, hOut], [L, B, hOut]]
        if kind == .lstm { shapes.append([L, B, H]) }
        let pieces = recorded.windows(shapes)
        return (pieces[0], pieces[1], kind == .lstm ? pieces[2] : nil)
    }
}
