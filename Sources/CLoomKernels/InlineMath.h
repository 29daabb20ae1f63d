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

static inline float loom_exp1(float x) {
    const float log2e = 1.44269504088896341f;
    const float ln2hi = 0.693359375f;          // exact in float, few mantissa bits
    const float ln2lo = -2.12194440e-4f;       // ln2 - ln2hi
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
    float y = p * scale;
    y = x > 88.72283f ? __builtin_inff() : y;
    y = x < -87.33654f ? 0.0f : y;
    return x != x ? x : y;
}

static inline float loom_tanh1(float x) {
    float a = __builtin_fabsf(x);
    float t = loom_exp1(-2.0f * a);
    float big = (1.0f - t) / (1.0f + t);
    float x2 = a * a;
    // tanh(a) = a - a³/3 + 2a⁵/15 - 17a⁷/315 for small a (avoids cancellation in 1 - t).
    float small = a * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f + x2 * (-17.0f / 315.0f))));
    float r = a < 0.0625f ? small : big;
    return x < 0 ? -r : (x != x ? x : r);
}

static inline float loom_sigmoid1(float x) {
    return 1.0f / (1.0f + loom_exp1(-x));
}

// The same functions for the recurrent step kernels, without the special-case selects that
// their arguments make unnecessary, so each takes fewer instructions and returns the same
// values. exp core: the clamped argument's result only (x > 88.72 gives +inf through the
// exponent bits; below −87.34 a tiny normal instead of 0, and 1 ± that rounds to 1).
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

// σ(x) = 1/(1 + e^(−x)): x < −88.72 gives 1/∞ = 0, x > 87.34 gives 1; NaN stays NaN.
static inline float loom_sigmoid_step(float x) {
    return 1.0f / (1.0f + loom_exp_core(-x));
}

// tanh as loom_tanh1; e^(−2|x|) ≤ 1 needs no overflow handling, NaN propagates.
static inline float loom_tanh_step(float x) {
    float a = __builtin_fabsf(x);
    float t = loom_exp_core(-2.0f * a);
    float big = (1.0f - t) / (1.0f + t);
    float x2 = a * a;
    float small = a * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f + x2 * (-17.0f / 315.0f))));
    float r = a < 0.0625f ? small : big;
    return __builtin_copysignf(r, x);
}

#endif
