import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN
@testable import LoomTensor

@Suite("Packed step product and steps split over threads")
struct ParallelRecurrenceTests {
    /// Weights on PyTorch's scale for this fan-in (|w| ~ 1/√H), so that Float32 rounding stays small.
    static func weights(_ kind: RecurrentKind, I: Int, H: Int, hOut: Int? = nil, seed: UInt64) -> RecurrentWeights {
        RecurrentBehaviourTests.weights(kind, I: I, H: H, hOut: hOut, seed: seed, scale: 0.1)
    }

    /// The packed product equals a plain fused multiply-add loop (k in order) bit for bit, for
    /// ragged sizes, both packing orientations, A plain or transposed, column sub-ranges,
    /// accumulation and bias vectors added as C is stored (((product (+ C)) + b1) + b2).
    @Test(arguments: [1, 2, 3, 5, 8, 9, 13, 19, 300], [1, 7, 16, 17, 20, 24, 25, 33, 50, 80])
    func packedProductIsExact(m: Int, n: Int) {
        var g = Generator(seed: UInt64(m * 100 + n))
        for k in [1, 5, 64] {
            for (transposed, transA) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = Tensor.randn([m, k], generator: &g).scalars          // A, row-major m × k
                var aT = [Float](repeating: 0, count: m * k)                 // the same A stored k × m
                for i in 0..<m { for kk in 0..<k { aT[kk * m + i] = a[i * k + kk] } }
                let w = Tensor.randn(transposed ? [n, k] : [k, n], generator: &g).scalars
                let start = Tensor.randn([m, n], generator: &g).scalars
                let packed = w.withUnsafeBufferPointer {
                    PackedMatrix($0.baseAddress!, ld: transposed ? k : n, transposed: transposed, k: k, n: n)
                }
                func weight(_ kk: Int, _ j: Int) -> Float { transposed ? w[j * k + kk] : w[kk * n + j] }
                let b1 = Tensor.randn([n], generator: &g).scalars, b2 = Tensor.randn([n], generator: &g).scalars
                for (accumulate, biases) in [(false, 0), (true, 0), (false, 2), (true, 1)] {
                    var c = start
                    c.withUnsafeMutableBufferPointer { cp in
                        (transA ? aT : a).withUnsafeBufferPointer { ap in
                            b1.withUnsafeBufferPointer { p1 in
                                b2.withUnsafeBufferPointer { p2 in
                                    packed.multiply(transA: transA, m: m, a: ap.baseAddress!, lda: transA ? m : k,
                                                    accumulate: accumulate, bias1: biases > 0 ? p1.baseAddress! : nil,
                                                    bias2: biases > 1 ? p2.baseAddress! : nil, c: cp.baseAddress!, ldc: n)
                                }
                            }
                        }
                    }
                    var expected = start
                    for i in 0..<m {
                        for j in 0..<n {
                            var s: Float = 0
                            for kk in 0..<k { s = s.addingProduct(a[i * k + kk], weight(kk, j)) }
                            var v = accumulate ? start[i * n + j] + s : s
                            if biases > 0 { v += b1[j] }
                            if biases > 1 { v += b2[j] }
                            expected[i * n + j] = v
                        }
                    }
                    #expect(c == expected, "m \(m) n \(n) k \(k) packed transposed \(transposed) transA \(transA) accumulate \(accumulate) biases \(biases)")
                }
            }
        }
    }

    /// H = 128: large enough that the step product and the point-wise steps split over threads;
    /// the result equals a one-thread run bit for bit, and the composed cell loop (Float64) to
    /// rounding. H = 20, 50 and 24 (remainders of 4, 2 and 8 past the last 16-wide block): rows
    /// whose remainders are gathered from several rows, or covered by an overlapping block (see
    /// Recurrent.c).
    @Test(arguments: [(RecurrentKind.lstm, false), (.lstm, true), (.gru, false), (.rnn(.tanh), false)],
          [(false, 128), (true, 128), (false, 20), (true, 50), (false, 24)])
    func threadedStepsEqualOneThread(case c: (RecurrentKind, Bool), direction: (reverse: Bool, H: Int)) {
        let (kind, project) = c
        let (reverse, H) = direction
        let (T, B, I) = (5, 32, 8)
        let hOut = project ? H / 2 : H
        func run(threads: Int) -> [Tensor?] {
            Parallel.setThreadLimit(threads)
            defer { Parallel.setThreadLimit(0) }
            let w = Self.weights(kind, I: I, H: H, hOut: project ? hOut : nil, seed: 3)
            var g = Generator(seed: 4)
            let x = (Tensor.randn([T * B, I], generator: &g)).requiringGrad()
            let h0 = (Tensor.randn([B, hOut], generator: &g) * 0.5).requiringGrad()
            let c0 = kind == .lstm ? Tensor.randn([B, H], generator: &g) * 0.5 : nil
            let wo = Tensor.randn([T * B, hOut], generator: &g)
            let r = FusedRecurrence.run(kind, data: x, batchSizes: Array(repeating: B, count: T), reverse: reverse,
                                        h0: h0, c0: c0, weights: w)
            ((r.output * wo).sum() + r.h.sum() * 2 + (r.c?.sum() ?? Tensor(Float(0)))).backward()
            return [r.output, r.h, r.c, x.grad, h0.grad] + w.tensors.map { $0?.grad }
        }
        let split = run(threads: 0), single = run(threads: 1)
        for (i, (a, b)) in zip(split, single).enumerated() {
            #expect(a?.scalars == b?.scalars, "result \(i)")
        }
        // Against the composed reference (op-by-op cells) in Float64 on the same values.
        let w32 = Self.weights(kind, I: I, H: H, hOut: project ? hOut : nil, seed: 3)
        func f64(_ t: Tensor?) -> Tensor? { t.map { $0.to(.float64).detach().requiringGrad() } }
        let w = RecurrentWeights(wIH: f64(w32.wIH)!, wHH: f64(w32.wHH)!, bIH: f64(w32.bIH), bHH: f64(w32.bHH), wHR: f64(w32.wHR))
        var g = Generator(seed: 4)
        let x = f64(Tensor.randn([T * B, I], generator: &g))!
        let h0 = f64(Tensor.randn([B, hOut], generator: &g) * 0.5)!
        let c0 = kind == .lstm ? (Tensor.randn([B, H], generator: &g) * 0.5).to(.float64) : nil
        let wo = Tensor.randn([T * B, hOut], generator: &g).to(.float64)
        let composed = CellMath.sequence(kind, x.reshape([T, B, I]), h0: h0, c0: c0, w, reverse: reverse)
        ((composed.output.reshape([T * B, hOut]) * wo).sum() + composed.h.sum() * 2
            + (composed.c?.sum() ?? Tensor(Double(0)))).backward()
        expectClose(split[0], composed.output.reshape([T * B, hOut]), "output")
        expectClose(split[1], composed.h, "h_n")
        expectClose(split[3], x.grad!, "grad x")
        expectClose(split[4], h0.grad!, "grad h0")
        for (i, t) in w.tensors.enumerated() where t != nil {
            expectClose(split[5 + i], t!.grad!, "grad weight \(i)")
        }
    }

    /// Inference (nothing saved: LSTM cells alternate between two row blocks, no per-step copies
    /// kept) gives the training pass's output and final states bit for bit — for full-batch
    /// steps, which read the previous step's rows in place, and for a packed batch that shrinks,
    /// which keeps a running state.
    @Test(arguments: [(RecurrentKind.lstm, false), (.lstm, true), (.gru, false), (.rnn(.relu), false)], [false, true])
    func inferenceEqualsTrainingForward(case c: (RecurrentKind, Bool), reverse: Bool) {
        let (kind, project) = c
        let (I, H) = (6, 20)
        let hOut = project ? 8 : H
        for sizes in [[4, 4, 4, 4, 4], [4, 4, 3, 1, 1]] {
            let w = Self.weights(kind, I: I, H: H, hOut: project ? hOut : nil, seed: 9)
            var g = Generator(seed: 10)
            let x = Tensor.randn([sizes.reduce(0, +), I], generator: &g)
            let h0 = Tensor.randn([4, hOut], generator: &g) * 0.5
            let c0 = kind == .lstm ? Tensor.randn([4, H], generator: &g) * 0.5 : nil
            func run() -> [Tensor?] {
                let r = FusedRecurrence.run(kind, data: x, batchSizes: sizes, reverse: reverse, h0: h0, c0: c0, weights: w)
                return [r.output, r.h, r.c]
            }
            w.wHH.requiresGrad = true
            let training = run()
            let inference = withNoGrad { run() }
            w.wHH.requiresGrad = false
            for (i, (a, b)) in zip(training, inference).enumerated() {
                #expect(a?.scalars == b?.scalars, "\(kind.name) sizes \(sizes) reverse \(reverse): result \(i)")
            }
        }
    }

    /// Told that h0 is zero, the op skips the first step's product and that step's rows of the
    /// W_hh gradient: every result equals the full computation (zeros add nothing), for padded
    /// and packed streams in both directions.
    @Test(arguments: [RecurrentKind.lstm, .gru, .rnn(.tanh)], [false, true])
    func zeroInitialStateSkipsOnlyZeros(kind: RecurrentKind, reverse: Bool) {
        let (I, H) = (5, 20)
        for sizes in [[4, 4, 4, 4], [4, 3, 3, 1]] {
            func run(skip: Bool) -> [Tensor?] {
                let w = Self.weights(kind, I: I, H: H, seed: 12)
                var g = Generator(seed: 13)
                let x = Tensor.randn([sizes.reduce(0, +), I], generator: &g).requiringGrad()
                let wo = Tensor.randn([sizes.reduce(0, +), H], generator: &g)
                let r = FusedRecurrence.run(kind, data: x, batchSizes: sizes, reverse: reverse, h0: Tensor.zeros([4, H]),
                                            c0: kind == .lstm ? Tensor.zeros([4, H]) : nil, weights: w, zeroInitialState: skip)
                ((r.output * wo).sum() + r.h.sum()).backward()
                return [r.output, r.h, r.c, x.grad] + w.tensors.map { $0?.grad }
            }
            let skipped = run(skip: true), full = run(skip: false)
            for (i, (a, b)) in zip(skipped, full).enumerated() {
                #expect(a?.scalars == b?.scalars, "\(kind.name) sizes \(sizes) reverse \(reverse): result \(i)")
            }
        }
    }

    /// Stacked layers run as one op that frees each layer's saved state once its backward has run
    /// — unless the graph is retained: a second backward then gives the same gradients again.
    @Test func stackedLayersBackwardTwiceWithRetainedGraph() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 5, numLayers: 3)
        let x = Tensor.randn([4, 2, 3])
        let out = lstm(x).0
        let loss = (out * out).sum()
        loss.backward(retainGraph: true)
        let first = lstm.parameters().map { $0.grad!.scalars }
        loss.backward()
        for (p, once) in zip(lstm.parameters(), first) {
            let twice = p.grad!.scalars
            #expect(zip(twice, once).allSatisfy { abs($0 - 2 * $1) <= 1e-6 * Swift.max(1, abs($0)) })
        }
    }

    /// A packed batch (sequences ending at different steps) whose initial state needs no
    /// gradient — the last backward product is skipped — still gives every other gradient.
    @Test(arguments: [false, true])
    func packedBatchWithoutInitialStateGradient(reverse: Bool) {
        let (I, H) = (8, 128)
        let sizes = [32, 32, 20, 9, 3]
        let N = sizes.reduce(0, +)
        func run(threads: Int, h0Grad: Bool) -> [Tensor?] {
            Parallel.setThreadLimit(threads)
            defer { Parallel.setThreadLimit(0) }
            let w = Self.weights(.lstm, I: I, H: H, seed: 5)
            var g = Generator(seed: 6)
            let x = Tensor.randn([N, I], generator: &g).requiringGrad()
            let h0 = Tensor.randn([32, H], generator: &g) * 0.5
            if h0Grad { h0.requiresGrad = true }
            let c0 = Tensor.randn([32, H], generator: &g) * 0.5
            let wo = Tensor.randn([N, H], generator: &g)
            let r = FusedRecurrence.run(.lstm, data: x, batchSizes: sizes, reverse: reverse, h0: h0, c0: c0, weights: w)
            ((r.output * wo).sum() + r.h.sum() + r.c!.sum()).backward()
            return [r.output, x.grad] + w.tensors.map { $0?.grad }
        }
        let reference = run(threads: 1, h0Grad: true)
        for (i, (a, b)) in zip(run(threads: 0, h0Grad: false), reference).enumerated() {
            #expect(a?.scalars == b?.scalars, "result \(i)")
        }
    }

    /// One-hot input rows take the column-copy projection and the row-sum weight gradient
    /// (OneHotRows); almost-one-hot inputs (a 2, or two ones) take the GEMM. Both agree with the
    /// composed cell loop.
    @Test(arguments: ["one-hot", "a two", "two ones"])
    func oneHotInputsMatchTheComposedLoop(input: String) {
        let (T, B, V, H) = (6, 4, 11, 20)
        var g = Generator(seed: 9)
        var x = [Float](repeating: 0, count: T * B * V)
        for r in 0..<(T * B) { x[r * V + Int(Tensor.randint(0, V, [1], generator: &g).scalars[0])] = 1 }
        if input == "a two" { x[5 * V + (0..<V).first { x[5 * V + $0] == 1 }!] = 2 }
        if input == "two ones" { x[7 * V] = 1; x[7 * V + 1] = 1 }
        let w = Self.weights(.lstm, I: V, H: H, seed: 10)
        let data = Tensor(shape: [T * B, V], scalars: x).requiringGrad()
        let wo = Tensor.randn([T * B, H], generator: &g)
        let r = FusedRecurrence.run(.lstm, data: data, batchSizes: Array(repeating: B, count: T), reverse: false,
                                    h0: Tensor.zeros([B, H]), c0: Tensor.zeros([B, H]), weights: w)
        ((r.output * wo).sum() + r.c!.sum()).backward()
        let wC = Self.weights(.lstm, I: V, H: H, seed: 10)
        let dataC = Tensor(shape: [T * B, V], scalars: x).requiringGrad()
        let composed = CellMath.sequence(.lstm, dataC.reshape([T, B, V]), h0: Tensor.zeros([B, H]), c0: Tensor.zeros([B, H]),
                                         wC, reverse: false)
        ((composed.output.reshape([T * B, H]) * wo).sum() + composed.c!.sum()).backward()
        expectClose(r.output, composed.output.reshape([T * B, H]), "output")
        expectClose(data.grad, dataC.grad!, "grad x")
        for (a, b) in zip(w.tensors, wC.tensors) where a != nil {
            expectClose(a!.grad, b!.grad!, "grad weight \(a!.shape)")
        }
        #expect((OneHotRows(data.storage.pointer(Float.self), rows: T * B, cols: V) != nil) == (input == "one-hot"))
    }
}

/// The fused op's saved state must not keep its own result alive (a cycle through the node would
/// leak every forward pass that is never backpropagated, e.g. evaluation without withNoGrad).
@Suite("Fused recurrence: no reference cycles")
struct FusedRecurrenceLifetimeTests {
    @Test(arguments: [RecurrentKind.lstm, .gru, .rnn(.tanh)])
    func aForwardWithoutBackwardFreesEverything(kind: RecurrentKind) {
        let w = ParallelRecurrenceTests.weights(kind, I: 3, H: 5, seed: 1)
        weak var flat: Tensor?
        weak var output: Tensor?
        do {
            let r = FusedRecurrence.run(kind, data: Tensor.randn([8, 3]), batchSizes: [2, 2, 2, 2], reverse: false,
                                        h0: Tensor.zeros([2, 5]), c0: kind == .lstm ? Tensor.zeros([2, 5]) : nil, weights: w)
            output = r.output
            flat = r.output.gradFn?.inputs.first          // the op's flat result, behind the output window
            #expect(flat != nil)
        }
        #expect(output == nil)
        #expect(flat == nil)
    }
}
