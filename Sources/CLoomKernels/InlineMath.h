// Branch-free float exp/tanh/sigmoid, written so that loops calling them vectorize.
// exp: x = n·ln2 + r with |r| ≤ ln2/2, e^r = 1 + r·q(r) with a fitted degree-5 q, then scaled
// by 2^n through the exponent bits; tanh from the same pieces without cancellation near 0.
#ifndef LOOM_INLINE_MATH_H
#define LOOM_INLINE_MATH_H
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
// Run-time dispatch needs ifunc (ELF); elsewhere (Mach-O, arm64) the baseline build is used.
#if (defined(__x86_64__) || defined(__i386__)) && defined(__ELF__)
#define LOOM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define LOOM_CLONES
#endif

// Argument reduction shared by exp and tanh: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in a
// high part exact in float and a low correction); *scale = 2^n through the exponent bits.
static inline float loom_reduce(float x, float *scale) {
    const float log2e = 1.44269504088896341f;
    const float ln2hi = 0.693359375f;
    const float ln2lo = -2.12194440e-4f;
    float n = __builtin_roundevenf(x * log2e);
    float r = x - n * ln2hi;
    r = r - n * ln2lo;
    int32_t e = ((int32_t)n + 127) << 23;
    memcpy(scale, &e, sizeof *scale);
    return r;
}

// e^r − 1 = r·q(r) for |r| ≤ ln2/2, q of degree 5 fitted for minimax relative error
// (|q − (e^r − 1)/r| / q below 1.1e-8). Written as r·q, small r keep full relative accuracy.
static inline float loom_expm1_reduced(float r) {
    float q = 1.38888729e-3f;
    q = q * r + 8.36906862e-3f;
    q = q * r + 4.16671373e-2f;
    q = q * r + 1.66665062e-1f;
    q = q * r + 0.49999997f;
    q = q * r + 1.0f;
    return r * q;
}

// e^x for the clamped argument only: x > 88.72 gives +inf through the exponent bits, below
// −87.34 a tiny normal instead of 0 (1 ± that rounds to 1). The step kernels below use it
// where their arguments make the special cases of loom_exp1 unnecessary. Within 1.2 ulp.
static inline float loom_exp_core(float x) {
    float xc = x < -87.33654f ? -87.33654f : (x > 88.72283f ? 88.72283f : x);
    float scale;
    float r = loom_reduce(xc, &scale);
    return scale * loom_expm1_reduced(r) + scale;
}

static inline float loom_exp1(float x) {
    float y = loom_exp_core(x);
    y = x > 88.72283f ? __builtin_inff() : y;
    y = x < -87.33654f ? 0.0f : y;
    return x != x ? x : y;
}

// The step kernels' sigmoid and tanh (within 2.5 ulp), without special-case selects.
// σ(x) = 1/(1 + e^(−x)): x < −88.72 gives 1/∞ = 0, x > 87.34 gives 1; NaN stays NaN.
static inline float loom_sigmoid_step(float x) {
    return 1.0f / (1.0f + loom_exp_core(-x));
}

// tanh(x) = sign(x)·(−m)/(2 + m) with m = e^(−2|x|) − 1 = 2^n·(e^r − 1) + (2^n − 1): for small
// |x| (n = 0) m is r·q(r) with no cancellation, so tiny arguments keep their relative accuracy;
// large |x| reach m = −1, tanh = ±1. NaN propagates, −0 stays −0.
static inline float loom_tanh_step(float x) {
    float a = __builtin_fabsf(x);
    float y = -2.0f * a;
    y = y < -87.33654f ? -87.33654f : y;
    float scale;
    float r = loom_reduce(y, &scale);
    float m = scale * loom_expm1_reduced(r) + (scale - 1.0f);
    return __builtin_copysignf(m / (-2.0f - m), x);
}

static inline float loom_tanh1(float x) { return loom_tanh_step(x); }

static inline float loom_sigmoid1(float x) {
    return 1.0f / (1.0f + loom_exp1(-x));
}

#endif
