/// Backward through time for one fused layer and direction (see ``FusedRecurrence``).
extension FusedRecurrence {
    /// Returns gradients for [data, h0, c0, wIH, wHH, bIH, bHH, wHR] (nil where absent).
    static func backwardPass<T: TensorScalar>(_: T.Type, _ kind: RecurrentKind, _ g: Gradients<T>, _ s: Saved, _ data: Tensor,
                                              _ batchSizes: [Int], _ w: RecurrentWeights,
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
        let offs = s.offsets, order = s.order        // as the forward pass computed them
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
