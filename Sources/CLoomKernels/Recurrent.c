// Fused point-wise kernels of LSTM, GRU and Elman RNN steps (forward and backward).
//
// Hidden sizes are rarely multiples of the vector width (50, 100 …), and a compiler's
// vectorized loop with a scalar remainder — or its refusal to vectorize short loops — leaves
// most of the work scalar. So each row is processed in blocks of LANES elements: the block is
// loaded into local arrays (zero-padded at the end of a row), the math runs over exactly LANES
// lanes (always vectorized), and the valid part is stored back.
#include "CLoomRecurrent.h"
#include "InlineMath.h"

#define LANES 16

// Full blocks copy a constant LANES floats (one vector move); only a row's last block takes
// the element-by-element path.
static inline void load(float *restrict dst, const float *restrict src, size_t len) {
    if (len == LANES) {
        for (size_t k = 0; k < LANES; k++) dst[k] = src[k];
    } else {
        for (size_t k = 0; k < LANES; k++) dst[k] = k < len ? src[k] : 0.0f;
    }
}

static inline void store(float *restrict dst, const float *restrict src, size_t len) {
    if (len == LANES) {
        for (size_t k = 0; k < LANES; k++) dst[k] = src[k];
    } else {
        for (size_t k = 0; k < len; k++) dst[k] = src[k];
    }
}

// One block of an LSTM row: `len` valid elements computed over exactly W lanes (W is a
// constant after inlining: LANES, or LANES / 2 for a row's short last block, which halves the
// wasted lanes when H is not a multiple of LANES, e.g. H = 20 or 50).
static inline __attribute__((always_inline))
void lstm_block(float *restrict gi, float *restrict gf, float *restrict gg, float *restrict go, const float *restrict cp,
                float *restrict cr, float *restrict tr, float *restrict mr, size_t len, const size_t W) {
    float i[LANES], f[LANES], g[LANES], o[LANES], cv[LANES], t[LANES], mv[LANES];
    if (len == W) {
        for (size_t k = 0; k < W; k++) { i[k] = gi[k]; f[k] = gf[k]; g[k] = gg[k]; o[k] = go[k]; cv[k] = cp[k]; }
    } else {
        for (size_t k = 0; k < W; k++) {
            i[k] = k < len ? gi[k] : 0.0f; f[k] = k < len ? gf[k] : 0.0f; g[k] = k < len ? gg[k] : 0.0f;
            o[k] = k < len ? go[k] : 0.0f; cv[k] = k < len ? cp[k] : 0.0f;
        }
    }
    for (size_t k = 0; k < W; k++) {
        i[k] = loom_sigmoid1(i[k]); f[k] = loom_sigmoid1(f[k]);
        g[k] = loom_tanh1(g[k]); o[k] = loom_sigmoid1(o[k]);
        cv[k] = f[k] * cv[k] + i[k] * g[k];
        t[k] = loom_tanh1(cv[k]);
        mv[k] = o[k] * t[k];
    }
    if (len == W) {
        for (size_t k = 0; k < W; k++) { gi[k] = i[k]; gf[k] = f[k]; gg[k] = g[k]; go[k] = o[k]; cr[k] = cv[k]; tr[k] = t[k]; mr[k] = mv[k]; }
    } else {
        for (size_t k = 0; k < len; k++) { gi[k] = i[k]; gf[k] = f[k]; gg[k] = g[k]; go[k] = o[k]; cr[k] = cv[k]; tr[k] = t[k]; mr[k] = mv[k]; }
    }
}

