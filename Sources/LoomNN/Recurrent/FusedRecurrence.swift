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
///
/// A padded batch-first input or output (rows in (b, t) order instead of (t, b)) is reordered
/// inside the op: a row copy costs far less than the transpose ops and gathers around it would.
enum FusedRecurrence {
    /// Shapes: data (N, I), h0 (B, H_out), c0 (B, H) for LSTM; B = batchSizes[0].
    /// Returns output (N, H_out), h_n (B, H_out) and c_n (B, H) for LSTM. With `batchFirstInput`
    /// (`batchFirstOutput`) the rows of data (output) are in batch-first order; both need a padded
    /// stream (every batch size equal). `zeroInitialState` says that h0 is all zeros (no state was
    /// given): the first step's recurrent product, and its rows of the W_hh gradient, are then
    /// skipped — they add only zeros.
    static func run(_ kind: RecurrentKind, data: Tensor, batchSizes: [Int], reverse: Bool,
                    h0: Tensor, c0: Tensor?, weights w: RecurrentWeights,
                    batchFirstInput: Bool = false, batchFirstOutput: Bool = false,
                    zeroInitialState: Bool = false) -> (output: Tensor, h: Tensor, c: Tensor?) {
        let H = w.wHH.shape[0] / kind.gateCount
        let hOut = w.wHR?.shape[0] ?? H
        let B = batchSizes.first ?? 0
        let N = data.shape[0]
        // (Shapes compared element-wise: an array literal per check would be allocated on every call.)
        func isMatrix(_ t: Tensor?, _ rows: Int, _ cols: Int) -> Bool {
            guard let t else { return false }
            return t.rank == 2 && t.shape[0] == rows && t.shape[1] == cols
        }
        precondition(isMatrix(h0, B, hOut), "\(kind.name): initial hidden state must have shape \([B, hOut]), got \(h0.shape)")
        if kind == .lstm { precondition(isMatrix(c0, B, H), "LSTM: initial cell state must have shape \([B, H]), got \(c0?.shape ?? [])") }
        let batchFirst = BatchFirstRows(batchSizes: batchSizes, input: batchFirstInput, output: batchFirstOutput)
        let inputs: [Tensor?] = [data, h0, c0, w.wIH, w.wHH, w.bIH, w.bHH, w.wHR]     // the order of backwardPass's result
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
        func forward<T: TensorScalar>(_: T.Type) -> Saved {
            let ph = flat.storage.pointer(T.self) + N * hOut
            return forwardPass(T.self, kind, data, batchSizes, reverse, h0, c0, w, H: H, hOut: hOut, save: needsGrad,
                               batchFirst: batchFirst, zeroH0: zeroInitialState,
                               into: Destination(output: flat, h: ph, c: kind == .lstm ? ph + B * hOut : nil))
        }
        let saved = dt == .float32 ? forward(Float.self) : forward(Double.self)
        let recorded = Tensor.record("\(kind.name)Backward", flat, inputs: present) { g in
            func backward<T: TensorScalar>(_: T.Type) -> [Tensor?] {
                let pg = g.storage.pointer(T.self)
                return backwardPass(T.self, kind, Gradients(output: pg, h: pg + N * hOut, c: kind == .lstm ? pg + N * hOut + B * hOut : nil),
                                    saved, data, batchSizes, reverse, w, H: H, hOut: hOut, B: B, h0: h0, c0: c0,
                                    zeroH0: zeroInitialState, needInputGrad: data.requiresGrad, batchFirst: batchFirst)
            }
            let grads = dt == .float32 ? backward(Float.self) : backward(Double.self)
            var out: [Tensor?] = []
            for (input, grad) in zip(inputs, grads) where input != nil { out.append(input!.requiresGrad ? grad : nil) }
            return out
        }
        // Without a node (no gradient needed), the windows are plain views of the flat result.
        let pieces = recorded.windows(shapes)
        return (pieces[0], pieces[1], kind == .lstm ? pieces[2] : nil)
    }

