// Vectorized element-wise kernels for Loom (Float32), compiled for several x86 targets and
// dispatched at run time (`target_clones`), so callers need no special compiler flags.
#ifndef CLOOM_KERNELS_H
#define CLOOM_KERNELS_H

#include <stddef.h>
#include "CLoomRecurrent.h"
#include "CLoomOptimizers.h"
#include "CLoomGEMM.h"
#include "CLoomParallel.h"

#ifdef __cplusplus
extern "C" {
#endif

/// y[i] = exp(x[i]); relative error below 2 ulp over the float range. x and y may alias.
void loom_exp_f32(const float *x, float *y, size_t n);
/// y[i] = tanh(x[i]); absolute error below 1e-7. x and y may alias.
void loom_tanh_f32(const float *x, float *y, size_t n);
/// y[i] = 1 / (1 + exp(-x[i])). x and y may alias.
void loom_sigmoid_f32(const float *x, float *y, size_t n);

/// x[r·cols + j] += b1[j], then += b2[j] when b2 is not NULL (two roundings, as two passes
/// would give), for a row-major rows × cols matrix x.
void loom_add_row_bias_f32(float *x, size_t rows, size_t cols, const float *b1, const float *b2);
/// out[j] = Σ_r x[r·cols + j], summed in row order (the order of a row-by-row loop).
void loom_column_sums_f32(const float *x, size_t rows, size_t cols, float *out);

/// Row reorder (a transpose of row blocks): dst row (i·outer + o) = src row (o·inner + i), rows of
/// `width` floats; batch-first ↔ time-major streams.
void loom_reorder_rows_f32(const float *src, float *dst, size_t width, size_t outer, size_t inner);

/// 1 when the matrix-vector kernels below have a vector implementation on this CPU (AVX-512);
/// elsewhere callers should use BLAS's GEMV.
int loom_gemv_supported(void);
/// y[r] = Σ_k a[r·lda + k]·x[k] for r < rows (k < cols); y += that when accumulate is nonzero.
void loom_gemv_rows_f32(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate);
/// y[k] = Σ_r x[r]·a[r·lda + k] for k < cols (r < rows); y += that when accumulate is nonzero.
void loom_gemv_cols_f32(const float *a, size_t lda, size_t rows, size_t cols, const float *x, float *y, int accumulate);

/// Σ x[i]², accumulated in double (eight interleaved partial sums, added at the end).
double loom_sum_squares_f32(const float *x, size_t n);

/// Turns flush-to-zero and denormals-are-zero on (1) or off (0) for the calling thread.
/// Returns the previous setting. No-op (returns 0) where the CPU has no such mode.
int loom_set_flush_denormals(int on);

#ifdef __cplusplus
}
#endif
#endif
