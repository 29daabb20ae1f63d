// Packed-panel GEMM for the recurrent step product (see CLoomGEMM.h).
//
// A micro-kernel computes an MR × (16·NP) block of C: MR rows of A are broadcast one element
// at a time against NP panel rows (one 16-float vector each), accumulating in registers over
// all of K, then the block is added to or stored into C. AVX-512: up to 8 rows × 2 panels
// (16 accumulators); AVX2: up to 6 rows × 1 panel (two 8-float halves, 12 accumulators).
// MR, NP are compile-time constants in each instantiation; short row blocks use smaller MR.
#include "CLoomGEMM.h"
#include "CpuLevel.h"
#include <string.h>

/// Element (r, k) of A: row-major with leading dimension lda, or (TA) the transpose of a row-major
/// K × M matrix, whose rows then hold A's columns.
#define AT(A, TA, lda, r, k) ((TA) ? (A)[(k) * (lda) + (r)] : (A)[(r) * (lda) + (k)])
/// A shifted down by i rows.
#define AROWS(A, TA, lda, i) ((TA) ? (A) + (i) : (A) + (i) * (lda))

size_t loom_packed_size(size_t K, size_t N) {
    return (N + LOOM_PANEL - 1) / LOOM_PANEL * LOOM_PANEL * K;
}

static void pack_portable(const float *B, size_t ldb, int transposed, size_t K, size_t N, float *packed) {
    size_t panels = (N + LOOM_PANEL - 1) / LOOM_PANEL;
    for (size_t p = 0; p < panels; p++) {
        float *dst = packed + p * K * LOOM_PANEL;
        size_t j0 = p * LOOM_PANEL, width = N - j0 < LOOM_PANEL ? N - j0 : LOOM_PANEL;
        if (!transposed) {
            for (size_t k = 0; k < K; k++) {
                const float *src = B + k * ldb + j0;
                float *row = dst + k * LOOM_PANEL;
                size_t j = 0;
                for (; j < width; j++) row[j] = src[j];
                for (; j < LOOM_PANEL; j++) row[j] = 0.0f;
            }
        } else {
            // B is the transpose of a row-major N × K matrix: column j of B is row j there.
            // Read the panel's rows side by side, k in order, so each is streamed once.
            const float *src[LOOM_PANEL];
            for (size_t j = 0; j < LOOM_PANEL; j++) src[j] = B + (j0 + (j < width ? j : 0)) * ldb;
            for (size_t k = 0; k < K; k++) {
                float *row = dst + k * LOOM_PANEL;
                for (size_t j = 0; j < LOOM_PANEL; j++) row[j] = j < width ? src[j][k] : 0.0f;
            }
        }
    }
}

// How a block of C is stored: added to what C holds or not, then up to two bias vectors added
// (indexed from the block's first column; NULL for none).
typedef struct { int accumulate; const float *b1, *b2; } Epilogue;

// The epilogue of the block that starts at column j.
static inline Epilogue from_column(Epilogue e, size_t j) {
    if (e.b1) e.b1 += j;
    if (e.b2) e.b2 += j;
    return e;
}

// Portable version, the same sums in the same order as the vector kernels (for CPUs without
// AVX2 and other architectures; callers prefer BLAS there, see loom_packed_gemm_supported).
static void gemm_portable(int transA, size_t M, size_t K, const float *A, size_t lda, const float *packed, size_t n0,
                          size_t n1, Epilogue e, float *C, size_t ldc) {
    size_t panelStride = K * LOOM_PANEL;
    for (size_t i = 0; i < M; i++) {
        for (size_t j = n0; j < n1; j++) {
            const float *P = packed + j / LOOM_PANEL * panelStride + j % LOOM_PANEL;
            float s = 0.0f;
            for (size_t k = 0; k < K; k++) s = __builtin_fmaf(AT(A, transA, lda, i, k), P[k * LOOM_PANEL], s);
            float v = e.accumulate ? C[i * ldc + j] + s : s;
            if (e.b1) v += e.b1[j];
            if (e.b2) v += e.b2[j];
            C[i * ldc + j] = v;
        }
    }
}

