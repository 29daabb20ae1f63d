import CLoomKernels

/// One recurrent layer in one direction over a packed stream, as a single autograd op.
///
/// Forward: one GEMM projects every time step's input (`X·W_ihᵀ + biases`); then per step one
/// GEMM `h·W_hhᵀ` into the gate block and one fused point-wise kernel. Backward through time is
/// written by hand the same way, and the weight gradients are single GEMMs over all steps.
///
/// The stream layout is PyTorch's packed one: step t holds rows `offset[t] ..< offset[t] + n[t]`
/// of `data`, `n[t] = batchSizes[t]` non-increasing, so the active batch entries at each step are
/// a prefix. A padded (T, B, I) input is the special case n[t] = B. Entries that have ended keep
/// their state (that is their h_n); in reverse time an entry starts from h0 at its own last step.
enum FusedRecurrence {
    /// Shapes: data (N, I), h0 (B, H_out), c0 (B, H) for LSTM; B = batchSizes[0].
    /// Returns output (N, H_out), h_n (B, H_out) and c_n (B, H) for LSTM.
    static func run(_ kind: RecurrentKind, data: Tensor, batchSizes: [Int], reverse: Bool,
                    h0: Tensor, c0: Tensor?, weights w: RecurrentWeights) -> (output: Tensor, h: Tensor, c: Tensor?) {
        let H = w.wHH.shape[0] / kind.gateCount
        let hOut = w.wHR?.shape[0] ?? H
        let B = batchSizes.first ?? 0
        let N = data.shape[0]
        precondition(h0.shape == [B, hOut], "\(kind.name): initial hidden state must have shape \([B, hOut]), got \(h0.shape)")
        if kind == .lstm { precondition(c0?.shape == [B, H], "LSTM: initial cell state must have shape \([B, H]), got \(c0?.shape ?? [])") }
        let inputs: [Tensor?] = [data, h0, c0] + w.tensors
        let present = inputs.compactMap { $0 }
        let needsGrad = GradMode.isEnabled && present.contains { $0.requiresGrad }
        let dt = data.dtype
        for t in present {
            precondition(t.dtype == dt, "\(kind.name): all inputs and weights must have the same dtype; data is \(dt), found \(t.dtype)")
        }
        // One flat result [output | h_n | c_n] so that a single node carries the whole op; the
        // forward pass writes straight into its three windows.
        var shapes = [[N, hOut], [B, hOut]]
        if kind == .lstm { shapes.append([B, H]) }
        let flat = Tensor(uninitialized: [shapes.reduce(0) { $0 + $1.reduce(1, *) }], dtype: dt)
        let parts = flat.detach().windows(shapes)
        let forward = dt == .float32
            ? forwardPass(Float.self, kind, data, batchSizes, reverse, h0, c0, w, H: H, hOut: hOut, save: needsGrad, into: parts)
            : forwardPass(Double.self, kind, data, batchSizes, reverse, h0, c0, w, H: H, hOut: hOut, save: needsGrad, into: parts)
        let recorded = Tensor.record("\(kind.name)Backward", flat, inputs: present) { g in
            let grads = dt == .float32
                ? backwardPass(Float.self, kind, g, forward, data, batchSizes, reverse, w, H: H, hOut: hOut, B: B)
                : backwardPass(Double.self, kind, g, forward, data, batchSizes, reverse, w, H: H, hOut: hOut, B: B)
            var out: [Tensor?] = []
            for (input, grad) in zip(inputs, grads) where input != nil { out.append(input!.requiresGrad ? grad : nil) }
            return out
        }
        guard recorded.gradFn != nil else { return (forward.output, forward.h, forward.c) }
        let pieces = recorded.windows(shapes)
        return (pieces[0], pieces[1], kind == .lstm ? pieces[2] : nil)
    }

    /// What the forward pass keeps for the backward pass.
    struct Saved {
        var output: Tensor        // (N, H_out)
        var h: Tensor             // (B, H_out) final
        var c: Tensor?            // (B, H) final (LSTM)
        var gates: Tensor?        // (N, G·H) activations
        var hPrev: Tensor?        // (N, H_out) state entering each step
        var cPrev: Tensor?        // (N, H) LSTM
        var tanhC: Tensor?        // (N, H) LSTM
        var m: Tensor?            // (N, H) LSTM with projection: o·tanh(c)
        var hg: Tensor?           // (N, 3H) GRU: h·W_hhᵀ + b_hh
    }

    static func stepOrder(_ T: Int, reverse: Bool) -> [Int] { reverse ? Array((0..<T).reversed()) : Array(0..<T) }

