/// The forward pass of one fused layer and direction (see ``FusedRecurrence``).
extension FusedRecurrence {
    static func forwardPass<T: TensorScalar>(_: T.Type, _ kind: RecurrentKind, _ data: Tensor, _ batchSizes: [Int],
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
        // (GRU adds b_hh inside its step kernel instead.)
        let oneHot = OneHotRows(p(data), rows: N, cols: I)
        let bHH = kind != .gru ? w.bHH : nil
        if let oneHot {
            oneHot.project(p(w.wIH), G: G, I: I, into: px)
            RowVectors.addBiases(T.self, px, rows: N, cols: G, w.bIH, bHH)
        } else if T.self == Float.self {
            func f32p(_ t: Tensor?) -> UnsafePointer<Float>? { t.map { UnsafePointer($0.storage.pointer(Float.self)) } }
            BLAS.gemmAddingRowBiases(transB: true, m: N, n: G, k: I, a: f32(p(data)), lda: I, b: f32(p(w.wIH)), ldb: I,
                                     bias1: f32p(w.bIH ?? bHH), bias2: w.bIH == nil ? nil : f32p(bHH), c: f32(px), ldc: G)
        } else {
            BLAS.gemm(T.self, transA: false, transB: true, m: N, n: G, k: I, a: p(data), lda: I, b: p(w.wIH), ldb: I,
                      c: px, ldc: G)
            RowVectors.addBiases(T.self, px, rows: N, cols: G, w.bIH, bHH)
        }

        // The op's flat result: output (N, H_out), then h (B, H_out), then c (B, H) for LSTM. For
        // packed streams the running state lives in the h and c windows and ends there as h_n and
        // c_n; full-batch steps copy h_n and c_n there at the end.
        // Batch-first output: the steps write time-major rows to a scratch, reordered at the end.
        let timeMajorOutput = batchFirst?.output == true ? Tensor(uninitialized: [N, hOut], dtype: dt) : nil
        let ph = result.h, pc = result.c ?? result.h
        let po = timeMajorOutput.map(p) ?? p(result.output)
        ph.update(from: p(h0), count: B * hOut)
        if kind == .lstm, let c0 { pc.update(from: p(c0), count: B * H) }
        let offs = offsets(batchSizes), order = stepOrder(batchSizes.count, reverse: reverse)
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
        let pbhh = kind == .gru ? w.bHH.map(p) : nil      // GRU: added to h·W_hhᵀ inside the step kernel
        let projected = w.wHR != nil
        var previous: Int? = nil                     // output row offset of the step processed last
        var cLast: UnsafeMutablePointer<T>? = nil    // uniform LSTM: that step's c rows
        var processed = 0
        for t in order {
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
                     gates: gatesAt, hPrev: hPrevAt, c: cAt, uniform: uniform, tanhC: tanhCAt, m: mAt, hg: hgAt,
                     offsets: offs, order: order)
    }
}
