import Foundation
import Loom

/// The tutorials' small programs (see `loom demo --help`).
enum Demos {
    static func tensor() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).requiringGrad()
        let y = (x * x).sum()
        y.backward()
        print("x =", x)
        print("y = sum(x * x) =", y)
        print("dy/dx = 2x =", x.grad!)
    }

    /// Tutorial 002: the structure of RNN, LSTM and GRU.
    static func shapes() {
        let cell = RNNCell(inputSize: 10, hiddenSize: 20)
        let x = Tensor.randn([5, 3, 10])          // (T, B, I)
        var h = Tensor.zeros([3, 20])
        for t in 0..<5 { h = cell(x[t], state: h) }
        print("RNNCell: one step at a time, explicit hidden state")
        print("  input (T, B, I) =", x.shape, "→ last hidden", h.shape)
        let rnn = RNN(inputSize: 10, hiddenSize: 20, numLayers: 2)
        let (out, hn) = rnn(x)
        print("RNN(10, 20, num_layers=2): whole sequence, zero initial state")
        print("  output (T, B, H) =", out.shape, " h_n (layers, B, H) =", hn.shape)
        print("  out[-1] == h_n[-1]:", out[-1].allClose(hn[-1]))
        let bf = RNN(inputSize: 10, hiddenSize: 20, batchFirst: true)
        let (outBF, hnBF) = bf(Tensor.randn([3, 5, 10]))
        print("RNN(batch_first=True): input (B, T, I) = [3, 5, 10] → output", outBF.shape, " h_n", hnBF.shape, "(states stay (layers, B, H))")
        let lstm = LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2, bidirectional: true)
        let (o2, s2) = lstm(x, state: LSTMState(h: Tensor.zeros([4, 3, 20]), c: Tensor.zeros([4, 3, 20])))
        print("LSTM(10, 20, num_layers=2, bidirectional=True) with h0, c0: output", o2.shape, " h_n", s2.h.shape, " c_n", s2.c.shape)
        let gru = GRU(inputSize: 10, hiddenSize: 20)
        let (o3, h3) = gru(x)
        print("GRU(10, 20): output", o3.shape, " h_n", h3.shape, " out[-1] == h_n[-1]:", o3[-1].allClose(h3[-1]))
        print(lstm)
    }

    /// Tutorial 001: a 2-layer batch-first LSTM with a linear head.
    static func multilayer(epochs: Int) {
        let lstm = LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2, batchFirst: true)
        let fc = Linear(20, 1)
        let x = Tensor.randn([16, 5, 10]), y = Tensor.randn([16, 1])
        let opt = Adam(lstm.parameters() + fc.parameters(), lr: 0.01)
        let (out, state) = lstm(x)
        print("input", x.shape, "→ output", out.shape, " h_n", state.h.shape, " c_n", state.c.shape)
        for epoch in 1...epochs {
            let (o, _) = lstm(x)
            let loss = mseLoss(fc(o[.all, -1, .all]), y)
            opt.zeroGrad()
            loss.backward()
            opt.step()
            if epoch == 1 || epoch % max(epochs / 10, 1) == 0 { print(String(format: "epoch %3d  loss %.6f", epoch, loss.doubleItem())) }
        }
    }

    /// Tutorial 002: a GRU that maps sin to cos.
    static func sincos(epochs: Int, seed: UInt64, plot: String?) throws {
        let (tx, ty) = SinCosData.make()
        let xs = tx.scalars, ys = ty.scalars
        let loader = DataLoader(TensorDataset(tx, ty), batchSize: 32, shuffle: true, generator: Generator(seed: seed))
        let gru = GRU(inputSize: 1, hiddenSize: 16, batchFirst: true), lin = Linear(16, 10)
        let opt = Adam(gru.parameters() + lin.parameters(), lr: 1e-2)
        for epoch in 1...epochs {
            var total = 0.0, batches = 0
            for (bx, by) in loader {
                let loss = mseLoss(lin(gru(bx).0[.all, -1, .all]), by)
                opt.zeroGrad(); loss.backward(); opt.step()
                total += loss.doubleItem(); batches += 1
            }
            if epoch == 1 || epoch % max(epochs / 10, 1) == 0 { print(String(format: "epoch %3d  loss %.6f", epoch, total / Double(batches))) }
        }
        let predicted = withNoGrad { lin(gru(tx).0[.all, -1, .all]) }
        print(String(format: "final MSE over all 100 samples: %.6f", mseLoss(predicted, ty).doubleItem()))
        if let plot {
            var chart = LineChart(title: "GRU: sin → cos (first 5 samples)", xLabel: "step", yLabel: "value")
            chart.add(series: "sin (input)", y: Array(xs.prefix(50)).map(Double.init), style: .dotted)
            chart.add(series: "cos (target)", y: Array(ys.prefix(50)).map(Double.init))
            chart.add(series: "GRU", y: Array(predicted.doubleScalars.prefix(50)), style: .dashed)
            try chart.write(to: URL(fileURLWithPath: plot))
            print("Plot written to \(plot)")
        }
    }

    /// Tutorial 004: an LSTM on a noisy sine.
    static func noisySine(epochs: Int, seed: UInt64, plot: String?) throws {
        var g = Generator(seed: seed)
        let t = Tensor.linspace(0, 100, steps: 1000, dtype: .float64).doubleScalars
        let raw = t.map { Foundation.sin($0) + 0.1 * g.nextNormal() }
        let scaler = MinMaxScaler(featureRange: (0, 1))
        let scaled = scaler.fitTransform(raw)
        let (sx, sy) = try slidingWindows(scaled, window: 50)
        let loader = DataLoader(TensorDataset(sx, sy), batchSize: 16, shuffle: true, generator: Generator(seed: seed))
        let lstm = LSTM(inputSize: 1, hiddenSize: 50, batchFirst: true), fc = Linear(50, 1)
        let opt = Adam(lstm.parameters() + fc.parameters(), lr: 0.01)
        print("windows", sx.shape, "targets", sy.shape)
        for epoch in 1...epochs {
            var total = 0.0, batches = 0
            for (bx, by) in loader {
                let loss = mseLoss(fc(lstm(bx).0[.all, -1, .all]), by)
                opt.zeroGrad(); loss.backward(); opt.step()
                total += loss.doubleItem(); batches += 1
            }
            print(String(format: "epoch %2d  loss %.6f", epoch, total / Double(batches)))
        }
        let predicted = withNoGrad { fc(lstm(sx).0[.all, -1, .all]) }
        print(String(format: "MSE on all windows: %.6f", mseLoss(predicted, sy).doubleItem()))
        if let plot {
            var chart = LineChart(title: "LSTM on a noisy sine (scaled to [0, 1])", xLabel: "window", yLabel: "value")
            chart.add(series: "target", y: Array(sy.doubleScalars.prefix(200)))
            chart.add(series: "LSTM", y: Array(predicted.doubleScalars.prefix(200)), style: .dashed)
            try chart.write(to: URL(fileURLWithPath: plot))
            print("Plot written to \(plot)")
        }
    }

    /// Tutorial 003: the LSTM from its gate equations.
    static func scratchLSTM(epochs: Int) {
        let cell = LSTMCell(inputSize: 1, hiddenSize: 16)
        let scratch = ScratchLSTM(copying: cell)
        let x = Tensor.randn([8, 4, 1])
        let (out, _) = scratch(x)
        var s = LSTMState(h: Tensor.zeros([4, 16]), c: Tensor.zeros([4, 16]))
        for t in 0..<8 { s = cell(x[t], state: s) }
        print("ScratchLSTM(copying: LSTMCell) equals LSTMCell:", out[-1].allClose(s.h, rtol: 1e-5, atol: 1e-6))
        // Train the scratch LSTM + a linear head to predict the next value of a sine.
        let model = ScratchLSTM(inputSize: 1, hiddenSize: 16), head = Linear(16, 1)
        let opt = Adam(model.parameters() + head.parameters(), lr: 0.01)
        let series = (0..<60).map { Float(Foundation.sin(Double($0) * 0.3)) }
        // (T = 20, B = 40): sequence b starts at offset b mod 20.
        let inputs = Tensor(shape: [20, 40, 1], scalars: (0..<20).flatMap { t in (0..<40).map { b in series[t + b % 20] } })
        let targets = Tensor(shape: [40, 1], scalars: (0..<40).map { series[20 + $0 % 20] })
        for epoch in 1...epochs {
            let (o, _) = model(inputs)
            let loss = mseLoss(head(o[-1]), targets)
            opt.zeroGrad(); loss.backward(); opt.step()
            if epoch == 1 || epoch % max(epochs / 10, 1) == 0 { print(String(format: "epoch %3d  loss %.6f", epoch, loss.doubleItem())) }
        }
    }
}
