// Fused point-wise kernels of LSTM, GRU and Elman RNN steps (forward and backward).
// Each inner loop runs over one row's H hidden units and vectorizes (see InlineMath.h).
#include "CLoomRecurrent.h"
#include "InlineMath.h"

LOOM_CLONES
void loom_lstm_step_f32(float *restrict gates, const float *restrict cprev, size_t ldcprev, float *restrict c, size_t ldc,
                        float *restrict tc, float *restrict m, size_t ldm, size_t n, size_t H) {
    for (size_t r = 0; r < n; r++) {
        float *gi = gates + r * 4 * H, *gf = gi + H, *gg = gf + H, *go = gg + H;
        const float *cp = cprev + r * ldcprev;
        float *cr = c + r * ldc, *tr = tc + r * H, *mr = m + r * ldm;
        for (size_t j = 0; j < H; j++) {
            float i = loom_sigmoid1(gi[j]), f = loom_sigmoid1(gf[j]);
            float g = loom_tanh1(gg[j]), o = loom_sigmoid1(go[j]);
            float cv = f * cp[j] + i * g;
            float t = loom_tanh1(cv);
            gi[j] = i; gf[j] = f; gg[j] = g; go[j] = o;
            cr[j] = cv; tr[j] = t; mr[j] = o * t;
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
        for (size_t j = 0; j < H; j++) {
            float i = gi[j], f = gf[j], g = gg[j], o = go[j], t = tr[j];
            float dcv = dcr[j] + dmr[j] * o * (1.0f - t * t);
            dzi[j] = dcv * g * i * (1.0f - i);
            dzf[j] = dcv * cp[j] * f * (1.0f - f);
            dzg[j] = dcv * i * (1.0f - g * g);
            dzo[j] = dmr[j] * t * o * (1.0f - o);
            dcr[j] = dcv * f;
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
        for (size_t j = 0; j < H; j++) {
            float rg = loom_sigmoid1(xr[j] + hr[j]);
            float zg = loom_sigmoid1(xz[j] + hz[j]);
            float ng = loom_tanh1(xn[j] + rg * hn[j]);
            xr[j] = rg; xz[j] = zg; xn[j] = ng;
            out[j] = (1.0f - zg) * ng + zg * hp[j];
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
        const float *hp = hprev + r * ldhprev, *d = dh + r * lddh;
        float *dxr = dxg + r * 3 * H, *dxz = dxr + H, *dxn = dxz + H;
        float *dhr = dhg + r * 3 * H, *dhz = dhr + H, *dhn = dhz + H;
        float *dp = dhprev + r * lddhprev;
        for (size_t j = 0; j < H; j++) {
            float rg = gr[j], zg = gz[j], ng = gn[j];
            float dn = d[j] * (1.0f - zg) * (1.0f - ng * ng);
            float dzv = d[j] * (hp[j] - ng) * zg * (1.0f - zg);
            float drv = dn * hn[j] * rg * (1.0f - rg);
            dxr[j] = drv; dxz[j] = dzv; dxn[j] = dn;
            dhr[j] = drv; dhz[j] = dzv; dhn[j] = dn * rg;
            dp[j] += d[j] * zg;
        }
    }
}

LOOM_CLONES
void loom_rnn_step_f32(float *restrict x, size_t ld, size_t n, size_t H, int relu) {
    for (size_t r = 0; r < n; r++) {
        float *row = x + r * ld;
        if (relu) {
            for (size_t j = 0; j < H; j++) row[j] = row[j] > 0.0f ? row[j] : 0.0f;
        } else {
            for (size_t j = 0; j < H; j++) row[j] = loom_tanh1(row[j]);
        }
    }
}

LOOM_CLONES
void loom_rnn_step_backward_f32(const float *restrict h, size_t ldh, const float *restrict dh, size_t lddh,
                                float *restrict dz, size_t n, size_t H, int relu) {
    for (size_t r = 0; r < n; r++) {
        const float *hr = h + r * ldh, *d = dh + r * lddh;
        float *out = dz + r * H;
        if (relu) {
            for (size_t j = 0; j < H; j++) out[j] = hr[j] > 0.0f ? d[j] : 0.0f;
        } else {
            for (size_t j = 0; j < H; j++) out[j] = d[j] * (1.0f - hr[j] * hr[j]);
        }
    }
}