    /// Several unidirectional layers as one autograd op: layer l's output rows feed layer l + 1
    /// inside the op, every layer's final states are written straight into one result
    /// [output (N, H_out) | h_n (L, B, H_out) | c_n (L, B, H)] (no stacking), and backward hands
    /// each layer's input gradient to the layer below without graph nodes in between.
    /// `h0`/`c0` hold one (B, H_out)/(B, H) state per layer; the other arguments are as in `run`.
    static func runLayers(_ kind: RecurrentKind, data: Tensor, batchSizes: [Int], h0: [Tensor], c0: [Tensor]?,
                          weights: [RecurrentWeights], batchFirstInput: Bool = false, batchFirstOutput: Bool = false,
                          zeroInitialState: Bool = false) -> (output: Tensor, h: Tensor, c: Tensor?) {
        let L = weights.count
        precondition(L > 0 && h0.count == L && (kind != .lstm || c0?.count == L),
                     "\(kind.name): expected \(L) initial states per kind of state, got \(h0.count) and \(c0?.count ?? 0)")
        let H = weights[0].wHH.shape[0] / kind.gateCount
        let hOut = weights[0].wHR?.shape[0] ?? H
        let B = batchSizes.first ?? 0
        let N = data.shape[0]
        for l in 0..<L {
            precondition(h0[l].rank == 2 && h0[l].shape[0] == B && h0[l].shape[1] == hOut,
                         "\(kind.name): initial hidden state of layer \(l) must have shape \([B, hOut]), got \(h0[l].shape)")
            if kind == .lstm {
                precondition(c0![l].rank == 2 && c0![l].shape[0] == B && c0![l].shape[1] == H,
                             "LSTM: initial cell state of layer \(l) must have shape \([B, H]), got \(c0![l].shape)")
            }
        }
        // Inputs in the order the backward closure returns their gradients.
        var inputs: [Tensor?] = [data] + h0.map { $0 }
        if kind == .lstm { inputs += c0!.map { $0 } }
        for w in weights { inputs += [w.wIH, w.wHH, w.bIH, w.bHH, w.wHR] }
        let present = inputs.compactMap { $0 }
        let needsGrad = GradMode.isEnabled && present.contains { $0.requiresGrad }
        let dt = data.dtype
        for t in present {
            precondition(t.dtype == dt, "\(kind.name): all inputs and weights must have the same dtype; data is \(dt), found \(t.dtype)")
        }
        let hSize = L * B * hOut, cSize = kind == .lstm ? L * B * H : 0
        let flat = Tensor(uninitialized: [N * hOut + hSize + cSize], dtype: dt)
        func rows(_ l: Int) -> BatchFirstRows? {
            BatchFirstRows(batchSizes: batchSizes, input: batchFirstInput && l == 0, output: batchFirstOutput && l == L - 1)
        }
        // Forward, layer by layer: below the top, each layer's output rows go to their own buffer,
        // which the next layer reads as its input (outside the graph).
        var saved: [Saved] = [], layerInputs: [Tensor] = []
        func forward<T: TensorScalar>(_: T.Type) {
            let base = flat.storage.pointer(T.self)
            var input = data
            for l in 0..<L {
                let output = l == L - 1 ? flat : Tensor(uninitialized: [N, hOut], dtype: dt)
                let destination = Destination<T>(output: output, h: base + N * hOut + l * B * hOut,
                                                 c: kind == .lstm ? base + N * hOut + hSize + l * B * H : nil)
                saved.append(forwardPass(T.self, kind, input, batchSizes, false, h0[l], c0?[l], weights[l], H: H, hOut: hOut,
                                         save: needsGrad, batchFirst: rows(l), zeroH0: zeroInitialState, into: destination))
                layerInputs.append(input)
                input = output
            }
        }
        if dt == .float32 { forward(Float.self) } else { forward(Double.self) }
        let recorded = Tensor.record("\(kind.name)Backward", flat, inputs: present) { g in
            func backward<T: TensorScalar>(_: T.Type) -> [Tensor?] {
                let pg = g.storage.pointer(T.self)
                var dData: Tensor? = nil, dh: [Tensor?] = Array(repeating: nil, count: L), dc = dh
                var dWeights: [[Tensor?]] = Array(repeating: [], count: L)
                // The top layer's output gradient is the op's; below, the input gradient of the layer above.
                var fromAbove: Tensor? = nil
                for l in (0..<L).reversed() {
                    let r = withExtendedLifetime(fromAbove) { () -> [Tensor?] in
                        let incoming = Gradients<T>(output: fromAbove?.storage.pointer(T.self) ?? pg, h: pg + N * hOut + l * B * hOut,
                                                    c: kind == .lstm ? pg + N * hOut + hSize + l * B * H : nil)
                        return backwardPass(T.self, kind, incoming, saved[l], layerInputs[l], batchSizes, false, weights[l],
                                            H: H, hOut: hOut, B: B, h0: h0[l], c0: c0?[l], zeroH0: zeroInitialState,
                                            needInputGrad: l > 0 || data.requiresGrad, batchFirst: rows(l))
                    }
                    dh[l] = r[1]; dc[l] = r[2]; dWeights[l] = Array(r[3...])
                    if l > 0 { fromAbove = r[0] } else { dData = r[0] }
                }
                var all: [Tensor?] = [dData] + dh
                if kind == .lstm { all += dc }
                for l in 0..<L { all += dWeights[l] }
                return all
            }
            let grads = dt == .float32 ? backward(Float.self) : backward(Double.self)
            var out: [Tensor?] = []
            for (input, grad) in zip(inputs, grads) where input != nil { out.append(input!.requiresGrad ? grad : nil) }
            return out
        }
        var shapes = [[N, hOut], [L, B, hOut]]
        if kind == .lstm { shapes.append([L, B, H]) }
        let pieces = recorded.windows(shapes)
        return (pieces[0], pieces[1], kind == .lstm ? pieces[2] : nil)
    }