/// Rows of A per pass over the packed columns: a block of about 128 KB stays in L2 while every
/// column strip streams past it, so large batches do not re-read all of A for each strip.
static size_t row_block(size_t K) {
    size_t rows = (128 * 1024 / sizeof(float)) / (K ? K : 1);
    rows = rows / 8 * 8;
    return rows < 8 ? 8 : rows;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define KERNEL_ATTR512 __attribute__((target("avx512f,avx2,fma"), always_inline)) static inline
#define DRIVER_ATTR512 __attribute__((target("avx512f,avx2,fma"), noinline)) static
#define KERNEL_ATTR256 __attribute__((target("avx2,fma"), always_inline)) static inline
#define DRIVER_ATTR256 __attribute__((target("avx2,fma"), noinline)) static

// A driver per instruction set: transA becomes a compile-time constant of its implementation.
#define DEFINE_DRIVER(ATTR, name, impl)                                                                  \
    ATTR void name(int transA, size_t M, size_t K, const float *A, size_t lda, const float *packed, size_t N, \
                   size_t n0, size_t n1, Epilogue e, float *C, size_t ldc) {                               \
        if (transA) impl(1, M, K, A, lda, packed, N, n0, n1, e, C, ldc);                                 \
        else impl(0, M, K, A, lda, packed, N, n0, n1, e, C, ldc);                                        \
    }

// C block (rows × width at C, ldc) = acc (+ C) (+ biases), as the epilogue says. NP = 1: one panel (width ≤ 16); NP = 2: two
// panels (width ≤ 32); NP = 3: one panel and at most 8 columns of the next (16 < width ≤ 24),
// which run as 256-bit operations: half the cost of a full 512-bit panel that is mostly padding
// (N = 20: 24 lanes of work per row instead of 32). Each element's sum is the same either way.
KERNEL_ATTR512
void kernel512(const size_t MR, const size_t NP, const int TA, size_t K, const float *A, size_t lda, const float *P, size_t panelStride,
               size_t width, Epilogue e, float *C, size_t ldc) {
    __m512 acc[8][2];
    __m256 half[8];
    for (size_t r = 0; r < MR; r++) {
        acc[r][0] = _mm512_setzero_ps(); acc[r][1] = _mm512_setzero_ps(); half[r] = _mm256_setzero_ps();
    }
    const float *P1 = P + panelStride;
    for (size_t k = 0; k < K; k++) {
        __m512 b0 = _mm512_loadu_ps(P + k * LOOM_PANEL);
        __m512 b1 = NP == 2 ? _mm512_loadu_ps(P1 + k * LOOM_PANEL) : b0;
        __m256 bh = NP == 3 ? _mm256_loadu_ps(P1 + k * LOOM_PANEL) : _mm512_castps512_ps256(b0);
        for (size_t r = 0; r < MR; r++) {
            __m512 a = _mm512_set1_ps(AT(A, TA, lda, r, k));
            acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
            if (NP == 2) acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
            if (NP == 3) half[r] = _mm256_fmadd_ps(_mm512_castps512_ps256(a), bh, half[r]);
        }
    }
    size_t w0 = width < 16 ? width : 16, w1 = width > 16 ? width - 16 : 0;
    __mmask16 m0 = (__mmask16)((1u << w0) - 1u), m1 = (__mmask16)((1u << w1) - 1u);
    for (size_t r = 0; r < MR; r++) {
        float *c = C + r * ldc;
        __m512 v0 = acc[r][0], v1 = NP == 3 ? _mm512_zextps256_ps512(half[r]) : acc[r][1];
        if (e.accumulate) {
            v0 = _mm512_add_ps(_mm512_maskz_loadu_ps(m0, c), v0);
            if (NP >= 2) v1 = _mm512_add_ps(_mm512_maskz_loadu_ps(m1, c + 16), v1);
        }
        if (e.b1) {
            v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, e.b1));
            if (NP >= 2) v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, e.b1 + 16));
        }
        if (e.b2) {
            v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, e.b2));
            if (NP >= 2) v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, e.b2 + 16));
        }
        _mm512_mask_storeu_ps(c, m0, v0);
        if (NP >= 2) _mm512_mask_storeu_ps(c + 16, m1, v1);
    }
}

