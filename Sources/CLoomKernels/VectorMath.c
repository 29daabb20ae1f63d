// Vectorized element-wise kernels (see InlineMath.h for the approximations).
#include "CLoomKernels.h"
#include "InlineMath.h"
#include <string.h>

LOOM_CLONES
void loom_exp_f32(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = loom_exp1(x[i]);
}

LOOM_CLONES
void loom_tanh_f32(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = loom_tanh1(x[i]);
}

LOOM_CLONES
void loom_sigmoid_f32(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = loom_sigmoid1(x[i]);
}

// Rows here are often short (a GRU step's 3·16 gate columns). These loops work on explicit
// 16-float vectors (one AVX-512 register, two AVX2 ones), where plain loops over a row left
// anything shorter than the compiler's unrolled width to its scalar epilogue.
typedef float Vec16 __attribute__((vector_size(64), aligned(4)));

// Macros, not functions: a 64-byte vector may not cross a call boundary in the baseline clone.
#define load16(p) __extension__({ Vec16 v_; __builtin_memcpy(&v_, (p), sizeof v_); v_; })
#define store16(p, v) do { Vec16 s_ = (v); __builtin_memcpy((p), &s_, sizeof s_); } while (0)

LOOM_CLONES
void loom_add_row_bias_f32(float *restrict x, size_t rows, size_t cols, const float *restrict b1, const float *restrict b2) {
    const size_t full = cols - cols % 16;
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = x + r * cols;
        if (b2) {
            for (size_t j = 0; j < full; j += 16) store16(row + j, (load16(row + j) + load16(b1 + j)) + load16(b2 + j));
            for (size_t j = full; j < cols; j++) row[j] = (row[j] + b1[j]) + b2[j];
        } else {
            for (size_t j = 0; j < full; j += 16) store16(row + j, load16(row + j) + load16(b1 + j));
            for (size_t j = full; j < cols; j++) row[j] += b1[j];
        }
    }
}

// Σ over rows of each column (bias gradients), rows added in order. Blocks of 64 or 16 columns
// keep their sums in registers while the rows stream past.
LOOM_CLONES
void loom_column_sums_f32(const float *restrict x, size_t rows, size_t cols, float *restrict out) {
    size_t j = 0;
    for (; j + 64 <= cols; j += 64) {
        Vec16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (size_t r = 0; r < rows; r++) {
            const float *row = x + r * cols + j;
            a0 += load16(row); a1 += load16(row + 16); a2 += load16(row + 32); a3 += load16(row + 48);
        }
        store16(out + j, a0); store16(out + j + 16, a1); store16(out + j + 32, a2); store16(out + j + 48, a3);
    }
    for (; j + 16 <= cols; j += 16) {
        Vec16 a0 = {0};
        for (size_t r = 0; r < rows; r++) a0 += load16(x + r * cols + j);
        store16(out + j, a0);
    }
    for (; j < cols; j++) {
        float acc = 0.0f;
        for (size_t r = 0; r < rows; r++) acc += x[r * cols + j];
        out[j] = acc;
    }
}

// Row reorder between (o, i) and (i, o) order: dst row i·outer + o = src row o·inner + i.
// Rows are short: the compiler must not turn each row's copy into a memcpy call (measured: the
// calls cost more than the copying, for rows of 1–16 floats).
#if defined(__has_attribute)
#if __has_attribute(no_builtin)
#define LOOM_NO_MEMCPY_CALLS __attribute__((no_builtin("memcpy"), no_builtin("memmove")))
#endif
#endif
#ifndef LOOM_NO_MEMCPY_CALLS
#define LOOM_NO_MEMCPY_CALLS
#endif

LOOM_CLONES LOOM_NO_MEMCPY_CALLS
void loom_reorder_rows_f32(const float *restrict src, float *restrict dst, size_t width, size_t outer, size_t inner) {
    if (width == 1) {                       // one feature per row (e.g. a univariate series)
        for (size_t o = 0; o < outer; o++)
            for (size_t i = 0; i < inner; i++) dst[i * outer + o] = src[o * inner + i];
        return;
    }
    const size_t full = width - width % 16;
    for (size_t o = 0; o < outer; o++) {
        for (size_t i = 0; i < inner; i++) {
            const float *s = src + (o * inner + i) * width;
            float *d = dst + (i * outer + o) * width;
            for (size_t k = 0; k < full; k += 16) store16(d + k, load16(s + k));
            for (size_t k = full; k < width; k++) d[k] = s[k];
        }
    }
}

LOOM_CLONES
double loom_sum_squares_f32(const float *restrict x, size_t n) {
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (size_t k = 0; k < 8; k++) acc[k] += (double)x[i + k] * (double)x[i + k];
    }
    for (; i < n; i++) acc[i % 8] += (double)x[i] * (double)x[i];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

int loom_set_flush_denormals(int on) {
#if defined(__x86_64__) || defined(__i386__)
    unsigned int csr = _mm_getcsr();
    int previous = (csr & 0x8040) == 0x8040;
    if (on) csr |= 0x8040; else csr &= ~0x8040u;
    _mm_setcsr(csr);
    return previous;
#else
    (void)on;
    return 0;
#endif
}