    /// What the forward pass keeps for the backward pass.
    struct Saved {
        var output: Tensor        // output rows (N, H_out) in time-major order first (detached)
        var data: Tensor?         // the input in time-major order, when it came batch-first
        var oneHot: OneHotRows?   // set when every input row is one-hot
        /// The arrays below live in one scratch tensor, at these element offsets.
        var scratch: Tensor
        var gates: Int            // (N, G·H) activations
        var hPrev: Int            // (N, H_out) state entering each step (not kept when `uniform`)
        var c: Int?               // (N, H) LSTM: c_{t-1} of each step, or with `uniform` c_t
        var uniform: Bool         // every step has the full batch (see the forward pass)
        var tanhC: Int?           // (N, H) LSTM
        var m: Int?               // (N, H) LSTM with projection: o·tanh(c)
        var hg: Int?              // (N, 3H) GRU: h·W_hhᵀ + b_hh
    }

    /// Offsets of several arrays carved from one scratch tensor: one allocation per pass instead
    /// of one per array. Each array starts on a 16-element boundary.
    struct ScratchLayout {
        private(set) var total = 0

        mutating func take(_ count: Int) -> Int {
            let at = total
            total += (count + 15) / 16 * 16
            return at
        }

        func allocate(_ dtype: DType) -> Tensor { Tensor(uninitialized: [Swift.max(total, 1)], dtype: dtype) }
    }

    /// Where a forward pass writes: the output rows (N, H_out) at the start of `output`, h_n and
    /// (LSTM) c_n at their own places.
    struct Destination<T: TensorScalar> {
        var output: Tensor
        var h: UnsafeMutablePointer<T>
        var c: UnsafeMutablePointer<T>?
    }

