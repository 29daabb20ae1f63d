/// One step of each cell written with ordinary tensor ops (composed, op by op). These are the
/// reference the fused whole-sequence kernels are tested against, and what the `…Cell` modules
/// run. Shapes: x (B, I), h (B, H_out), c (B, H).
public enum CellMath {
    /// i, f, g, o = split(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh); c′ = σ(f)·c + σ(i)·tanh(g);
    /// h′ = σ(o)·tanh(c′), projected by W_hr when present.
    public static func lstm(_ x: Tensor, h: Tensor, c: Tensor, _ w: RecurrentWeights) -> (h: Tensor, c: Tensor) {
        let gates = affine(x, h, w)
        let parts = gates.chunk(4, dim: -1)
        let i = parts[0].sigmoid(), f = parts[1].sigmoid(), g = parts[2].tanh(), o = parts[3].sigmoid()
        let c2 = f * c + i * g
        var h2 = o * c2.tanh()
        if let wHR = w.wHR { h2 = h2.matmul(wHR.t()) }
        return (h2, c2)
    }

    /// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), h′ = (1 − z)·n + z·h,
    /// where x_* = x·W_iᵀ + b_i and h_* = h·W_hᵀ + b_h per gate.
    public static func gru(_ x: Tensor, h: Tensor, _ w: RecurrentWeights) -> Tensor {
        var gi = x.matmul(w.wIH.t())
        var gh = h.matmul(w.wHH.t())
        if let b = w.bIH { gi = gi + b }
        if let b = w.bHH { gh = gh + b }
        let xi = gi.chunk(3, dim: -1), hh = gh.chunk(3, dim: -1)
        let r = (xi[0] + hh[0]).sigmoid()
        let z = (xi[1] + hh[1]).sigmoid()
        let n = (xi[2] + r * hh[2]).tanh()
        return (1 - z) * n + z * h
    }

    /// h′ = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh).
    public static func rnn(_ x: Tensor, h: Tensor, _ w: RecurrentWeights, nonlinearity: Nonlinearity) -> Tensor {
        let pre = affine(x, h, w)
        return nonlinearity == .tanh ? pre.tanh() : pre.relu()
    }

    private static func affine(_ x: Tensor, _ h: Tensor, _ w: RecurrentWeights) -> Tensor {
        var y = x.matmul(w.wIH.t()) + h.matmul(w.wHH.t())
        if let b = w.bIH { y = y + b }
        if let b = w.bHH { y = y + b }
        return y
    }

    /// Runs a whole padded sequence (T, B, I) step by step with the composed cell, forwards or
    /// backwards in time. Returns the outputs (T, B, H_out), h_T and c_T.
    public static func sequence(_ kind: RecurrentKind, _ x: Tensor, h0: Tensor, c0: Tensor?, _ w: RecurrentWeights,
                                reverse: Bool = false) -> (output: Tensor, h: Tensor, c: Tensor?) {
        var h = h0, c = c0
        var outputs = [Tensor?](repeating: nil, count: x.shape[0])
        let order = reverse ? Array((0..<x.shape[0]).reversed()) : Array(0..<x.shape[0])
        for t in order {
            let xt = x[t]
            switch kind {
            case .lstm:
                let s = lstm(xt, h: h, c: c!, w)
                h = s.h; c = s.c
            case .gru:
                h = gru(xt, h: h, w)
            case .rnn(let act):
                h = rnn(xt, h: h, w, nonlinearity: act)
            }
            outputs[t] = h
        }
        return (Tensor.stack(outputs.map { $0! }), h, c)
    }
}