// One column strip (NP as in kernel512) over all M rows, in blocks of 8, 4, 2, 1 rows.
KERNEL_ATTR512
void strip512(const size_t NP, const int TA, size_t M, size_t K, const float *A, size_t lda, const float *P, size_t panelStride,
              size_t width, Epilogue e, float *C, size_t ldc) {
    size_t i = 0;
    for (; i + 8 <= M; i += 8) kernel512(8, NP, TA, K, AROWS(A, TA, lda, i), lda, P, panelStride, width, e, C + i * ldc, ldc);
    if (M - i >= 4) { kernel512(4, NP, TA, K, AROWS(A, TA, lda, i), lda, P, panelStride, width, e, C + i * ldc, ldc); i += 4; }
    if (M - i >= 2) { kernel512(2, NP, TA, K, AROWS(A, TA, lda, i), lda, P, panelStride, width, e, C + i * ldc, ldc); i += 2; }
    if (M - i >= 1) kernel512(1, NP, TA, K, AROWS(A, TA, lda, i), lda, P, panelStride, width, e, C + i * ldc, ldc);
}

KERNEL_ATTR512
void gemm512_impl(const int TA, size_t M, size_t K, const float *A, size_t lda, const float *packed, size_t N, size_t n0,
                  size_t n1, Epilogue e, float *C, size_t ldc) {
    size_t panelStride = K * LOOM_PANEL;
    size_t rowBlock = row_block(K);
    for (size_t i0 = 0; i0 < M; i0 += rowBlock) {
        size_t rows = M - i0 < rowBlock ? M - i0 : rowBlock;
        const float *Ab = AROWS(A, TA, lda, i0);
        float *Cb = C + i0 * ldc;
        size_t j = n0;
        for (; j + 2 * LOOM_PANEL <= n1; j += 2 * LOOM_PANEL) {
            strip512(2, TA, rows, K, Ab, lda, packed + j / LOOM_PANEL * panelStride, panelStride, 2 * LOOM_PANEL,
                     from_column(e, j), Cb + j, ldc);
        }
        if (j < n1) {
            size_t width = n1 - j;
            const float *P = packed + j / LOOM_PANEL * panelStride;
            if (width > LOOM_PANEL + 8) strip512(2, TA, rows, K, Ab, lda, P, panelStride, width, from_column(e, j), Cb + j, ldc);
            else if (width > LOOM_PANEL) strip512(3, TA, rows, K, Ab, lda, P, panelStride, width, from_column(e, j), Cb + j, ldc);
            else strip512(1, TA, rows, K, Ab, lda, P, panelStride, width, from_column(e, j), Cb + j, ldc);
        }
    }
    (void)N;
}

DEFINE_DRIVER(DRIVER_ATTR512, gemm512, gemm512_impl)

// AVX2: MR × 16 block (one panel as two 8-float halves).
KERNEL_ATTR256
void kernel256(const size_t MR, const int TA, size_t K, const float *A, size_t lda, const float *P, size_t width, Epilogue e,
               float *C, size_t ldc) {
    __m256 acc[6][2];
    for (size_t r = 0; r < MR; r++) { acc[r][0] = _mm256_setzero_ps(); acc[r][1] = _mm256_setzero_ps(); }
    for (size_t k = 0; k < K; k++) {
        __m256 b0 = _mm256_loadu_ps(P + k * LOOM_PANEL), b1 = _mm256_loadu_ps(P + k * LOOM_PANEL + 8);
        for (size_t r = 0; r < MR; r++) {
            __m256 a = _mm256_set1_ps(AT(A, TA, lda, r, k));
            acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
        }
    }
    for (size_t r = 0; r < MR; r++) {
        float *c = C + r * ldc;
        if (width == LOOM_PANEL) {
            __m256 v0 = acc[r][0], v1 = acc[r][1];
            if (e.accumulate) { v0 = _mm256_add_ps(_mm256_loadu_ps(c), v0); v1 = _mm256_add_ps(_mm256_loadu_ps(c + 8), v1); }
            if (e.b1) { v0 = _mm256_add_ps(v0, _mm256_loadu_ps(e.b1)); v1 = _mm256_add_ps(v1, _mm256_loadu_ps(e.b1 + 8)); }
            if (e.b2) { v0 = _mm256_add_ps(v0, _mm256_loadu_ps(e.b2)); v1 = _mm256_add_ps(v1, _mm256_loadu_ps(e.b2 + 8)); }
            _mm256_storeu_ps(c, v0);
            _mm256_storeu_ps(c + 8, v1);
        } else {
            float tmp[LOOM_PANEL];
            _mm256_storeu_ps(tmp, acc[r][0]);
            _mm256_storeu_ps(tmp + 8, acc[r][1]);
            for (size_t j = 0; j < width; j++) {
                float v = e.accumulate ? c[j] + tmp[j] : tmp[j];
                if (e.b1) v += e.b1[j];
                if (e.b2) v += e.b2[j];
                c[j] = v;
            }
        }
    }
}