LOOM_CLONES
void loom_lstm_step_f32(float *restrict gates, const float *restrict cprev, size_t ldcprev, float *restrict c, size_t ldc,
                        float *restrict tc, float *restrict m, size_t ldm, size_t n, size_t H) {
    for (size_t r = 0; r < n; r++) {
        float *gi = gates + r * 4 * H, *gf = gi + H, *gg = gf + H, *go = gg + H;
        const float *cp = cprev + r * ldcprev;
        float *cr = c + r * ldc, *tr = tc + r * H, *mr = m + r * ldm;
        size_t j = 0;
        for (; j + LANES <= H; j += LANES) lstm_block(gi + j, gf + j, gg + j, go + j, cp + j, cr + j, tr + j, mr + j, LANES, LANES);
        size_t rest = H - j;
        if (rest > LANES / 2) {
            lstm_block(gi + j, gf + j, gg + j, go + j, cp + j, cr + j, tr + j, mr + j, rest, LANES);
        } else if (rest > 0) {
            lstm_block(gi + j, gf + j, gg + j, go + j, cp + j, cr + j, tr + j, mr + j, rest, LANES / 2);
        }
    }
}

LOOM_CLONES
void loom_lstm_step_backward_f32(const float *restrict gates, const float *restrict cprev, size_t ldcprev, const float *restrict tc,
                                 const float *restrict dm, size_t ldm, float *restrict dc, size_t lddc, float *restrict dz,
                                 size_t n, size_t H) {
    for (size_t r = 0; r < n; r++) {
        const float *gi = gates + r * 4 * H, *gf = gi + H, *gg = gf + H, *go = gg + H;
        const float *cp = cprev + r * ldcprev, *tr = tc + r * H, *dmr = dm + r * ldm;
        float *dcr = dc + r * lddc;
        float *dzi = dz + r * 4 * H, *dzf = dzi + H, *dzg = dzf + H, *dzo = dzg + H;
        for (size_t j = 0; j < H; j += LANES) {
            size_t len = H - j < LANES ? H - j : LANES;
            float i[LANES], f[LANES], g[LANES], o[LANES], t[LANES], c0[LANES], d[LANES], dcv[LANES];
            float a[LANES], b[LANES], e[LANES], h[LANES];
            load(i, gi + j, len); load(f, gf + j, len); load(g, gg + j, len); load(o, go + j, len);
            load(t, tr + j, len); load(c0, cp + j, len); load(d, dmr + j, len); load(dcv, dcr + j, len);
            for (size_t k = 0; k < LANES; k++) {
                float dcn = dcv[k] + d[k] * o[k] * (1.0f - t[k] * t[k]);
                a[k] = dcn * g[k] * i[k] * (1.0f - i[k]);
                b[k] = dcn * c0[k] * f[k] * (1.0f - f[k]);
                e[k] = dcn * i[k] * (1.0f - g[k] * g[k]);
                h[k] = d[k] * t[k] * o[k] * (1.0f - o[k]);
                dcv[k] = dcn * f[k];
            }
            store(dzi + j, a, len); store(dzf + j, b, len); store(dzg + j, e, len); store(dzo + j, h, len);
            store(dcr + j, dcv, len);
        }
    }
}

LOOM_CLONES
void loom_gru_step_f32(float *restrict xg, const float *restrict hg, const float *restrict hprev, size_t ldhprev,
                       float *restrict h, size_t ldh, size_t n, size_t H) {
    for (size_t r = 0; r < n; r++) {
        float *xr = xg + r * 3 * H, *xz = xr + H, *xn = xz + H;
        const float *hr = hg + r * 3 * H, *hz = hr + H, *hn = hz + H;
        const float *hp = hprev + r * ldhprev;
        float *out = h + r * ldh;
        for (size_t j = 0; j < H; j += LANES) {
            size_t len = H - j < LANES ? H - j : LANES;
            float a[LANES], b[LANES], c[LANES], d[LANES], e[LANES], f[LANES], p[LANES], y[LANES];
            load(a, xr + j, len); load(b, xz + j, len); load(c, xn + j, len);
            load(d, hr + j, len); load(e, hz + j, len); load(f, hn + j, len); load(p, hp + j, len);
            for (size_t k = 0; k < LANES; k++) {
                float rg = loom_sigmoid1(a[k] + d[k]);
                float zg = loom_sigmoid1(b[k] + e[k]);
                float ng = loom_tanh1(c[k] + rg * f[k]);
                a[k] = rg; b[k] = zg; c[k] = ng;
                y[k] = (1.0f - zg) * ng + zg * p[k];
            }
            store(xr + j, a, len); store(xz + j, b, len); store(xn + j, c, len); store(out + j, y, len);
        }
    }
}

