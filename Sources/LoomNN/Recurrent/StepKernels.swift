import CLoomKernels
import RealModule

/// The per-step point-wise math of the fused recurrences. Float32 runs the vectorized C kernels
/// (CLoomRecurrent.h); Float64 runs the same equations here in Swift. Row strides are explicit
/// because states live inside larger buffers. Legend: n active rows, H hidden size.
enum StepKernels {
    @inline(__always)
    private static func f32<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    @inline(__always)
    private static func sigmoid<T: TensorScalar>(_ x: T) -> T { 1 / (1 + T.exp(-x)) }

    static func lstmStep<T: TensorScalar>(_ gates: UnsafeMutablePointer<T>, cprev: UnsafeMutablePointer<T>, ldcprev: Int,
                                          c: UnsafeMutablePointer<T>, ldc: Int, tc: UnsafeMutablePointer<T>,
                                          m: UnsafeMutablePointer<T>, ldm: Int, n: Int, H: Int) {
        if T.self == Float.self {
            loom_lstm_step_f32(f32(gates), f32(cprev), ldcprev, f32(c), ldc, f32(tc), f32(m), ldm, n, H)
            return
        }
        for r in 0..<n {
            let g = gates + r * 4 * H
            for j in 0..<H {
                let i = sigmoid(g[j]), f = sigmoid(g[H + j]), gg = T.tanh(g[2 * H + j]), o = sigmoid(g[3 * H + j])
                let cv = f * cprev[r * ldcprev + j] + i * gg
                let t = T.tanh(cv)
                g[j] = i; g[H + j] = f; g[2 * H + j] = gg; g[3 * H + j] = o
                c[r * ldc + j] = cv; tc[r * H + j] = t; m[r * ldm + j] = o * t
            }
        }
    }

    static func lstmStepBackward<T: TensorScalar>(_ gates: UnsafeMutablePointer<T>, cprev: UnsafeMutablePointer<T>, ldcprev: Int,
                                                  tc: UnsafeMutablePointer<T>, dm: UnsafeMutablePointer<T>, ldm: Int,
                                                  dc: UnsafeMutablePointer<T>, lddc: Int, dz: UnsafeMutablePointer<T>,
                                                  n: Int, H: Int) {
        if T.self == Float.self {
            loom_lstm_step_backward_f32(f32(gates), f32(cprev), ldcprev, f32(tc), f32(dm), ldm, f32(dc), lddc, f32(dz), n, H)
            return
        }
        for r in 0..<n {
            let g = gates + r * 4 * H, d = dz + r * 4 * H
            for j in 0..<H {
                let i = g[j], f = g[H + j], gg = g[2 * H + j], o = g[3 * H + j], t = tc[r * H + j]
                let dmv = dm[r * ldm + j]
                let dcv = dc[r * lddc + j] + dmv * o * (1 - t * t)
                d[j] = dcv * gg * i * (1 - i)
                d[H + j] = dcv * cprev[r * ldcprev + j] * f * (1 - f)
                d[2 * H + j] = dcv * i * (1 - gg * gg)
                d[3 * H + j] = dmv * t * o * (1 - o)
                dc[r * lddc + j] = dcv * f
            }
        }
    }

    /// hg holds h·W_hhᵀ; b_hh (3H, optional) is added to it in place first.
    static func gruStep<T: TensorScalar>(_ xg: UnsafeMutablePointer<T>, hg: UnsafeMutablePointer<T>, bhh: UnsafeMutablePointer<T>?,
                                         hprev: UnsafeMutablePointer<T>, ldhprev: Int,
                                         h: UnsafeMutablePointer<T>, ldh: Int, n: Int, H: Int) {
        if T.self == Float.self {
            loom_gru_step_f32(f32(xg), f32(hg), bhh.map { UnsafePointer(f32($0)) }, f32(hprev), ldhprev, f32(h), ldh, n, H)
            return
        }
        for r in 0..<n {
            let x = xg + r * 3 * H, hh = hg + r * 3 * H
            if let bhh { for j in 0..<(3 * H) { hh[j] += bhh[j] } }
            for j in 0..<H {
                let rg = sigmoid(x[j] + hh[j])
                let zg = sigmoid(x[H + j] + hh[H + j])
                let ng = T.tanh(x[2 * H + j] + rg * hh[2 * H + j])
                x[j] = rg; x[H + j] = zg; x[2 * H + j] = ng
                h[r * ldh + j] = (1 - zg) * ng + zg * hprev[r * ldhprev + j]
            }
        }
    }

    static func gruStepBackward<T: TensorScalar>(_ gates: UnsafeMutablePointer<T>, hg: UnsafeMutablePointer<T>,
                                                 hprev: UnsafeMutablePointer<T>, ldhprev: Int,
                                                 dh: UnsafeMutablePointer<T>, lddh: Int,
                                                 dxg: UnsafeMutablePointer<T>, dhg: UnsafeMutablePointer<T>,
                                                 dhprev: UnsafeMutablePointer<T>, lddhprev: Int, n: Int, H: Int) {
        if T.self == Float.self {
            loom_gru_step_backward_f32(f32(gates), f32(hg), f32(hprev), ldhprev, f32(dh), lddh, f32(dxg), f32(dhg),
                                       f32(dhprev), lddhprev, n, H)
            return
        }
        for r in 0..<n {
            let g = gates + r * 3 * H, hh = hg + r * 3 * H, dx = dxg + r * 3 * H, dhh = dhg + r * 3 * H
            for j in 0..<H {
                let rg = g[j], zg = g[H + j], ng = g[2 * H + j], d = dh[r * lddh + j]
                let dn = d * (1 - zg) * (1 - ng * ng)
                let dzv = d * (hprev[r * ldhprev + j] - ng) * zg * (1 - zg)
                let drv = dn * hh[2 * H + j] * rg * (1 - rg)
                dx[j] = drv; dx[H + j] = dzv; dx[2 * H + j] = dn
                dhh[j] = drv; dhh[H + j] = dzv; dhh[2 * H + j] = dn * rg
                dhprev[r * lddhprev + j] += d * zg
            }
        }
    }

    static func rnnStep<T: TensorScalar>(_ x: UnsafeMutablePointer<T>, ld: Int, n: Int, H: Int, relu: Bool) {
        if T.self == Float.self {
            loom_rnn_step_f32(f32(x), ld, n, H, relu ? 1 : 0)
            return
        }
        for r in 0..<n {
            for j in 0..<H {
                let v = x[r * ld + j]
                x[r * ld + j] = relu ? (v > 0 ? v : 0) : T.tanh(v)
            }
        }
    }

    static func rnnStepBackward<T: TensorScalar>(_ h: UnsafeMutablePointer<T>, ldh: Int, dh: UnsafeMutablePointer<T>, lddh: Int,
                                                 dz: UnsafeMutablePointer<T>, n: Int, H: Int, relu: Bool) {
        if T.self == Float.self {
            loom_rnn_step_backward_f32(f32(h), ldh, f32(dh), lddh, f32(dz), n, H, relu ? 1 : 0)
            return
        }
        for r in 0..<n {
            for j in 0..<H {
                let hv = h[r * ldh + j], d = dh[r * lddh + j]
                dz[r * H + j] = relu ? (hv > 0 ? d : 0) : d * (1 - hv * hv)
            }
        }
    }
}