    /// The incoming gradients of a backward pass: output rows (N, H_out), h_n, c_n (LSTM).
    struct Gradients<T: TensorScalar> {
        var output: UnsafeMutablePointer<T>
        var h: UnsafeMutablePointer<T>
        var c: UnsafeMutablePointer<T>?
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
                                                     H: Int, hOut: Int, save: Bool, batchFirst: BatchFirstRows?,
                                                     zeroH0: Bool, into result: Destination<T>) -> Saved {
        let N = data.shape[0], I = data.shape[1], B = batchSizes.first ?? 0
        let timeMajorData = batchFirst?.input == true ? batchFirst!.toTimeMajor(T.self, data) : nil
        let data = timeMajorData ?? data
        let G = kind.gateCount * H
        let dt = data.dtype
        let p = { (t: Tensor) in t.storage.pointer(T.self) }
        // With every step at the full batch (padded input), a step reads h_{t-1} from the previous
        // step's output rows and c_{t-1} from the previous step's rows of a c array: no copies of
        // the running state per step, h_n and c_n are copied once at the end. Packed streams whose
        // batch shrinks keep a running state (entries that ended hold theirs) and copy per step.
        let uniform = batchSizes.allSatisfy { $0 == B }
        // Per-step arrays (rows for every step when saved for backward, else one step's worth).
        var layout = ScratchLayout()
        let rowsKept = save ? N : B
        let gatesAt = layout.take(N * G), hPrevAt = layout.take(save && !uniform ? N * hOut : 0)
        // LSTM c: uniform, c_t of every step (saved) or two alternating row blocks; else c_{t-1}.
        let cAt = kind == .lstm ? layout.take((uniform && !save ? 2 * B : rowsKept) * H) : nil
        let tanhCAt = kind == .lstm ? layout.take(rowsKept * H) : nil
        let mAt = kind == .lstm && w.wHR != nil ? layout.take(rowsKept * H) : nil
        let hgAt = kind == .gru ? layout.take(rowsKept * G) : nil
        let scratch = layout.allocate(dt)
        let base = p(scratch)
        let px = base + gatesAt
        // Input projection of all steps, with the biases that add straight in.
        let oneHot = OneHotRows(p(data), rows: N, cols: I)
        if let oneHot {
            oneHot.project(p(w.wIH), G: G, I: I, into: px)
        } else {
            BLAS.gemm(T.self, transA: false, transB: true, m: N, n: G, k: I, a: p(data), lda: I, b: p(w.wIH), ldb: I,
                      c: px, ldc: G)
        }
        RowVectors.addBiases(T.self, px, rows: N, cols: G, w.bIH, kind != .gru ? w.bHH : nil)

        // The op's flat result: output (N, H_out), then h (B, H_out), then c (B, H) for LSTM. For
        // packed streams the running state lives in the h and c windows and ends there as h_n and
        // c_n; full-batch steps copy h_n and c_n there at the end.
        // Batch-first output: the steps write time-major rows to a scratch, reordered at the end.
        let timeMajorOutput = batchFirst?.output == true ? Tensor(uninitialized: [N, hOut], dtype: dt) : nil
        let ph = result.h, pc = result.c ?? result.h
        let po = timeMajorOutput.map(p) ?? p(result.output)
        ph.update(from: p(h0), count: B * hOut)
        if kind == .lstm, let c0 { pc.update(from: p(c0), count: B * H) }
        let offs = offsets(batchSizes)
        // The per-step product h·W_hhᵀ. For small products OpenBLAS has direct (unpacked)
        // kernels, but only for some layouts: a row-major X·Wᵀ maps to its "TN" case, which it
        // refuses when the output has more than 1200 elements, and then packs both operands on
        // every step. So small products use a transposed copy of W_hh, (H_out, G), made once per
        // call, and run as a plain X·Wt ("NN"), which the direct kernels take. With batch 1 the
        // product is a matrix-vector one (BLAS.gemm runs GEMV) and needs no copy.
        //
        // Float32 with batch > 1 on x86-64 uses neither: W_hhᵀ is packed once per call into
        // Loom's own panel layout, and each step multiplies against it (split over threads when
        // large), skipping BLAS's per-call packing and thread hand-offs.
        let packed = usePacked(T.self, batch: B) ? PackedMatrix(f32(p(w.wHH)), ld: hOut, transposed: true, k: hOut, n: G) : nil
        let smallProduct = packed == nil && B > 1 && B * G * hOut <= 1_000_000
        let wHHt = smallProduct ? w.wHH.detach().t() : nil
        let minRows = rowsPerPart(H)
        func recurrentProduct(n: Int, h: UnsafeMutablePointer<T>, beta: T, c: UnsafeMutablePointer<T>) {
            if let packed {
                packed.multiply(m: n, a: f32(h), lda: hOut, accumulate: beta != 0, c: f32(c), ldc: G)
            } else if let wHHt {
                BLAS.gemm(T.self, transA: false, transB: false, m: n, n: G, k: hOut, a: h, lda: hOut, b: p(wHHt), ldb: G,
                          beta: beta, c: c, ldc: G)
            } else {
                BLAS.gemm(T.self, transA: false, transB: true, m: n, n: G, k: hOut, a: h, lda: hOut, b: p(w.wHH), ldb: hOut,
                          beta: beta, c: c, ldc: G)
            }
        }
        let pHPrev = save && !uniform ? base + hPrevAt : nil
        let projected = w.wHR != nil
        var previous: Int? = nil                     // output row offset of the step processed last
        var cLast: UnsafeMutablePointer<T>? = nil    // uniform LSTM: that step's c rows
        var processed = 0
        for t in stepOrder(batchSizes.count, reverse: reverse) {
            let n = batchSizes[t], off = offs[t]
            if n == 0 { continue }
            let gates = px + off * G, out = po + off * hOut
            let scratchRow = save ? off : 0
            let hIn = uniform ? previous.map { po + $0 * hOut } ?? p(h0) : ph
            // At the first step every active row starts from h0: with h0 = 0 the product is zero.
            let zeroProduct = zeroH0 && processed == 0
            // After the step's product, each thread takes a block of rows through the point-wise
            // step and (packed streams) its bookkeeping: save h_{t-1} for backward, run the kernel,
            // move h_t into the running state (unless a projection still has to produce it).
            func rowsAfterProduct(_ kernel: (_ a: Int, _ count: Int) -> Void) {
                Parallel.rows(n, minRows: minRows) { r in
                    let a = r.lowerBound
                    if let pHPrev { (pHPrev + (off + a) * hOut).update(from: ph + a * hOut, count: r.count * hOut) }
                    kernel(a, r.count)
                    if !uniform && !projected { (ph + a * hOut).update(from: out + a * hOut, count: r.count * hOut) }
                }
            }
            switch kind {
            case .lstm:
                // c_{t-1} and c_t are separate buffers (no aliasing, so the kernel vectorizes).
                let cOld: UnsafeMutablePointer<T>, cNew: UnsafeMutablePointer<T>
                if uniform {
                    cOld = cLast ?? p(c0!)
                    cNew = base + cAt! + (save ? off : processed % 2 * B) * H
                } else {
                    cOld = base + cAt! + scratchRow * H
                    cNew = pc
                }
                let tc = base + tanhCAt! + scratchRow * H
                if !zeroProduct { recurrentProduct(n: n, h: hIn, beta: 1, c: gates) }
                let pm = mAt.map { base + $0 + scratchRow * H } ?? out, ldm = mAt == nil ? hOut : H
                rowsAfterProduct { a, count in
                    if !uniform { (cOld + a * H).update(from: pc + a * H, count: count * H) }
                    StepKernels.lstmStep(gates + a * G, cprev: cOld + a * H, ldcprev: H, c: cNew + a * H, ldc: H, tc: tc + a * H,
                                         m: pm + a * ldm, ldm: ldm, n: count, H: H)
                }
                cLast = cNew
                if let wHR = w.wHR {
                    BLAS.gemm(T.self, transA: false, transB: true, m: n, n: hOut, k: H, a: pm, lda: H, b: p(wHR), ldb: H,
                              c: out, ldc: hOut)
                    if !uniform { ph.update(from: out, count: n * hOut) }
                }
            case .gru:
                // hg = h·W_hhᵀ + b_hh: the product, then the step kernel adds the bias as it loads
                // each block (the same sum as a separate pass, and kept for backward).
                let phg = base + hgAt! + scratchRow * G
                if zeroProduct {
                    phg.update(repeating: 0, count: n * G)
                } else {
                    recurrentProduct(n: n, h: hIn, beta: 0, c: phg)
                }
                let pbhh = w.bHH.map(p)
                rowsAfterProduct { a, count in
                    StepKernels.gruStep(gates + a * G, hg: phg + a * G, bhh: pbhh, hprev: hIn + a * hOut, ldhprev: hOut,
                                        h: out + a * hOut, ldh: hOut, n: count, H: H)
                }
            case .rnn(let act):
                if !zeroProduct { recurrentProduct(n: n, h: hIn, beta: 1, c: gates) }
                rowsAfterProduct { a, count in
                    StepKernels.rnnStep(gates + a * G, ld: G, n: count, H: H, relu: act == .relu)
                    (out + a * hOut).update(from: gates + a * G, count: count * hOut)
                }
            }
            previous = off
            processed += 1
        }
        if uniform, let previous {
            ph.update(from: po + previous * hOut, count: B * hOut)
            if let cLast { pc.update(from: cLast, count: B * H) }
        }
        if let timeMajorOutput { batchFirst!.fromTimeMajor(T.self, p(timeMajorOutput), into: p(result.output), width: hOut) }
        // Detached: the saved state must not hold the result tensor itself, whose node holds it.
        return Saved(output: timeMajorOutput ?? result.output.detach(), data: timeMajorData, oneHot: oneHot, scratch: scratch,
                     gates: gatesAt, hPrev: hPrevAt, c: cAt, uniform: uniform, tanhC: tanhCAt, m: mAt, hg: hgAt)
    }