LOOM_CLONES
void loom_gru_step_backward_f32(const float *restrict gates, const float *restrict hg, const float *restrict hprev, size_t ldhprev,
                                const float *restrict dh, size_t lddh, float *restrict dxg, float *restrict dhg,
                                float *restrict dhprev, size_t lddhprev, size_t n, size_t H) {
    for (size_t r = 0; r < n; r++) {
        const float *gr = gates + r * 3 * H, *gz = gr + H, *gn = gz + H;
        const float *hn = hg + r * 3 * H + 2 * H;
        const float *hp = hprev + r * ldhprev, *dd = dh + r * lddh;
        float *dxr = dxg + r * 3 * H, *dxz = dxr + H, *dxn = dxz + H;
        float *dhr = dhg + r * 3 * H, *dhz = dhr + H, *dhn = dhz + H;
        float *dp = dhprev + r * lddhprev;
        for (size_t j = 0; j < H; j += LANES) {
            size_t len = H - j < LANES ? H - j : LANES;
            float rg[LANES], zg[LANES], ng[LANES], hh[LANES], p[LANES], d[LANES], acc[LANES];
            float a[LANES], b[LANES], c[LANES], e[LANES];
            load(rg, gr + j, len); load(zg, gz + j, len); load(ng, gn + j, len); load(hh, hn + j, len);
            load(p, hp + j, len); load(d, dd + j, len); load(acc, dp + j, len);
            for (size_t k = 0; k < LANES; k++) {
                float dn = d[k] * (1.0f - zg[k]) * (1.0f - ng[k] * ng[k]);
                float dzv = d[k] * (p[k] - ng[k]) * zg[k] * (1.0f - zg[k]);
                float drv = dn * hh[k] * rg[k] * (1.0f - rg[k]);
                a[k] = drv; b[k] = dzv; c[k] = dn; e[k] = dn * rg[k];
                acc[k] += d[k] * zg[k];
            }
            store(dxr + j, a, len); store(dxz + j, b, len); store(dxn + j, c, len);
            store(dhr + j, a, len); store(dhz + j, b, len); store(dhn + j, e, len);
            store(dp + j, acc, len);
        }
    }
}

LOOM_CLONES
void loom_rnn_step_f32(float *restrict x, size_t ld, size_t n, size_t H, int relu) {
    for (size_t r = 0; r < n; r++) {
        float *row = x + r * ld;
        for (size_t j = 0; j < H; j += LANES) {
            size_t len = H - j < LANES ? H - j : LANES;
            float v[LANES];
            load(v, row + j, len);
            if (relu) {
                for (size_t k = 0; k < LANES; k++) v[k] = v[k] > 0.0f ? v[k] : 0.0f;
            } else {
                for (size_t k = 0; k < LANES; k++) v[k] = loom_tanh1(v[k]);
            }
            store(row + j, v, len);
        }
    }
}

LOOM_CLONES
void loom_rnn_step_backward_f32(const float *restrict h, size_t ldh, const float *restrict dh, size_t lddh,
                                float *restrict dz, size_t n, size_t H, int relu) {
    for (size_t r = 0; r < n; r++) {
        const float *hr = h + r * ldh, *d = dh + r * lddh;
        float *out = dz + r * H;
        for (size_t j = 0; j < H; j += LANES) {
            size_t len = H - j < LANES ? H - j : LANES;
            float hv[LANES], dv[LANES], y[LANES];
            load(hv, hr + j, len); load(dv, d + j, len);
            for (size_t k = 0; k < LANES; k++) {
                y[k] = relu ? (hv[k] > 0.0f ? dv[k] : 0.0f) : dv[k] * (1.0f - hv[k] * hv[k]);
            }
            store(out + j, y, len);
        }
    }
}
