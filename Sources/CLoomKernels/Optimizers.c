// Fused optimizer updates (see CLoomOptimizers.h). Contraction is off so that the only fused
// multiply-adds are the explicit ones (`fmadd`).
//
// Each update is compiled twice: with FMA instructions (AVX-512, or AVX2+FMA), chosen at run time
// where the CPU has them, and without, where a·b + c is formed in double and rounded once.
// The two agree except on double-rounding ties (~1 in 2²⁹); the FMA form is about 1.6× faster
// (Adam over 41k parameters: the airline model's step). Adam on AVX-512 also trades its
// divisions for reciprocals (within 2 ulp; see adam512_loop).
#include "CLoomOptimizers.h"
#include "InlineMath.h"
#include "CpuLevel.h"

#pragma clang fp contract(off)

#define INLINE static inline __attribute__((always_inline))

/// a·b + c rounded once: a hardware FMA when `hw`, else the product of two floats (exact in
/// double) plus c in double, rounded once to float. Vectorizes on every target either way.
INLINE float fmadd_hw(const int hw, float a, float b, float c) {
    return hw ? __builtin_fmaf(a, b, c) : (float)((double)a * (double)b + (double)c);
}
#define fmadd(a, b, c) fmadd_hw(hw, a, b, c)

static inline float sqrt1(float x) { return __builtin_elementwise_sqrt(x); }

INLINE void sgd_loop(const int hw, float *restrict p, const float *restrict g, float *restrict buf, size_t n,
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

INLINE void sgd_body(const int hw, float *restrict p, const float *restrict g, float *restrict buf, size_t n, float weight_decay,
                  float momentum, float keep, int nesterov, int first, float neg_lr) {
    const int decay = weight_decay != 0.0f;
    if (!buf) {
        if (decay) sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, 1, 0, 0, 0);
        else sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, 0, 0, 0, 0);
    } else if (first) {
        if (nesterov) sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, decay, 1, 1, 1);
        else sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, decay, 1, 0, 1);
    } else if (nesterov) {
        if (decay) sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, 1, 1, 1, 0);
        else sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, 0, 1, 1, 0);
    } else {
        if (decay) sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, 1, 1, 0, 0);
        else sgd_loop(hw, p, g, buf, n, weight_decay, momentum, keep, neg_lr, 0, 1, 0, 0);
    }
}

