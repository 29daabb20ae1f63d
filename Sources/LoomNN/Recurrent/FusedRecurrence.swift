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
    /// skipped — they add only zeros. `outputShape` (same element count) is the shape the output
    /// is returned in, (N, H_out) by default; with `stateAxis` h_n and c_n come as (1, B, ·), as a
    /// one-layer module returns them — no reshape ops after the op.
    static func run(_ kind: RecurrentKind, data: Tensor, batchSizes: [Int], reverse: Bool,
                    h0: Tensor, c0: Tensor?, weights w: RecurrentWeights,
                    batchFirstInput: Bool = false, batchFirstOutput: Bool = false,
                    zeroInitialState: Bool = false, outputShape: [Int]? = nil,
                    stateAxis: Bool = false) -> (output: Tensor, h: Tensor, c: Tensor?) {
        let H = w.wHH.shape[0] / kind.gateCount
        let hOut = w.wHR?.shape[0] ?? H
        let B = batchSizes.first ?? 0
        let N = data.shape[0]
        checkStates(kind, h0: h0, c0: c0, B: B, H: H, hOut: hOut, layer: nil)
        let batchFirst = BatchFirstRows(batchSizes: batchSizes, input: batchFirstInput, output: batchFirstOutput)
        let inputs: [Tensor?] = [data, h0, c0, w.wIH, w.wHH, w.bIH, w.bHH, w.wHR]     // the order of backwardPass's result
        let (present, needsGrad) = recordedInputs(kind, inputs)
        let dt = data.dtype
        // One flat result [output | h_n | c_n] so that a single node carries the whole op; the
        // forward pass writes straight into its three windows.
        var shapes = [outputShape ?? [N, hOut], stateAxis ? [1, B, hOut] : [B, hOut]]
        if kind == .lstm { shapes.append(stateAxis ? [1, B, H] : [B, H]) }
        precondition(shapes[0].reduce(1, *) == N * hOut, "\(kind.name): output shape \(shapes[0]) does not hold \(N) × \(hOut) elements")
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
                                    saved, data, batchSizes, w, H: H, hOut: hOut, B: B, h0: h0, c0: c0,
                                    zeroH0: zeroInitialState, needInputGrad: data.requiresGrad, batchFirst: batchFirst)
            }
            return gradients(dt == .float32 ? backward(Float.self) : backward(Double.self), for: inputs)
        }
        // Without a node (no gradient needed), the windows are plain views of the flat result.
        let pieces = recorded.windows(shapes)
        return (pieces[0], pieces[1], kind == .lstm ? pieces[2] : nil)
    }

    /// Checks a layer's initial states against (B, H_out) and (B, H). Shapes are compared
    /// element-wise: an array literal per check would be allocated on every call.
    static func checkStates(_ kind: RecurrentKind, h0: Tensor, c0: Tensor?, B: Int, H: Int, hOut: Int, layer: Int?) {
        let which = layer.map { " of layer \($0)" } ?? ""
        precondition(h0.rank == 2 && h0.shape[0] == B && h0.shape[1] == hOut,
                     "\(kind.name): initial hidden state\(which) must have shape \([B, hOut]), got \(h0.shape)")
        guard kind == .lstm else { return }
        precondition(c0.map { $0.rank == 2 && $0.shape[0] == B && $0.shape[1] == H } ?? false,
                     "LSTM: initial cell state\(which) must have shape \([B, H]), got \(c0?.shape ?? [])")
    }

    /// The op's inputs that exist (the node's inputs), whether a gradient is recorded, after
    /// checking that they share the data's dtype (the first input).
    static func recordedInputs(_ kind: RecurrentKind, _ inputs: [Tensor?]) -> (present: [Tensor], needsGrad: Bool) {
        let present = inputs.compactMap { $0 }
        let dt = present[0].dtype
        for t in present {
            precondition(t.dtype == dt, "\(kind.name): all inputs and weights must have the same dtype; data is \(dt), found \(t.dtype)")
        }
        return (present, GradMode.isEnabled && present.contains { $0.requiresGrad })
    }

    /// The backward result for the node's inputs: the gradient of each present input that requires one.
    static func gradients(_ grads: [Tensor?], for inputs: [Tensor?]) -> [Tensor?] {
        var out: [Tensor?] = []
        out.reserveCapacity(inputs.count)
        for (input, grad) in zip(inputs, grads) where input != nil { out.append(input!.requiresGrad ? grad : nil) }
        return out
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
        var offsets: [Int]        // first row of each step
        var order: [Int]          // steps in processing order
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

    /// Float32 steps with more than one row use the packed product where the CPU has its kernels.
    static func usePacked<T: TensorScalar>(_: T.Type, batch: Int) -> Bool {
        T.self == Float.self && batch > 1 && PackedMatrix.isSupported
    }

    /// Rows per thread below which a step's point-wise work (~2 ns per cell) is not worth splitting.
    static func rowsPerPart(_ H: Int) -> Int { Swift.max(1, 2048 / Swift.max(1, H)) }

    @inline(__always)
    static func f32<T>(_ x: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self)
    }
}
