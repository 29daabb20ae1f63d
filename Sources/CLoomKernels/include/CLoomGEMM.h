// A single-precision GEMM for the recurrent step product, with the weight operand packed once
// per sequence instead of on every step (which is what a general BLAS call does).
//
// The packed form of a K × N matrix B holds its columns in panels of LOOM_PANEL (16) columns,
// each panel K rows of 16 contiguous floats, the last panel zero-padded. Kernels: AVX-512 and
// AVX2+FMA, chosen at run time; where neither exists `loom_packed_gemm_supported` returns 0 and
// callers use BLAS instead.
#ifndef CLOOM_GEMM_H
#define CLOOM_GEMM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LOOM_PANEL 16

/// 1 when this CPU runs the packed kernels (x86-64 with AVX2+FMA or AVX-512), else 0.
int loom_packed_gemm_supported(void);

/// Floats needed to pack a K × N matrix.
size_t loom_packed_size(size_t K, size_t N);

/// Packs B (K × N, row-major with leading dimension ldb) — or, when transposed is nonzero, the
/// transpose of a row-major N × K matrix with leading dimension ldb — into `packed`.
void loom_pack_f32(const float *B, size_t ldb, int transposed, size_t K, size_t N, float *packed);

/// C[0..<M, n0..<n1] = op(A) · B[:, n0..<n1] (+ C when accumulate is nonzero), for a packed B
/// (K × N) and op(A) = A, row-major M × K with leading dimension lda, or — transA nonzero — the
/// transpose of a row-major K × M matrix (leading dimension lda). n0 must be a multiple of
/// LOOM_PANEL; n1 ≤ N. Each element sums its K products in order with fused multiply-adds, so a
/// result does not depend on the block or thread that computed it. Then, where given, the bias
/// vectors b1 and b2 (N floats, indexed by column) are added to every row as it is stored:
/// ((product (+ C)) + b1) + b2 — the input projection of a recurrent layer with its biases.
void loom_packed_gemm_f32(int transA, size_t M, size_t K, const float *A, size_t lda, const float *packed, size_t N,
                          size_t n0, size_t n1, int accumulate, const float *b1, const float *b2, float *C, size_t ldc);

#ifdef __cplusplus
}
#endif
#endif
