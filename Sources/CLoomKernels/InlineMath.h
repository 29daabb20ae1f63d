// Branch-free float exp/tanh/sigmoid, written so that loops calling them vectorize.
// exp: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to degree 7 (truncation error
// below 6e-9 relative), then scaled by 2^n through the exponent bits.
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

// e^x for the clamped argument only: x > 88.72 gives +inf through the exponent bits, below
// −87.34 a tiny normal instead of 0 (1 ± that rounds to 1). The step kernels below use it
// where their arguments make the special cases of loom_exp1 unnecessary.
static inline float loom_exp_core(float x) {
    const float log2e = 1.44269504088896341f;
    const float ln2hi = 0.693359375f;
    const float ln2lo = -2.12194440e-4f;
    float xc = x < -87.33654f ? -87.33654f : (x > 88.72283f ? 88.72283f : x);
    float n = __builtin_roundevenf(xc * log2e);
    float r = xc - n * ln2hi;
    r = r - n * ln2lo;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    int32_t e = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &e, sizeof scale);
    return p * scale;
}

static inline float loom_exp1(float x) {
    float y = loom_exp_core(x);
    y = x > 88.72283f ? __builtin_inff() : y;
    y = x < -87.33654f ? 0.0f : y;
    return x != x ? x : y;
}

// tanh(a) for a = |x| ≥ 0, given t = e^(−2a): (1 − t)/(1 + t), or for small a the series
// a − a³/3 + 2a⁵/15 − 17a⁷/315 (avoids the cancellation in 1 − t).
static inline float loom_tanh_magnitude(float a, float t) {
    float big = (1.0f - t) / (1.0f + t);
    float x2 = a * a;
    float small = a * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f + x2 * (-17.0f / 315.0f))));
    return a < 0.0625f ? small : big;
}

static inline float loom_tanh1(float x) {
    float a = __builtin_fabsf(x);
    float r = loom_tanh_magnitude(a, loom_exp1(-2.0f * a));
    return x < 0 ? -r : (x != x ? x : r);
}

static inline float loom_sigmoid1(float x) {
    return 1.0f / (1.0f + loom_exp1(-x));
}

// The step kernels' sigmoid and tanh: the same values as loom_sigmoid1/loom_tanh1, without the
// special-case selects their arguments never need.
// σ(x) = 1/(1 + e^(−x)): x < −88.72 gives 1/∞ = 0, x > 87.34 gives 1; NaN stays NaN.
static inline float loom_sigmoid_step(float x) {
    return 1.0f / (1.0f + loom_exp_core(-x));
}

// tanh as loom_tanh1; e^(−2|x|) ≤ 1 needs no overflow handling, NaN propagates.
static inline float loom_tanh_step(float x) {
    float a = __builtin_fabsf(x);
    return __builtin_copysignf(loom_tanh_magnitude(a, loom_exp_core(-2.0f * a)), x);
}

#endif
