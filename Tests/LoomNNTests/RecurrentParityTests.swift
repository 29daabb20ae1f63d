import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

/// Parity with PyTorch (scripts/fixtures/recurrent.py): every kind × layers × directions ×
/// batch-first × initial state × padded/packed (+ unbatched), comparing outputs, final states
/// and the gradients of every parameter, the input and the initial states element by element.
/// The "wide_" fixtures (recurrent_wide.py) add H = 20 and 50 with batch 8 and one-hot inputs.
@Suite("Recurrent layers: parity with PyTorch")
struct RecurrentParityTests {
    static let kinds = ["rnn_tanh", "rnn_relu", "lstm", "lstm_proj", "gru"]
    static let fixtures = kinds + ["wide_lstm_h20", "wide_gru_h20", "wide_rnn_tanh_h20", "wide_lstm_h50_onehot"]

    static func makeLayer(_ kind: String, _ cfg: [String: Any], _ meta: [String: Any], dtype: DType) -> RecurrentLayer {
        let I = meta["I"] as! Int, H = meta["H"] as! Int, P = meta["P"] as! Int
        let layers = cfg["layers"] as! Int, bi = cfg["bidirectional"] as! Bool, bf = cfg["batch_first"] as! Bool
        switch kind {
        case "rnn_tanh": return RNN(inputSize: I, hiddenSize: H, numLayers: layers, nonlinearity: .tanh, batchFirst: bf, bidirectional: bi, dtype: dtype)
        case "rnn_relu": return RNN(inputSize: I, hiddenSize: H, numLayers: layers, nonlinearity: .relu, batchFirst: bf, bidirectional: bi, dtype: dtype)
        case "lstm": return LSTM(inputSize: I, hiddenSize: H, numLayers: layers, batchFirst: bf, bidirectional: bi, dtype: dtype)
        case "lstm_proj": return LSTM(inputSize: I, hiddenSize: H, numLayers: layers, batchFirst: bf, bidirectional: bi, projSize: P, dtype: dtype)
        default: return GRU(inputSize: I, hiddenSize: H, numLayers: layers, batchFirst: bf, bidirectional: bi, dtype: dtype)
        }
    }

    /// Runs a layer (padded or packed input) and returns (padded output, h_n, c_n).
    static func forward(_ layer: RecurrentLayer, x: Tensor, h0: Tensor?, c0: Tensor?, packedLengths: [Int]?,
                        batchFirst: Bool) -> (Tensor, Tensor, Tensor?) {
        if let lengths = packedLengths {
            let packed = packPaddedSequence(x, lengths: lengths, batchFirst: batchFirst, enforceSorted: false)
            let T = x.shape[batchFirst ? 1 : 0]
            switch layer {
            case let l as LSTM:
                let (o, s) = l(packed, state: h0.map { LSTMState(h: $0, c: c0!) })
                return (padPackedSequence(o, batchFirst: batchFirst, totalLength: T).0, s.h, s.c)
            case let l as GRU:
                let (o, h) = l(packed, state: h0)
                return (padPackedSequence(o, batchFirst: batchFirst, totalLength: T).0, h, nil)
            case let l as RNN:
                let (o, h) = l(packed, state: h0)
                return (padPackedSequence(o, batchFirst: batchFirst, totalLength: T).0, h, nil)
            default: fatalError()
            }
        }
        switch layer {
        case let l as LSTM:
            let (o, s) = l(x, state: h0.map { LSTMState(h: $0, c: c0!) })
            return (o, s.h, s.c)
        case let l as GRU: let (o, h) = l(x, state: h0); return (o, h, nil)
        case let l as RNN: let (o, h) = l(x, state: h0); return (o, h, nil)
        default: fatalError()
        }
    }

    @Test(arguments: fixtures, [DType.float32, .float64])
    func matchesPyTorch(fixture: String, dtype: DType) throws {
        let f = try Fixture("recurrent_\(fixture).json", bundle: .module)
        let kind = f.meta["kind"] as! String
        let configs = f.meta["configs"] as! [[String: Any]]
        // Float32 per the issue's bound; Float64 only limited by the fixture's 9 printed digits.
        let (atol, rtol) = dtype == .float32 ? (1e-5, 1e-4) : (1e-7, 1e-6)
        var worst = 0.0
        for (k, cfg) in configs.enumerated() {
            func t(_ name: String) -> Tensor { f.double("c\(k).\(name)").to(dtype) }
            let label = "\(fixture) c\(k) \(cfg.filter { $0.key != "lengths" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
            let layer = Self.makeLayer(kind, cfg, f.meta, dtype: dtype)
            var params: [String: Tensor] = [:]
            for (name, _) in layer.namedParameters() { params[name] = t("p." + name) }
            try layer.loadStateDict(params)
            let x = t("x").requiringGrad()
            let h0 = f.has("c\(k).h0") ? t("h0").requiringGrad() : nil
            let c0 = f.has("c\(k).c0") ? t("c0").requiringGrad() : nil
            let packed = cfg["packed"] as! Bool
            let (out, hn, cn) = Self.forward(layer, x: x, h0: h0, c0: c0,
                                             packedLengths: packed ? cfg["lengths"] as? [Int] : nil,
                                             batchFirst: cfg["batch_first"] as! Bool)
            var loss = (out * t("wo")).sum() + (hn * t("wh")).sum()
            if let cn { loss = loss + (cn * t("wc")).sum() }
            loss.backward()
            worst = max(worst, expectClose(out, t("out"), atol: atol, rtol: rtol, "\(label): output"))
            worst = max(worst, expectClose(hn, t("hn"), atol: atol, rtol: rtol, "\(label): h_n"))
            if let cn { worst = max(worst, expectClose(cn, t("cn"), atol: atol, rtol: rtol, "\(label): c_n")) }
            for (name, p) in layer.namedParameters() {
                worst = max(worst, expectClose(p.grad, t("g." + name), atol: atol, rtol: rtol, "\(label): grad \(name)"))
            }
            worst = max(worst, expectClose(x.grad, t("g.x"), atol: atol, rtol: rtol, "\(label): grad x"))
            if let h0 { worst = max(worst, expectClose(h0.grad, t("g.h0"), atol: atol, rtol: rtol, "\(label): grad h0")) }
            if let c0 { worst = max(worst, expectClose(c0.grad, t("g.c0"), atol: atol, rtol: rtol, "\(label): grad c0")) }
        }
        print("recurrent parity \(fixture) \(dtype): \(configs.count) configurations, max |diff| = \(worst)")
    }

    /// A state dict saved by PyTorch with safetensors loads unchanged and reproduces PyTorch.
    @Test func pytorchCheckpointLoadsAndReproducesOutputs() throws {
        let lstm = LSTM(inputSize: 3, hiddenSize: 6, numLayers: 2, batchFirst: true, bidirectional: true, projSize: 4)
        try lstm.load(from: Bundle.module.url(forResource: "Fixtures/lstm_checkpoint.safetensors", withExtension: nil)!)
        let f = try Fixture("lstm_checkpoint.json", bundle: .module)
        let (out, state) = withNoGrad { lstm(f["x"]) }
        expectClose(out, f["out"], "output")
        expectClose(state.h, f["hn"], "h_n")
        expectClose(state.c, f["cn"], "c_n")
    }
}