INLINE void adam_loop(const int hw, float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
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

INLINE void adam_body(const int hw, float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                   float *restrict vmax, size_t n, float shrink, float l2, float m_weight, float beta2,
                   float v_weight, float neg_step, float correction2, float eps) {
    const int shrinking = shrink != 1.0f, decay = l2 != 0.0f;
    if (vmax) {
        if (shrinking) adam_loop(hw, p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 1, 0, 1);
        else if (decay) adam_loop(hw, p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 1, 1);
        else adam_loop(hw, p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 0, 1);
    } else {
        if (shrinking) adam_loop(hw, p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 1, 0, 0);
        else if (decay) adam_loop(hw, p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 1, 0);
        else adam_loop(hw, p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps, 0, 0, 0);
    }
}

INLINE void rmsprop_loop(const int hw, float *restrict p, const float *restrict g, float *restrict s, float *restrict buf,
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

INLINE void rmsprop_body(const int hw, float *restrict p, const float *restrict g, float *restrict s, float *restrict buf,
                      float *restrict gavg, size_t n, float weight_decay, float alpha, float one_minus_alpha,
                      float eps, float momentum, float neg_lr) {
    const int decay = weight_decay != 0.0f;
#define RMS(d, c, m) rmsprop_loop(hw, p, g, s, buf, gavg, n, weight_decay, alpha, one_minus_alpha, eps, momentum, neg_lr, d, c, m)
    if (decay) {
        if (gavg) { if (buf) RMS(1, 1, 1); else RMS(1, 1, 0); }
        else { if (buf) RMS(1, 0, 1); else RMS(1, 0, 0); }
    } else {
        if (gavg) { if (buf) RMS(0, 1, 1); else RMS(0, 1, 0); }
        else { if (buf) RMS(0, 0, 1); else RMS(0, 0, 0); }
    }
#undef RMS
}

// MARK: Entry points and run-time choice

#define SGD_PARAMS float *restrict p, const float *restrict g, float *restrict buf, size_t n, float weight_decay, \
                   float momentum, float keep, int nesterov, int first, float neg_lr
#define SGD_ARGS p, g, buf, n, weight_decay, momentum, keep, nesterov, first, neg_lr
#define ADAM_PARAMS float *restrict p, const float *restrict g, float *restrict m, float *restrict v, \
                    float *restrict vmax, size_t n, float shrink, float l2, float m_weight, float beta2, \
                    float v_weight, float neg_step, float correction2, float eps
#define ADAM_ARGS p, g, m, v, vmax, n, shrink, l2, m_weight, beta2, v_weight, neg_step, correction2, eps
#define RMSPROP_PARAMS float *restrict p, const float *restrict g, float *restrict s, float *restrict buf, \
                       float *restrict gavg, size_t n, float weight_decay, float alpha, float one_minus_alpha, \
                       float eps, float momentum, float neg_lr
#define RMSPROP_ARGS p, g, s, buf, gavg, n, weight_decay, alpha, one_minus_alpha, eps, momentum, neg_lr

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__clang__) || defined(__GNUC__))
#define AVX512 __attribute__((target("avx512f"), noinline)) static
#define AVX2FMA __attribute__((target("avx2,fma"), noinline)) static
static void sgd_base(SGD_PARAMS) { sgd_body(0, SGD_ARGS); }
AVX2FMA void sgd_avx2(SGD_PARAMS) { sgd_body(1, SGD_ARGS); }
AVX512 void sgd_avx512(SGD_PARAMS) { sgd_body(1, SGD_ARGS); }
static void adam_base(ADAM_PARAMS) { adam_body(0, ADAM_ARGS); }
AVX2FMA void adam_avx2(ADAM_PARAMS) { adam_body(1, ADAM_ARGS); }

// AVX-512 Adam: the square root and division bound the loop above (15.9 µs over the airline
// model's 41,301 parameters, 5.7 µs of which is moving the four arrays). Here the bias
// correction is a multiplication by its reciprocal and the update's division a reciprocal
// estimate refined by one Newton step (both within 2 ulp of the divisions): 8.8 µs.
#define AVX512_INLINE __attribute__((target("avx512f"), always_inline)) static inline
AVX512_INLINE void adam512_loop(ADAM_PARAMS, const int shrinking, const int decay, const int amsgrad) {
    const __m512 vshrink = _mm512_set1_ps(shrink), vl2 = _mm512_set1_ps(l2), vmw = _mm512_set1_ps(m_weight);
    const __m512 vb2 = _mm512_set1_ps(beta2), vvw = _mm512_set1_ps(v_weight), vstep = _mm512_set1_ps(neg_step);
    const __m512 vinv = _mm512_set1_ps(1.0f / correction2), veps = _mm512_set1_ps(eps), two = _mm512_set1_ps(2.0f);
    const __m512 vmaxf = _mm512_set1_ps(3.40282347e38f);
    // Full blocks use plain loads and stores, the last partial block masked ones (masked
    // accesses in every block slowed the loop from 8.8 to 10.1 µs).
    for (size_t i = 0; i < n; i += 16) {
        const int full = n - i >= 16;
        const __mmask16 k = full ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
#define LOAD(x) (full ? _mm512_loadu_ps(x) : _mm512_maskz_loadu_ps(k, x))
#define STORE(x, y) do { if (full) _mm512_storeu_ps(x, y); else _mm512_mask_storeu_ps(x, k, y); } while (0)
        __m512 pi = LOAD(p + i), gi = LOAD(g + i), mi = LOAD(m + i), vi = LOAD(v + i);
        if (shrinking) pi = _mm512_mul_ps(pi, vshrink);
        if (decay) gi = _mm512_fmadd_ps(vl2, pi, gi);
        mi = _mm512_fmadd_ps(vmw, _mm512_sub_ps(gi, mi), mi);
        vi = _mm512_fmadd_ps(_mm512_mul_ps(vvw, gi), gi, _mm512_mul_ps(vi, vb2));
        STORE(m + i, mi);
        STORE(v + i, vi);
        __m512 vh = vi;
        if (amsgrad) {
            vh = _mm512_max_ps(LOAD(vmax + i), vi);
            STORE(vmax + i, vh);
        }
        // d at most the largest float: for an overflowed second moment (d = ∞) the refinement
        // below would give ∞·0 = NaN instead of the division's m/∞ = 0 (min keeps a NaN d).
        __m512 d = _mm512_min_ps(vmaxf, _mm512_fmadd_ps(_mm512_sqrt_ps(vh), vinv, veps));
        __m512 r = _mm512_rcp14_ps(d);
        r = _mm512_mul_ps(r, _mm512_fnmadd_ps(d, r, two));
        STORE(p + i, _mm512_fmadd_ps(_mm512_mul_ps(vstep, mi), r, pi));
#undef LOAD
#undef STORE
    }
}

