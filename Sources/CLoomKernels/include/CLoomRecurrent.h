// Fused point-wise kernels of the recurrent cells (Float32), one call per time step.
// Legend: n active rows (batch entries at this step), H hidden size. Gate blocks are stored
// row-major, each row holding the gates side by side in PyTorch's order.
// Buffers passed to one call must not overlap (they are `restrict`), except where noted.
#ifndef CLOOM_RECURRENT_H
#define CLOOM_RECURRENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// LSTM step. gates (n × 4H) holds the pre-activations [i f g o] on entry and the activations
/// σ(i) σ(f) tanh(g) σ(o) on exit. c = f·cprev + i·g, tc = tanh(c), m = o·tc.
/// cprev/c/tc/m have row stride ldc / ldc / H / ldm.
void loom_lstm_step_f32(float *restrict gates, const float *restrict cprev, size_t ldcprev, float *restrict c, size_t ldc,
                        float *restrict tc, float *restrict m, size_t ldm, size_t n, size_t H);

/// LSTM step backward. dm: ∂L/∂m (n × H, stride ldm); dc: ∂L/∂c from the next step (n × H,
/// stride lddc), replaced by ∂L/∂cprev. Writes the pre-activation gradients dz (n × 4H).
void loom_lstm_step_backward_f32(const float *restrict gates, const float *restrict cprev, size_t ldcprev, const float *restrict tc,
                                 const float *restrict dm, size_t ldm, float *restrict dc, size_t lddc, float *restrict dz,
                                 size_t n, size_t H);

/// GRU step (reset gate applied after the hidden projection, as PyTorch). xg (n × 3H): input
/// projections with b_ih, overwritten with the activations [r z n]; hg (n × 3H): hprev·W_hhᵀ, to
/// which b_hh (3H, may be NULL) is added in place (the backward pass reads hg + b_hh).
/// h = (1 − z)·n + z·hprev.
void loom_gru_step_f32(float *restrict xg, float *restrict hg, const float *restrict bhh, const float *restrict hprev,
                       size_t ldhprev, float *restrict h, size_t ldh, size_t n, size_t H);

/// GRU step backward. dh (n × H): ∂L/∂h. Writes dxg (∂ pre-activations of the input part),
/// dhg (∂ of hg) and adds z·dh into dhprev (stride lddhprev).
void loom_gru_step_backward_f32(const float *restrict gates, const float *restrict hg, const float *restrict hprev, size_t ldhprev,
                                const float *restrict dh, size_t lddh, float *restrict dxg, float *restrict dhg,
                                float *restrict dhprev, size_t lddhprev, size_t n, size_t H);

/// Element-wise tanh (relu = 0) or max(x, 0) (relu = 1) in place over n × H (stride ld).
void loom_rnn_step_f32(float *restrict x, size_t ld, size_t n, size_t H, int relu);

/// dz = dh · act′ computed from the activation output h.
void loom_rnn_step_backward_f32(const float *restrict h, size_t ldh, const float *restrict dh, size_t lddh,
                                float *restrict dz, size_t n, size_t H, int relu);

#ifdef __cplusplus
}
#endif
#endif
