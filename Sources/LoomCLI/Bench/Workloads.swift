import Foundation
import Loom

/// The workloads of `../shared/bench/torch_ref.py`, defined the same way (sizes, optimizers,
/// step structure, reported fields), so the two JSON lines can be compared field by field.
/// Random data comes from Loom's generator (PyTorch's streams differ; timings do not depend on it).
enum Workloads {
    static let names = ["airline", "multilayer", "sincos", "noisysine", "charlm", "biglstm", "biggru", "matmul"]

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// Seed 000: LSTM(1→100) + Linear, batch 1, window 12, 150 epochs, Adam 1e-3.
    static func airline(epochs: Int?, seed: UInt64) throws -> [String: Any] {
        manualSeed(seed)
        let data = try SeriesSource.airline().values
        let train = Array(data.dropLast(12)), test = Array(data.suffix(12))
        let lo = train.min()!, hi = train.max()!
        let norm = train.map { Float(($0 - lo) / (hi - lo) * 2 - 1) }
        let tw = 12
        let seqs = (0..<(norm.count - tw)).map { i in
            (Tensor(shape: [tw, 1, 1], scalars: Array(norm[i..<(i + tw)])), Tensor(shape: [1], scalars: [norm[i + tw]]))
        }
        let lstm = LSTM(inputSize: 1, hiddenSize: 100), linear = Linear(100, 1)
        let opt = Adam(lstm.parameters() + linear.parameters(), lr: 0.001)
        func model(_ s: Tensor) -> Tensor { linear(lstm(s).0.reshape([s.shape[0], -1]))[-1] }
        let n = epochs ?? 150
        var last = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        Denormals.flushingToZero {
            for _ in 0..<n {
                for (s, y) in seqs {
                    opt.zeroGrad()
                    let loss = mseLoss(model(s), y)
                    loss.backward()
                    opt.step()
                    last = loss.doubleItem()
                }
            }
        }
        let trainS = seconds(since: start)
        var inputs = Array(norm.suffix(tw))
        let t1 = DispatchTime.now().uptimeNanoseconds
        withNoGrad {
            for _ in 0..<12 { inputs.append(model(Tensor(shape: [tw, 1, 1], scalars: Array(inputs.suffix(tw)))).item()) }
        }
        let forecastS = seconds(since: t1)
        let pred = inputs.suffix(12).map { (Double($0) + 1) / 2 * (hi - lo) + lo }
        let rmse = (zip(pred, test).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 12).squareRoot()
        let mape = zip(pred, test).map { abs($0 - $1) / $1 }.reduce(0, +) / 12 * 100
        let steps = n * seqs.count
        return ["workload": "airline", "epochs": n, "steps": steps, "train_s": trainS, "us_per_step": trainS / Double(steps) * 1e6,
                "forecast_s": forecastS, "rmse": rmse, "mape": mape, "last_loss": last]
    }