KERNEL_ATTR256
void gemm256_impl(const int TA, size_t M, size_t K, const float *A, size_t lda, const float *packed, size_t N, size_t n0,
                  size_t n1, Epilogue e, float *C, size_t ldc) {
    size_t panelStride = K * LOOM_PANEL;
    size_t rowBlock = row_block(K);
    for (size_t i0 = 0; i0 < M; i0 += rowBlock) {
        size_t end = M - i0 < rowBlock ? M : i0 + rowBlock;
        for (size_t j = n0; j < n1; j += LOOM_PANEL) {
            const float *P = packed + j / LOOM_PANEL * panelStride;
            size_t width = n1 - j < LOOM_PANEL ? n1 - j : LOOM_PANEL;
            size_t i = i0;
            const Epilogue ej = from_column(e, j);
            for (; i + 6 <= end; i += 6) kernel256(6, TA, K, AROWS(A, TA, lda, i), lda, P, width, ej, C + i * ldc + j, ldc);
            if (end - i >= 4) { kernel256(4, TA, K, AROWS(A, TA, lda, i), lda, P, width, ej, C + i * ldc + j, ldc); i += 4; }
            if (end - i >= 2) { kernel256(2, TA, K, AROWS(A, TA, lda, i), lda, P, width, ej, C + i * ldc + j, ldc); i += 2; }
            if (end - i >= 1) kernel256(1, TA, K, AROWS(A, TA, lda, i), lda, P, width, ej, C + i * ldc + j, ldc);
        }
    }
    (void)N;
}

DEFINE_DRIVER(DRIVER_ATTR256, gemm256, gemm256_impl)

// 16 × 16 transpose in registers: out[j][i] = in[i][j]. Pairs of rows interleave within 128-bit
// lanes (unpack), groups of four rows gather one column per lane (shuffle), and a 4 × 4 transpose
// of the 128-bit lanes (shuffle_f32x4) puts each column's 16 values in one register.
__attribute__((target("avx512f"), always_inline)) static inline void transpose16(const __m512 in[16], __m512 out[16]) {
    __m512 u[16];
    for (int g = 0; g < 4; g++) {
        __m512 t0 = _mm512_unpacklo_ps(in[4 * g], in[4 * g + 1]), t1 = _mm512_unpackhi_ps(in[4 * g], in[4 * g + 1]);
        __m512 t2 = _mm512_unpacklo_ps(in[4 * g + 2], in[4 * g + 3]), t3 = _mm512_unpackhi_ps(in[4 * g + 2], in[4 * g + 3]);
        u[4 * g] = _mm512_shuffle_ps(t0, t2, 0x44);         // column 4L of rows 4g…4g+3, in lane L
        u[4 * g + 1] = _mm512_shuffle_ps(t0, t2, 0xEE);     // column 4L + 1
        u[4 * g + 2] = _mm512_shuffle_ps(t1, t3, 0x44);     // column 4L + 2
        u[4 * g + 3] = _mm512_shuffle_ps(t1, t3, 0xEE);     // column 4L + 3
    }
    for (int c = 0; c < 4; c++) {
        __m512 v0 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0x44), v1 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0xEE);
        __m512 v2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0x44), v3 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0xEE);
        out[c] = _mm512_shuffle_f32x4(v0, v2, 0x88);
        out[4 + c] = _mm512_shuffle_f32x4(v0, v2, 0xDD);
        out[8 + c] = _mm512_shuffle_f32x4(v1, v3, 0x88);
        out[12 + c] = _mm512_shuffle_f32x4(v1, v3, 0xDD);
    }
}

