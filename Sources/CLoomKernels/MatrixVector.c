// Matrix-vector products for one-row GEMMs (batch-1 recurrent steps and linear layers). At the
// sizes of a batch-1 step (W_hh of 400 × 100: 160 KB, read from L2 once per step) the product is
// bound by cache bandwidth; OpenBLAS's GEMV reached ~1.9 µs there, these AVX-512 loops ~0.8 µs by
// keeping the vector (or the result) in registers and streaming each row of the matrix once.
#include "CLoomKernels.h"
#include "CpuLevel.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && defined(__ELF__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f"), noinline)) static

__attribute__((target("avx512f"))) static inline __mmask16 tail_mask(size_t n) { return (__mmask16)((1u << n) - 1u); }

// y[r] (+)= Σ_k a[r·lda + k]·x[k], eight rows at a time (more loads in flight: 400 × 100 from
// L2 in 1.53 µs instead of 1.63 with four), then four, then one; k in 16-lane chunks. Every row
// sums its chunks in the same order whichever block it falls in.
AVX512 void rows512(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate) {
    size_t full = cols / 16, rest = cols % 16;
    __mmask16 m = tail_mask(rest);
    size_t r = 0;
    for (; r + 8 <= rows; r += 8) {
        __m512 s[8];
        for (int q = 0; q < 8; q++) s[q] = _mm512_setzero_ps();
        for (size_t c = 0; c < full; c++) {
            __m512 xv = _mm512_loadu_ps(x + 16 * c);
            for (int q = 0; q < 8; q++) s[q] = _mm512_fmadd_ps(_mm512_loadu_ps(a + (r + q) * lda + 16 * c), xv, s[q]);
        }
        if (rest) {
            __m512 xv = _mm512_maskz_loadu_ps(m, x + 16 * full);
            for (int q = 0; q < 8; q++) s[q] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + (r + q) * lda + 16 * full), xv, s[q]);
        }
        for (int q = 0; q < 8; q++) {
            float d = _mm512_reduce_add_ps(s[q]);
            y[r + q] = accumulate ? y[r + q] + d : d;
        }
    }
    for (; r + 4 <= rows; r += 4) {
        const float *a0 = a + r * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
        for (size_t c = 0; c < full; c++) {
            __m512 xv = _mm512_loadu_ps(x + 16 * c);
            s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + 16 * c), xv, s0);
            s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a1 + 16 * c), xv, s1);
            s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a2 + 16 * c), xv, s2);
            s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a3 + 16 * c), xv, s3);
        }
        if (rest) {
            size_t o = 16 * full;
            __m512 xv = _mm512_maskz_loadu_ps(m, x + o);
            s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a0 + o), xv, s0);
            s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a1 + o), xv, s1);
            s2 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a2 + o), xv, s2);
            s3 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a3 + o), xv, s3);
        }
        float d0 = _mm512_reduce_add_ps(s0), d1 = _mm512_reduce_add_ps(s1);
        float d2 = _mm512_reduce_add_ps(s2), d3 = _mm512_reduce_add_ps(s3);
        y[r] = accumulate ? y[r] + d0 : d0;
        y[r + 1] = accumulate ? y[r + 1] + d1 : d1;
        y[r + 2] = accumulate ? y[r + 2] + d2 : d2;
        y[r + 3] = accumulate ? y[r + 3] + d3 : d3;
    }
    for (; r < rows; r++) {
        const float *a0 = a + r * lda;
        __m512 s0 = _mm512_setzero_ps();
        for (size_t c = 0; c < full; c++) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + 16 * c), _mm512_loadu_ps(x + 16 * c), s0);
        if (rest) s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a0 + 16 * full), _mm512_maskz_loadu_ps(m, x + 16 * full), s0);
        float d0 = _mm512_reduce_add_ps(s0);
        y[r] = accumulate ? y[r] + d0 : d0;
    }
}

// y[k] (+)= Σ_r x[r]·a[r·lda + k] for one block of NC ≤ 8 chunks of 16 columns (the last one
// `last`-masked): the block's results stay in registers (NC is a constant in each instantiation,
// so the accumulators are never spilled) while every row streams past.
__attribute__((target("avx512f"), always_inline)) static inline
void cols_block(const size_t NC, const float *a, size_t lda, size_t rows, const float *x, __mmask16 last,
                float *y, int accumulate) {
    __m512 acc[8];
    for (size_t j = 0; j < NC; j++) acc[j] = _mm512_setzero_ps();
    for (size_t r = 0; r < rows; r++) {
        const float *row = a + r * lda;
        __m512 xv = _mm512_set1_ps(x[r]);
        for (size_t j = 0; j + 1 < NC; j++) acc[j] = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row + 16 * j), acc[j]);
        acc[NC - 1] = _mm512_fmadd_ps(xv, _mm512_maskz_loadu_ps(last, row + 16 * (NC - 1)), acc[NC - 1]);
    }
    for (size_t j = 0; j < NC; j++) {
        __mmask16 mk = j + 1 == NC ? last : (__mmask16)0xFFFF;
        float *out = y + 16 * j;
        __m512 v = acc[j];
        if (accumulate) v = _mm512_add_ps(_mm512_maskz_loadu_ps(mk, out), v);
        _mm512_mask_storeu_ps(out, mk, v);
    }
}

AVX512 void cols512(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate) {
    for (size_t c0 = 0; c0 < cols; c0 += 128) {
        size_t width = cols - c0 < 128 ? cols - c0 : 128;
        size_t chunks = (width + 15) / 16;
        __mmask16 last = tail_mask(width - 16 * (chunks - 1));
        const float *ab = a + c0;
        float *yb = y + c0;
        switch (chunks) {
        case 1: cols_block(1, ab, lda, rows, x, last, yb, accumulate); break;
        case 2: cols_block(2, ab, lda, rows, x, last, yb, accumulate); break;
        case 3: cols_block(3, ab, lda, rows, x, last, yb, accumulate); break;
        case 4: cols_block(4, ab, lda, rows, x, last, yb, accumulate); break;
        case 5: cols_block(5, ab, lda, rows, x, last, yb, accumulate); break;
        case 6: cols_block(6, ab, lda, rows, x, last, yb, accumulate); break;
        case 7: cols_block(7, ab, lda, rows, x, last, yb, accumulate); break;
        default: cols_block(8, ab, lda, rows, x, last, yb, accumulate); break;
        }
    }
}

int loom_gemv_supported(void) { return loom_cpu_level() == LOOM_CPU_AVX512; }

void loom_gemv_rows_f32(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate) {
    rows512(a, lda, rows, cols, x, y, accumulate);
}

void loom_gemv_cols_f32(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate) {
    cols512(a, lda, rows, cols, x, y, accumulate);
}

#else

// Elsewhere callers use BLAS (loom_gemv_supported is 0); plain loops keep these correct.
int loom_gemv_supported(void) { return 0; }

void loom_gemv_rows_f32(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate) {
    for (size_t r = 0; r < rows; r++) {
        float s = 0.0f;
        for (size_t k = 0; k < cols; k++) s += a[r * lda + k] * x[k];
        y[r] = accumulate ? y[r] + s : s;
    }
}

void loom_gemv_cols_f32(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate) {
    for (size_t k = 0; k < cols; k++) {
        float s = 0.0f;
        for (size_t r = 0; r < rows; r++) s += x[r] * a[r * lda + k];
        y[k] = accumulate ? y[k] + s : s;
    }
}

#endif