    /// Float32 steps with more than one row use the packed product where the CPU has its kernels.
    private static func usePacked<T: TensorScalar>(_: T.Type, batch: Int) -> Bool {
        T.self == Float.self && batch > 1 && PackedMatrix.isSupported
    }

    /// Rows per thread below which a step's point-wise work (~2 ns per cell) is not worth splitting.
    private static func rowsPerPart(_ H: Int) -> Int { Swift.max(1, 2048 / Swift.max(1, H)) }

    @inline(__always)
    private static func f32<T>(_ x: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self)
    }

    /// Returns gradients for [data, h0, c0, wIH, wHH, bIH, bHH, wHR] (nil where absent).
    private static func backwardPass<T: TensorScalar>(_: T.Type, _ kind: RecurrentKind, _ g: Gradients<T>, _ s: Saved, _ data: Tensor,
                                                      _ batchSizes: [Int], _ reverse: Bool, _ w: RecurrentWeights,
                                                      H: Int, hOut: Int, B: Int, h0: Tensor, c0: Tensor?, zeroH0: Bool,
                                                      needInputGrad inputRequiresGrad: Bool,
                                                      batchFirst: BatchFirstRows?) -> [Tensor?] {
        let needsH0Grad = h0.requiresGrad
        let N = data.shape[0], I = data.shape[1]
        let G = kind.gateCount * H
        let dt = data.dtype
        let p = { (t: Tensor) in t.storage.pointer(T.self) }
        let timeMajorDOut = batchFirst?.output == true ? batchFirst!.toTimeMajor(T.self, g.output, width: hOut) : nil
        let dOut = timeMajorDOut.map(p) ?? g.output // (N, H_out), time-major
        let dh = Tensor(uninitialized: [B, hOut], dtype: dt)
        p(dh).update(from: g.h, count: B * hOut)
        var dc: Tensor? = nil
        if kind == .lstm, let gc = g.c {
            dc = Tensor(uninitialized: [B, H], dtype: dt)
            p(dc!).update(from: gc, count: B * H)
        }
        // Working arrays, carved from one tensor: dZ (input-side pre-activation gradients), GRU's
        // dHG, with a projection dHtot and dm (zeroed), GRU's incoming dh of one step, and for
        // full-batch steps h_{t-1} of every step.
        var layout = ScratchLayout()
        let dZAt = layout.take(N * G)
        let dHGAt = kind == .gru ? layout.take(N * G) : nil
        let dHtotAt = w.wHR != nil ? layout.take(N * hOut) : nil
        let dmAt = w.wHR != nil ? layout.take(B * H) : nil
        let rowScratchAt = kind == .gru ? layout.take(B * hOut) : nil
        let hPrevRowsAt = s.uniform ? layout.take(N * hOut) : nil
        let work = layout.allocate(dt)
        let wbase = p(work)
        let pdz = wbase + dZAt, pdHG = dHGAt.map { wbase + $0 }, pdHtot = dHtotAt.map { wbase + $0 }
        let pdm = dmAt.map { wbase + $0 }
        pdm?.update(repeating: 0, count: B * H)
        let sbase = p(s.scratch)
        let offs = offsets(batchSizes)
        let order = stepOrder(batchSizes.count, reverse: reverse)
        // Uniform batches kept no copies of h_{t-1} and c_{t-1}: they are the rows of the step
        // processed before (h0 and c0 for the first). h_{t-1} of all steps, contiguous for the
        // weight gradient, is gathered here once.
        var previousOffset = [Int](repeating: -1, count: batchSizes.count)
        if s.uniform {
            var last = -1
            for t in order where batchSizes[t] > 0 { previousOffset[t] = last; last = offs[t] }
        }
        let hPrevRows = hPrevRowsAt.map { wbase + $0 } ?? sbase + s.hPrev
        if s.uniform {
            let pout = p(s.output)
            for t in order where batchSizes[t] > 0 {
                let prev = previousOffset[t]
                (hPrevRows + offs[t] * hOut).update(from: prev < 0 ? p(h0) : pout + prev * hOut, count: batchSizes[t] * hOut)
            }
        }
        let pdh = p(dh), pwhh = p(w.wHH), gates = sbase + s.gates
        // dh = dZ·W_hh each step: packed once (see the forward pass), else BLAS.
        let packed = usePacked(T.self, batch: B) ? PackedMatrix(f32(pwhh), ld: hOut, transposed: false, k: G, n: hOut) : nil
        let minRows = rowsPerPart(H)
        func hiddenProduct(n: Int, a: UnsafeMutablePointer<T>, beta: T) {
            if let packed {
                packed.multiply(m: n, a: f32(a), lda: G, accumulate: beta != 0, c: f32(pdh), ldc: hOut)
            } else {
                BLAS.gemm(T.self, transA: false, transB: false, m: n, n: hOut, k: G, a: a, lda: G, b: pwhh, ldb: hOut,
                          beta: beta, c: pdh, ldc: hOut)
            }
        }
        // The product at the sequence's first step only feeds h0's gradient.
        let firstStep = order.first { batchSizes[$0] > 0 }
        /// dh[rows] += dOutput[rows] at the step whose output rows start at `off`.
        func addOutputGradient(_ off: Int, _ a: Int, _ count: Int) {
            let src = dOut + (off + a) * hOut, dst = pdh + a * hOut
            for i in 0..<(count * hOut) { dst[i] += src[i] }
        }
        let projected = w.wHR != nil
        for t in order.reversed() {
            let n = batchSizes[t], off = offs[t]
            if n == 0 { continue }
            let needProduct = t != firstStep || needsH0Grad
            switch kind {
            case .lstm:
                var dmPtr = pdh, ldm = hOut
                if projected { addOutputGradient(off, 0, n) }
                if let pdm, let wHR = w.wHR {
                    (pdHtot! + off * hOut).update(from: pdh, count: n * hOut)
                    BLAS.gemm(T.self, transA: false, transB: false, m: n, n: H, k: hOut, a: pdh, lda: hOut, b: p(wHR), ldb: H,
                              c: pdm, ldc: H)
                    dmPtr = pdm; ldm = H
                }
                // c_{t-1} rows of this step: saved (packed streams) or the previous step's c_t.
                let cPrevious = s.uniform ? (previousOffset[t] < 0 ? p(c0!) : sbase + s.c! + previousOffset[t] * H)
                    : sbase + s.c! + off * H
                let ptc = sbase + s.tanhC!, pdc = p(dc!), dmBase = dmPtr, ldmV = ldm
                Parallel.rows(n, minRows: minRows) { r in
                    let a = r.lowerBound, row = off + a
                    if !projected { addOutputGradient(off, a, r.count) }
                    StepKernels.lstmStepBackward(gates + row * G, cprev: cPrevious + a * H, ldcprev: H, tc: ptc + row * H,
                                                 dm: dmBase + a * ldmV, ldm: ldmV, dc: pdc + a * H, lddc: H, dz: pdz + row * G,
                                                 n: r.count, H: H)
                }
                if needProduct { hiddenProduct(n: n, a: pdz + off * G, beta: 0) }
            case .gru:
                let ps = wbase + rowScratchAt!
                let pdhg = pdHG! + off * G
                let phg = sbase + s.hg!, php = hPrevRows
                Parallel.rows(n, minRows: minRows) { r in
                    let a = r.lowerBound, row = off + a
                    // The kernel adds into dh_{t-1}, so the incoming dh moves to scratch first.
                    addOutputGradient(off, a, r.count)
                    (ps + a * hOut).update(from: pdh + a * hOut, count: r.count * hOut)
                    (pdh + a * hOut).update(repeating: 0, count: r.count * hOut)
                    StepKernels.gruStepBackward(gates + row * G, hg: phg + row * G, hprev: php + row * hOut, ldhprev: hOut,
                                                dh: ps + a * hOut, lddh: hOut, dxg: pdz + row * G, dhg: pdhg + a * G,
                                                dhprev: pdh + a * hOut, lddhprev: hOut, n: r.count, H: H)
                }
                if needProduct { hiddenProduct(n: n, a: pdhg, beta: 1) }
            case .rnn(let act):
                let pout = p(s.output)
                Parallel.rows(n, minRows: minRows) { r in
                    let a = r.lowerBound, row = off + a
                    addOutputGradient(off, a, r.count)
                    StepKernels.rnnStepBackward(pout + row * hOut, ldh: hOut, dh: pdh + a * hOut, lddh: hOut, dz: pdz + row * G,
                                                n: r.count, H: H, relu: act == .relu)
                }
                if needProduct { hiddenProduct(n: n, a: pdz + off * G, beta: 0) }
            }
        }
        // Weight gradients: one GEMM each over all steps.
        let dHidden = pdHG ?? pdz
        let data = s.data ?? data                   // time-major
        let dWih = Tensor(uninitialized: w.wIH.shape, dtype: dt)
        if let oneHot = s.oneHot {
            oneHot.weightGradient(pdz, G: G, I: I, into: p(dWih))
        } else {
            BLAS.gemm(T.self, transA: true, transB: false, m: G, n: I, k: N, a: pdz, lda: G, b: p(data), ldb: I, c: p(dWih), ldc: I)
        }
        // dW_hh = Σ_t dZ_tᵀ·h_{t-1}; with h0 = 0 the first step's rows (the first rows of the
        // stream, or the last ones in reverse) add nothing and are left out.
        var keepFrom = 0, keepTo = N
        if zeroH0, let first = firstStep {
            if offs[first] == 0 { keepFrom = batchSizes[first] } else { keepTo = offs[first] }
        }
        let dWhh = Tensor(uninitialized: w.wHH.shape, dtype: dt)
        if keepTo > keepFrom {
            BLAS.gemm(T.self, transA: true, transB: false, m: G, n: hOut, k: keepTo - keepFrom, a: dHidden + keepFrom * G, lda: G,
                      b: hPrevRows + keepFrom * hOut, ldb: hOut, c: p(dWhh), ldc: hOut)
        } else {
            p(dWhh).update(repeating: 0, count: G * hOut)
        }
        var dX: Tensor? = nil
        if inputRequiresGrad {
            let d = Tensor(uninitialized: data.shape, dtype: dt)
            BLAS.gemm(T.self, transA: false, transB: false, m: N, n: I, k: G, a: pdz, lda: G, b: p(w.wIH), ldb: I, c: p(d), ldc: I)
            if batchFirst?.input == true {
                let rows = Tensor(uninitialized: data.shape, dtype: dt)
                batchFirst!.fromTimeMajor(T.self, p(d), into: p(rows), width: I)
                dX = rows
            } else {
                dX = d
            }
        }
        let dbIH = w.bIH == nil ? nil : RowVectors.columnSums(T.self, pdz, rows: N, cols: G)
        let dbHH = w.bHH == nil ? nil : (pdHG == nil ? dbIH : RowVectors.columnSums(T.self, dHidden, rows: N, cols: G))
        var dWhr: Tensor? = nil
        if let wHR = w.wHR {
            dWhr = Tensor(zeros: wHR.shape, dtype: dt)
            BLAS.gemm(T.self, transA: true, transB: false, m: hOut, n: H, k: N, a: pdHtot!, lda: hOut, b: sbase + s.m!, ldb: H,
                      c: p(dWhr!), ldc: H)
        }
        return [dX, dh, dc, dWih, dWhh, dbIH, dbHH.map { $0 === dbIH ? $0.clone() : $0 }, dWhr]
    }
}
