// Fused optimizer updates (see CLoomOptimizers.h). Contraction is off so that the only fused
// multiply-adds are the explicit ones (`fmadd`), the same on every target clone.
#include "CLoomOptimizers.h"
#include "InlineMath.h"

#pragma clang fp contract(off)

/// a·b + c rounded once: the product of two floats is exact in double, the double sum is rounded
/// once to float (a different result from a true FMA needs a double-rounding tie, ~1 in 2²⁹).
/// Vectorizes on every target, FMA instructions or not.
static inline float fmadd(float a, float b, float c) { return (float)((double)a * (double)b + (double)c); }

static inline float sqrt1(float x) { return __builtin_elementwise_sqrt(x); }

static inline void sgd_loop(float *restrict p, const float *restrict g, float *restrict buf, size_t n,
                            float wd, float mu, float keep, float neg_lr, const int decay, const int momentum,
                            const int nesterov, const int first) {
    for (size_t i = 0; i < n; i++) {
        float gi = decay ? fmadd(wd, p[i], g[i]) : g[i];
        float step = gi;
        if (momentum) {
            float b = first ? gi : fmadd(keep, gi, buf[i] * mu);
            buf[i] = b;
            step = nesterov ? fmadd(mu, b, gi) : b;
        }
        p[i] = fmadd(neg_lr, step, p[i]);
    }
}

LOOM_CLONES
void loom_sgd_f32(float *restrict p, const float *restrict g, float *restrict buf, size_t n, float weight_decay,
                  float momentum, float keep, int nesterov, int first, float neg_lr) {
    const int decay = weight_decay != 0.0f;
    if (!buf) {
        if (decay) sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, 1, 0, 0, 0);
        else sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, 0, 0, 0, 0);
    } else if (first) {
        if (nesterov) sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, decay, 1, 1, 1);
        else sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, decay, 1, 0, 1);
    } else if (nesterov) {
        if (decay) sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, 1, 1, 1, 0);
        else sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, 0, 1, 1, 0);
    } else {
        if (decay) sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, 1, 1, 0, 0);
        else sgd_loop(p, g, buf, n, weight_decay, momentum, keep, neg_lr, 0, 1, 0, 0);
    }
}

static inline void adam_loop(float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                             float *restrict vmax, size_t n, float shrink, float l2, float m_weight, float beta2,
                             float v_weight, float neg_step, float correction2, float eps,
                             const int shrinking, const int decay, const int amsgrad) {
    for (size_t i = 0; i < n; i++) {
        float pi = shrinking ? p[i] * shrink : p[i];
        float gi = decay ? fmadd(l2, pi, g[i]) : g[i];
        float mi = fmadd(m_weight, gi - m[i], m[i]);
        float vi = fmadd(v_weight * gi, gi, v[i] * beta2);
        m[i] = mi;
        v[i] = vi;
        float vh = vi;
        if (amsgrad) {
            vh = vmax[i] > vi ? vmax[i] : vi;
            vmax[i] = vh;
        }
        p[i] = pi + (neg_step * mi) / (sqrt1(vh) / correction2 + eps);
    }
}

LOOM_CLONES
void loom_adam_f32(float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                   float *restrict vmax, size_t n, float shrink, float l2, float m_weight, float beta2,
                   float v_weight, float neg_step, float correction2, float eps) {
    const int shrinking = shrink != 1.0f, decay = l2 != 0.0f;
    if (vmax) {
        if (shrinking) adam_loop(p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 1, 0, 1);
        else if (decay) adam_loop(p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 1, 1);
        else adam_loop(p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 0, 1);
    } else {
        if (shrinking) adam_loop(p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 1, 0, 0);
        else if (decay) adam_loop(p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 1, 0);
        else adam_loop(p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 0, 0);
    }
}

static inline void rmsprop_loop(float *restrict p, const float *restrict g, float *restrict s, float *restrict buf,
                                float *restrict gavg, size_t n, float wd, float alpha, float one_minus_alpha,
                                float eps, float mu, float neg_lr, const int decay, const int centered,
                                const int momentum) {
    for (size_t i = 0; i < n; i++) {
        float gi = decay ? fmadd(wd, p[i], g[i]) : g[i];
        float si = fmadd(one_minus_alpha * gi, gi, s[i] * alpha);
        s[i] = si;
        float d;
        if (centered) {
            float ga = fmadd(one_minus_alpha, gi - gavg[i], gavg[i]);
            gavg[i] = ga;
            d = sqrt1(fmadd(-ga, ga, si)) + eps;
        } else {
            d = sqrt1(si) + eps;
        }
        if (momentum) {
            float b = buf[i] * mu + gi / d;
            buf[i] = b;
            p[i] = fmadd(neg_lr, b, p[i]);
        } else {
            p[i] = p[i] + (neg_lr * gi) / d;
        }
    }
}

LOOM_CLONES
void loom_rmsprop_f32(float *restrict p, const float *restrict g, float *restrict s, float *restrict buf,
                      float *restrict gavg, size_t n, float weight_decay, float alpha, float one_minus_alpha,
                      float eps, float momentum, float neg_lr) {
    const int decay = weight_decay != 0.0f;
#define RMS(d, c, m) rmsprop_loop(p, g, s, buf, gavg, n, weight_decay, alpha, one_minus_alpha, eps, momentum, neg_lr, d, c, m)
    if (decay) {
        if (gavg) { if (buf) RMS(1, 1, 1); else RMS(1, 1, 0); }
        else { if (buf) RMS(1, 0, 1); else RMS(1, 0, 0); }
    } else {
        if (gavg) { if (buf) RMS(0, 1, 1); else RMS(0, 1, 0); }
        else { if (buf) RMS(0, 0, 1); else RMS(0, 0, 0); }
    }
#undef RMS
}