// The packing of pack_portable with vector moves: a masked load per row of a plain panel, and for
// a transposed one 16 × 16 blocks transposed in registers (the scalar loops cost ~1 cycle per
// element, a visible share of small models' steps, where W_hh is packed every sequence).
__attribute__((target("avx512f"), noinline)) static void pack512(const float *B, size_t ldb, int transposed, size_t K, size_t N,
                                                                  float *packed) {
    size_t panels = (N + LOOM_PANEL - 1) / LOOM_PANEL;
    for (size_t p = 0; p < panels; p++) {
        float *dst = packed + p * K * LOOM_PANEL;
        size_t j0 = p * LOOM_PANEL, width = N - j0 < LOOM_PANEL ? N - j0 : LOOM_PANEL;
        if (!transposed) {
            __mmask16 m = (__mmask16)((1u << width) - 1u);
            for (size_t k = 0; k < K; k++) _mm512_storeu_ps(dst + k * LOOM_PANEL, _mm512_maskz_loadu_ps(m, B + k * ldb + j0));
            continue;
        }
        for (size_t k0 = 0; k0 < K; k0 += 16) {
            size_t kk = K - k0 < 16 ? K - k0 : 16;
            __mmask16 m = (__mmask16)((1u << kk) - 1u);
            __m512 in[16], out[16];
            for (size_t j = 0; j < 16; j++) {
                in[j] = j < width ? _mm512_maskz_loadu_ps(m, B + (j0 + j) * ldb + k0) : _mm512_setzero_ps();
            }
            transpose16(in, out);
            for (size_t k = 0; k < kk; k++) _mm512_storeu_ps(dst + (k0 + k) * LOOM_PANEL, out[k]);
        }
    }
}

void loom_pack_f32(const float *B, size_t ldb, int transposed, size_t K, size_t N, float *packed) {
    if (loom_cpu_level() == LOOM_CPU_AVX512) pack512(B, ldb, transposed, K, N, packed);
    else pack_portable(B, ldb, transposed, K, N, packed);
}

int loom_packed_gemm_supported(void) { return loom_cpu_level() != LOOM_CPU_BASELINE; }

void loom_packed_gemm_f32(int transA, size_t M, size_t K, const float *A, size_t lda, const float *packed, size_t N,
                          size_t n0, size_t n1, int accumulate, const float *b1, const float *b2, float *C, size_t ldc) {
    if (M == 0 || n1 <= n0) return;
    const Epilogue e = {accumulate, b1, b2};
    int l = loom_cpu_level();
    if (l == LOOM_CPU_AVX512) gemm512(transA, M, K, A, lda, packed, N, n0, n1, e, C, ldc);
    else if (l == LOOM_CPU_AVX2_FMA) gemm256(transA, M, K, A, lda, packed, N, n0, n1, e, C, ldc);
    else gemm_portable(transA, M, K, A, lda, packed, n0, n1 < N ? n1 : N, e, C, ldc);
}

#else

void loom_pack_f32(const float *B, size_t ldb, int transposed, size_t K, size_t N, float *packed) {
    pack_portable(B, ldb, transposed, K, N, packed);
}

int loom_packed_gemm_supported(void) { return 0; }

void loom_packed_gemm_f32(int transA, size_t M, size_t K, const float *A, size_t lda, const float *packed, size_t N,
                          size_t n0, size_t n1, int accumulate, const float *b1, const float *b2, float *C, size_t ldc) {
    if (M == 0 || n1 <= n0) return;
    const Epilogue e = {accumulate, b1, b2};
    gemm_portable(transA, M, K, A, lda, packed, n0, n1 < N ? n1 : N, e, C, ldc);
}

#endif