AVX512 void adam_avx512(ADAM_PARAMS) {
    const int shrinking = shrink != 1.0f, decay = l2 != 0.0f;
    if (vmax) {
        if (shrinking) adam512_loop(ADAM_ARGS, 1, 0, 1);
        else if (decay) adam512_loop(ADAM_ARGS, 0, 1, 1);
        else adam512_loop(ADAM_ARGS, 0, 0, 1);
    } else {
        if (shrinking) adam512_loop(ADAM_ARGS, 1, 0, 0);
        else if (decay) adam512_loop(ADAM_ARGS, 0, 1, 0);
        else adam512_loop(ADAM_ARGS, 0, 0, 0);
    }
}

static void rmsprop_base(RMSPROP_PARAMS) { rmsprop_body(0, RMSPROP_ARGS); }
AVX2FMA void rmsprop_avx2(RMSPROP_PARAMS) { rmsprop_body(1, RMSPROP_ARGS); }
AVX512 void rmsprop_avx512(RMSPROP_PARAMS) { rmsprop_body(1, RMSPROP_ARGS); }

void loom_sgd_f32(SGD_PARAMS) {
    switch (loom_cpu_level()) {
    case LOOM_CPU_AVX512: sgd_avx512(SGD_ARGS); break;
    case LOOM_CPU_AVX2_FMA: sgd_avx2(SGD_ARGS); break;
    default: sgd_base(SGD_ARGS);
    }
}

void loom_adam_f32(ADAM_PARAMS) {
    switch (loom_cpu_level()) {
    case LOOM_CPU_AVX512: adam_avx512(ADAM_ARGS); break;
    case LOOM_CPU_AVX2_FMA: adam_avx2(ADAM_ARGS); break;
    default: adam_base(ADAM_ARGS);
    }
}

void loom_rmsprop_f32(RMSPROP_PARAMS) {
    switch (loom_cpu_level()) {
    case LOOM_CPU_AVX512: rmsprop_avx512(RMSPROP_ARGS); break;
    case LOOM_CPU_AVX2_FMA: rmsprop_avx2(RMSPROP_ARGS); break;
    default: rmsprop_base(RMSPROP_ARGS);
    }
}
#else
// Elsewhere (arm64 and others): the double-rounded form, which matches a fused multiply-add
// except on double-rounding ties.
void loom_sgd_f32(SGD_PARAMS) { sgd_body(0, SGD_ARGS); }
void loom_adam_f32(ADAM_PARAMS) { adam_body(0, ADAM_ARGS); }
void loom_rmsprop_f32(RMSPROP_PARAMS) { rmsprop_body(0, RMSPROP_ARGS); }
#endif