    static func offsets(_ batchSizes: [Int]) -> [Int] {
        var o = [Int](repeating: 0, count: batchSizes.count)
        var acc = 0
        for (t, n) in batchSizes.enumerated() { o[t] = acc; acc += n }
        return o
    }

    private static func forwardPass<T: TensorScalar>(_: T.Type, _ kind: RecurrentKind, _ data: Tensor, _ batchSizes: [Int],
                                                     _ reverse: Bool, _ h0: Tensor, _ c0: Tensor?, _ w: RecurrentWeights,
                                                     H: Int, hOut: Int, save: Bool, into parts: [Tensor]) -> Saved {
        let N = data.shape[0], I = data.shape[1], B = batchSizes.first ?? 0
        let G = kind.gateCount * H
        let dt = data.dtype
        let p = { (t: Tensor) in t.storage.pointer(T.self) }
        // Input projection of all steps, with the biases that add straight in.
        let xproj = Tensor(uninitialized: [N, G], dtype: dt)
        BLAS.gemm(T.self, transA: false, transB: true, m: N, n: G, k: I, a: p(data), lda: I, b: p(w.wIH), ldb: I,
                  c: p(xproj), ldc: G)
        addRowBiases(T.self, p(xproj), rows: N, cols: G, w.bIH, kind != .gru ? w.bHH : nil)

        // parts: windows of the op's flat result, (N, H_out), (B, H_out) and (B, H) for LSTM.
        let output = parts[0], h = parts[1]
        p(h).update(from: p(h0), count: B * hOut)
        let c: Tensor? = kind == .lstm ? parts[2] : nil
        if let c, let c0 { p(c).update(from: p(c0), count: B * H) }
        let hPrev = save ? Tensor(uninitialized: [N, hOut], dtype: dt) : nil
        let cPrev = kind == .lstm ? Tensor(uninitialized: [save ? N : B, H], dtype: dt) : nil
        let tanhC = kind == .lstm ? Tensor(uninitialized: [save ? N : B, H], dtype: dt) : nil
        let m = kind == .lstm && w.wHR != nil ? Tensor(uninitialized: [save ? N : B, H], dtype: dt) : nil
        let hg = kind == .gru ? Tensor(uninitialized: [save ? N : B, G], dtype: dt) : nil
        let offs = offsets(batchSizes)
        let ph = p(h), po = p(output), px = p(xproj)
        // The per-step product h·W_hhᵀ. For small products OpenBLAS has direct (unpacked)
        // kernels, but only for some layouts: a row-major X·Wᵀ maps to its "TN" case, which it
        // refuses when the output has more than 1200 elements, and then packs both operands on
        // every step. So small products use a transposed copy of W_hh, (H_out, G), made once per
        // call, and run as a plain X·Wt ("NN"), which the direct kernels take. With batch 1 the
        // product is a matrix-vector one (BLAS.gemm runs GEMV) and needs no copy.
        let smallProduct = B > 1 && B * G * hOut <= 1_000_000
        let wHHt = smallProduct ? w.wHH.detach().t() : nil
        func recurrentProduct(n: Int, beta: T, c: UnsafeMutablePointer<T>) {
            if let wHHt {
                BLAS.gemm(T.self, transA: false, transB: false, m: n, n: G, k: hOut, a: ph, lda: hOut, b: p(wHHt), ldb: G,
                          beta: beta, c: c, ldc: G)
            } else {
                BLAS.gemm(T.self, transA: false, transB: true, m: n, n: G, k: hOut, a: ph, lda: hOut, b: p(w.wHH), ldb: hOut,
                          beta: beta, c: c, ldc: G)
            }
        }
        for t in stepOrder(batchSizes.count, reverse: reverse) {
            let n = batchSizes[t], off = offs[t]
            if n == 0 { continue }
            if let hPrev { (p(hPrev) + off * hOut).update(from: ph, count: n * hOut) }
            let gates = px + off * G
            let scratchRow = save ? off : 0
            switch kind {
            case .lstm:
                // The kernel reads c_{t-1} from a separate buffer (no aliasing, so it vectorizes).
                let pc = p(c!)
                let pcPrev = p(cPrev!) + scratchRow * H
                pcPrev.update(from: pc, count: n * H)
                recurrentProduct(n: n, beta: 1, c: gates)
                let tc = p(tanhC!) + scratchRow * H
                if let m, let wHR = w.wHR {
                    let pm = p(m) + scratchRow * H
                    StepKernels.lstmStep(gates, cprev: pcPrev, ldcprev: H, c: pc, ldc: H, tc: tc, m: pm, ldm: H, n: n, H: H)
                    BLAS.gemm(T.self, transA: false, transB: true, m: n, n: hOut, k: H, a: pm, lda: H, b: p(wHR), ldb: H,
                              c: po + off * hOut, ldc: hOut)
                } else {
                    StepKernels.lstmStep(gates, cprev: pcPrev, ldcprev: H, c: pc, ldc: H, tc: tc, m: po + off * hOut, ldm: hOut, n: n, H: H)
                }
            case .gru:
                let phg = p(hg!) + scratchRow * G
                if let bHH = w.bHH {
                    let pb = p(bHH)
                    for r in 0..<n { (phg + r * G).update(from: pb, count: G) }
                }
                recurrentProduct(n: n, beta: w.bHH == nil ? 0 : 1, c: phg)
                StepKernels.gruStep(gates, hg: phg, hprev: ph, ldhprev: hOut, h: po + off * hOut, ldh: hOut, n: n, H: H)
            case .rnn(let act):
                recurrentProduct(n: n, beta: 1, c: gates)
                StepKernels.rnnStep(gates, ld: G, n: n, H: H, relu: act == .relu)
                (po + off * hOut).update(from: gates, count: n * hOut)
            }
            ph.update(from: po + off * hOut, count: n * hOut)
        }
        return Saved(output: output, h: h, c: c, gates: save ? xproj : nil, hPrev: hPrev, cPrev: save ? cPrev : nil,
                     tanhC: save ? tanhC : nil, m: save ? m : nil, hg: save ? hg : nil)
    }