    /// Seed 001: 2-layer LSTM(10→20) batch-first, batch 16, seq 5, Linear(20→1), Adam 1e-2.
    static func multilayer(epochs: Int?, seed: UInt64) -> [String: Any] {
        manualSeed(seed)
        let lstm = LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2, batchFirst: true), fc = Linear(20, 1)
        let opt = Adam(lstm.parameters() + fc.parameters(), lr: 0.01)
        let x = Tensor.randn([16, 5, 10]), y = Tensor.randn([16, 1])
        let n = epochs ?? 2000
        var last = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        Denormals.flushingToZero {
            for _ in 0..<n {
                let (out, _) = lstm(x)
                let loss = mseLoss(fc(out[.all, -1, .all]), y)
                opt.zeroGrad()
                loss.backward()
                opt.step()
                last = loss.doubleItem()
            }
        }
        let s = seconds(since: start)
        return ["workload": "multilayer", "steps": n, "train_s": s, "us_per_step": s / Double(n) * 1e6, "last_loss": last]
    }

    /// `epochs` passes over `loader` of the tutorials' step (forward, MSE, zeroGrad, backward,
    /// optimizer step); returns the seconds taken and the number of steps.
    static func regressionEpochs(_ epochs: Int, _ loader: DataLoader<(Tensor, Tensor)>, _ optimizer: Optimizer,
                                 _ model: (Tensor) -> Tensor) -> (seconds: Double, steps: Int) {
        var steps = 0
        let start = DispatchTime.now().uptimeNanoseconds
        Denormals.flushingToZero {
            for _ in 0..<epochs {
                for (bx, by) in loader {
                    let loss = mseLoss(model(bx), by)
                    optimizer.zeroGrad()
                    loss.backward()
                    optimizer.step()
                    steps += 1
                }
            }
        }
        return (seconds(since: start), steps)
    }

    /// Seed 002: GRU(1→16) batch-first + Linear(16→10), 100 samples of 10 steps, batch 32 shuffled,
    /// 100 epochs, Adam 1e-2.
    static func sincos(epochs: Int?, seed: UInt64) -> [String: Any] {
        manualSeed(seed)
        let (tx, ty) = SinCosData.make()
        let loader = DataLoader(TensorDataset(tx, ty), batchSize: 32, shuffle: true, generator: Generator(seed: seed))
        let gru = GRU(inputSize: 1, hiddenSize: 16, batchFirst: true), lin = Linear(16, 10)
        let opt = Adam(gru.parameters() + lin.parameters(), lr: 1e-2)
        let n = epochs ?? 100
        let (s, steps) = regressionEpochs(n, loader, opt) { lin(gru($0).0[.all, -1, .all]) }
        let full = withNoGrad { mseLoss(lin(gru(tx).0[.all, -1, .all]), ty).doubleItem() }
        return ["workload": "sincos", "epochs": n, "steps": steps, "train_s": s, "us_per_step": s / Double(steps) * 1e6, "final_mse": full]
    }

    /// Seed 004: LSTM(1→50) batch-first, 950 windows of 50 of a noisy sine, batch 16 shuffled,
    /// Adam 1e-2, 20 epochs.
    static func noisysine(epochs: Int?, seed: UInt64) -> [String: Any] {
        manualSeed(seed)
        var g = Generator(seed: 0)
        let x = Tensor.linspace(0, 100, steps: 1000, dtype: .float64).doubleScalars
        let y = x.map { Foundation.sin($0) + 0.1 * g.nextNormal() }
        let lo = y.min()!, hi = y.max()!
        let d = y.map { ($0 - lo) / (hi - lo) }
        let L = 50
        var seqs: [Float] = [], tg: [Float] = []
        for i in 0..<(d.count - L) {
            seqs += d[i..<(i + L)].map { Float($0) }
            tg.append(Float(d[i + L]))
        }
        let sx = Tensor(shape: [d.count - L, L, 1], scalars: seqs), sy = Tensor(shape: [d.count - L, 1], scalars: tg)
        let loader = DataLoader(TensorDataset(sx, sy), batchSize: 16, shuffle: true, generator: Generator(seed: seed))
        let lstm = LSTM(inputSize: 1, hiddenSize: 50, batchFirst: true), fc = Linear(50, 1)
        let opt = Adam(lstm.parameters() + fc.parameters(), lr: 0.01)
        let n = epochs ?? 20
        let (s, steps) = regressionEpochs(n, loader, opt) { fc(lstm($0).0[.all, -1, .all]) }
        let mse = withNoGrad { mseLoss(fc(lstm(sx).0[.all, -1, .all]), sy).doubleItem() }
        return ["workload": "noisysine", "epochs": n, "steps": steps, "train_s": s, "us_per_step": s / Double(steps) * 1e6, "final_mse": mse]
    }

    /// Seed 003 (d2l): char LSTM LM, vocabulary 28, hidden 256, batch 32, 35 steps, SGD lr 1, clip 1.
    static func charlm(epochs: Int?, seed: UInt64) -> [String: Any] {
        manualSeed(seed)
        let (V, H, B, T) = (28, 256, 32, 35)
        let lstm = LSTM(inputSize: V, hiddenSize: H), lin = Linear(H, V)
        let params = lstm.parameters() + lin.parameters()
        let opt = SGD(params, lr: 1.0)
        var g = Generator(seed: seed)
        let tokens = Tensor.randint(0, V, [B, T + 1], generator: &g)
        let n = epochs ?? 200
        let start = DispatchTime.now().uptimeNanoseconds
        Denormals.flushingToZero {
            for _ in 0..<n {
                let X = Tensor.oneHot(tokens[.all, ..<T].transpose(0, 1), numClasses: V)
                let Y = tokens[.all, 1...].transpose(0, 1).reshape([-1])
                let (out, _) = lstm(X)
                let loss = crossEntropy(lin(out.reshape([-1, H])), Y)
                opt.zeroGrad()
                loss.backward()
                clipGradNorm(params, maxNorm: 1.0)
                opt.step()
            }
        }
        let s = seconds(since: start)
        return ["workload": "charlm", "steps": n, "train_s": s, "us_per_step": s / Double(n) * 1e6, "tokens_per_s": Double(n * B * T) / s]
    }

    /// Throughput: 2-layer LSTM/GRU, input 256, hidden 512, batch 64, seq 100.
    static func big(_ kind: RecurrentModelKind, epochs: Int?, seed: UInt64) -> [String: Any] {
        manualSeed(seed)
        let (I, H, B, T, layers) = (256, 512, 64, 100, 2)
        let layer: RecurrentLayer = kind == .lstm ? LSTM(inputSize: I, hiddenSize: H, numLayers: layers)
            : GRU(inputSize: I, hiddenSize: H, numLayers: layers)
        let gates = kind == .lstm ? 4 : 3
        let x = Tensor.randn([T, B, I])
        let n = epochs ?? 5
        let fwdFlops = (0..<layers).reduce(0.0) { acc, l in acc + 2 * Double(B * gates * H * ((l == 0 ? I : H) + H) * T) }
        let (inf, tr) = Denormals.flushingToZero { () -> (Double, Double) in
            withNoGrad { _ = layer.forward(x) }
            var start = DispatchTime.now().uptimeNanoseconds
            withNoGrad { for _ in 0..<n { _ = layer.forward(x) } }
            let inf = seconds(since: start) / Double(n)
            layer.forward(x).output.sum().backward()
            start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { layer.forward(x).output.sum().backward() }
            return (inf, seconds(since: start) / Double(n))
        }
        return ["workload": "big\(kind.rawValue)", "infer_ms": inf * 1e3, "train_step_ms": tr * 1e3,
                "infer_gflops": fwdFlops / inf / 1e9, "train_gflops": 3 * fwdFlops / tr / 1e9]
    }
}
