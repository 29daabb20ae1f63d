// Vectorized element-wise kernels (see InlineMath.h for the approximations).
#include "CLoomKernels.h"
#include "InlineMath.h"

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

LOOM_CLONES
void loom_add_row_bias_f32(float *restrict x, size_t rows, size_t cols, const float *restrict b1, const float *restrict b2) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = x + r * cols;
        if (b2) {
            for (size_t j = 0; j < cols; j++) row[j] = (row[j] + b1[j]) + b2[j];
        } else {
            for (size_t j = 0; j < cols; j++) row[j] += b1[j];
        }
    }
}

LOOM_CLONES
void loom_column_sums_f32(const float *restrict x, size_t rows, size_t cols, float *restrict out) {
    for (size_t j = 0; j < cols; j++) out[j] = 0.0f;
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = x + r * cols;
        for (size_t j = 0; j < cols; j++) out[j] += row[j];
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