    /// x[r, :] += first, then += second (either may be absent).
    private static func addRowBiases<T: TensorScalar>(_: T.Type, _ x: UnsafeMutablePointer<T>, rows: Int, cols: Int,
                                                      _ first: Tensor?, _ second: Tensor?) {
        if T.self == Float.self, let b1 = first ?? second {
            loom_add_row_bias_f32(UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self), rows, cols,
                                  b1.storage.pointer(Float.self), first == nil ? nil : second?.storage.pointer(Float.self))
            return
        }
        addRowBias(T.self, x, rows: rows, cols: cols, first)
        addRowBias(T.self, x, rows: rows, cols: cols, second)
    }

    private static func addRowBias<T: TensorScalar>(_: T.Type, _ x: UnsafeMutablePointer<T>, rows: Int, cols: Int, _ bias: Tensor?) {
        guard let bias else { return }
        let b = bias.storage.pointer(T.self)
        for r in 0..<rows {
            let row = x + r * cols
            for j in 0..<cols { row[j] += b[j] }
        }
    }

    private static func columnSums<T: TensorScalar>(_: T.Type, _ x: Tensor) -> Tensor {
        let rows = x.shape[0], cols = x.shape[1]
        let out = Tensor(zeros: [cols], dtype: x.dtype)
        if T.self == Float.self {
            loom_column_sums_f32(x.storage.pointer(Float.self), rows, cols, out.storage.pointer(Float.self))
            return out
        }
        let px = x.storage.pointer(T.self), po = out.storage.pointer(T.self)
        for r in 0..<rows {
            let row = px + r * cols
            for j in 0..<cols { po[j] += row[j] }
        }
        return out
    }

    /// Returns gradients for [data, h0, c0, wIH, wHH, bIH, bHH, wHR] (nil where absent).
    private static func backwardPass<T: TensorScalar>(_: T.Type, _ kind: RecurrentKind, _ g: Tensor, _ s: Saved, _ data: Tensor,
                                                      _ batchSizes: [Int], _ reverse: Bool, _ w: RecurrentWeights,
                                                      H: Int, hOut: Int, B: Int) -> [Tensor?] {
        let N = data.shape[0], I = data.shape[1]
        let G = kind.gateCount * H
        let dt = data.dtype
        let p = { (t: Tensor) in t.storage.pointer(T.self) }
        let pg = p(g)
        let dOut = pg                               // (N, H_out)
        let dh = Tensor(zeros: [B, hOut], dtype: dt)
        p(dh).update(from: pg + N * hOut, count: B * hOut)
        var dc: Tensor? = nil
        if kind == .lstm {
            dc = Tensor(zeros: [B, H], dtype: dt)
            p(dc!).update(from: pg + N * hOut + B * hOut, count: B * H)
        }
        let dZ = Tensor(uninitialized: [N, G], dtype: dt)        // input-side pre-activation gradients
        let dHG = kind == .gru ? Tensor(uninitialized: [N, G], dtype: dt) : nil
        let dHtot = w.wHR != nil ? Tensor(uninitialized: [N, hOut], dtype: dt) : nil
        let dm = w.wHR != nil ? Tensor(zeros: [B, H], dtype: dt) : nil
        let scratch = Tensor(zeros: [B, hOut], dtype: dt)
        let offs = offsets(batchSizes)
        let pdh = p(dh), pdz = p(dZ), pwhh = p(w.wHH), gates = p(s.gates!)
        for t in stepOrder(batchSizes.count, reverse: reverse).reversed() {
            let n = batchSizes[t], off = offs[t]
            if n == 0 { continue }
            let dOutT = dOut + off * hOut
            for i in 0..<(n * hOut) { pdh[i] += dOutT[i] }
            switch kind {
            case .lstm:
                var dmPtr = pdh, ldm = hOut
                if let dm, let wHR = w.wHR {
                    (p(dHtot!) + off * hOut).update(from: pdh, count: n * hOut)
                    BLAS.gemm(T.self, transA: false, transB: false, m: n, n: H, k: hOut, a: pdh, lda: hOut, b: p(wHR), ldb: H,
                              c: p(dm), ldc: H)
                    dmPtr = p(dm); ldm = H
                }
                StepKernels.lstmStepBackward(gates + off * G, cprev: p(s.cPrev!) + off * H, ldcprev: H, tc: p(s.tanhC!) + off * H,
                                             dm: dmPtr, ldm: ldm, dc: p(dc!), lddc: H, dz: pdz + off * G, n: n, H: H)
                BLAS.gemm(T.self, transA: false, transB: false, m: n, n: hOut, k: G, a: pdz + off * G, lda: G, b: pwhh, ldb: hOut,
                          c: pdh, ldc: hOut)
            case .gru:
                let ps = p(scratch)
                ps.update(from: pdh, count: n * hOut)
                pdh.update(repeating: 0, count: n * hOut)
                let pdhg = p(dHG!) + off * G
                StepKernels.gruStepBackward(gates + off * G, hg: p(s.hg!) + off * G, hprev: p(s.hPrev!) + off * hOut, ldhprev: hOut,
                                            dh: ps, lddh: hOut, dxg: pdz + off * G, dhg: pdhg, dhprev: pdh, lddhprev: hOut, n: n, H: H)
                BLAS.gemm(T.self, transA: false, transB: false, m: n, n: hOut, k: G, a: pdhg, lda: G, b: pwhh, ldb: hOut,
                          beta: 1, c: pdh, ldc: hOut)
            case .rnn(let act):
                StepKernels.rnnStepBackward(p(s.output) + off * hOut, ldh: hOut, dh: pdh, lddh: hOut, dz: pdz + off * G,
                                            n: n, H: H, relu: act == .relu)
                BLAS.gemm(T.self, transA: false, transB: false, m: n, n: hOut, k: G, a: pdz + off * G, lda: G, b: pwhh, ldb: hOut,
                          c: pdh, ldc: hOut)
            }
        }
        // Weight gradients: one GEMM each over all steps.
        let dHidden = dHG ?? dZ
        let dWih = Tensor(uninitialized: w.wIH.shape, dtype: dt)
        BLAS.gemm(T.self, transA: true, transB: false, m: G, n: I, k: N, a: pdz, lda: G, b: p(data), ldb: I, c: p(dWih), ldc: I)
        let dWhh = Tensor(uninitialized: w.wHH.shape, dtype: dt)
        BLAS.gemm(T.self, transA: true, transB: false, m: G, n: hOut, k: N, a: p(dHidden), lda: G, b: p(s.hPrev!), ldb: hOut,
                  c: p(dWhh), ldc: hOut)
        var dX: Tensor? = nil
        if data.requiresGrad {
            let d = Tensor(uninitialized: data.shape, dtype: dt)
            BLAS.gemm(T.self, transA: false, transB: false, m: N, n: I, k: G, a: pdz, lda: G, b: p(w.wIH), ldb: I, c: p(d), ldc: I)
            dX = d
        }
        let dbIH = w.bIH == nil ? nil : columnSums(T.self, dZ)
        let dbHH = w.bHH == nil ? nil : (dHG == nil ? dbIH : columnSums(T.self, dHidden))
        var dWhr: Tensor? = nil
        if let wHR = w.wHR {
            dWhr = Tensor(zeros: wHR.shape, dtype: dt)
            BLAS.gemm(T.self, transA: true, transB: false, m: hOut, n: H, k: N, a: p(dHtot!), lda: hOut, b: p(s.m!), ldb: H,
                      c: p(dWhr!), ldc: H)
        }
        return [dX, dh, dc, dWih, dWhh, dbIH, dbHH.map { $0 === dbIH ? $0.clone() : $0 }, dWhr]
    }
}
