// Fused in-place parameter updates of Loom's optimizers (Float32), one call per parameter tensor.
// Each loop reads and writes every buffer once and vectorizes. Scalars arrive already rounded to
// float (formed in double by the caller, as PyTorch forms them from Python floats); the steps
// PyTorch's CPU kernels compute with a fused multiply-add (add with alpha, lerp, addcmul) round
// once here too, so results match PyTorch's to the bit (see LoomOptim's optimizer files).
// Buffers must not overlap. Optional buffers are NULL when unused.
#ifndef CLOOM_OPTIMIZERS_H
#define CLOOM_OPTIMIZERS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// SGD: g' = g + wd·p; with momentum (buf != NULL): buf = first ? g' : momentum·buf + (1 − dampening)·g',
/// step = nesterov ? g' + momentum·buf : buf; without: step = g'. p ← p − lr·step.
/// `keep` is 1 − dampening, `neg_lr` is −lr.
void loom_sgd_f32(float *restrict p, const float *restrict g, float *restrict buf, size_t n, float weight_decay,
                  float momentum, float keep, int nesterov, int first, float neg_lr);

/// Adam/AdamW: p ← p·shrink (AdamW's 1 − lr·wd; 1 for none); g' = g + l2·p; m ← m + (1 − β₁)(g' − m);
/// v ← β₂v + (1 − β₂)g'²; vmax ← max(vmax, v) when vmax != NULL (AMSGrad);
/// p ← p + (neg_step·m) / (√v̂ / correction2 + eps) with v̂ = vmax or v.
void loom_adam_f32(float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                   float *restrict vmax, size_t n, float shrink, float l2, float m_weight, float beta2,
                   float v_weight, float neg_step, float correction2, float eps);

/// RMSprop: g' = g + wd·p; s ← αs + (1 − α)g'²; centered (gavg != NULL): gavg ← gavg + (1 − α)(g' − gavg),
/// d = √(s − gavg²) + eps, else d = √s + eps; momentum (buf != NULL): buf ← μ·buf + g'/d, p ← p − lr·buf;
/// else p ← p + (−lr·g')/d.
void loom_rmsprop_f32(float *restrict p, const float *restrict g, float *restrict s, float *restrict buf,
                      float *restrict gavg, size_t n, float weight_decay, float alpha, float one_minus_alpha,
                      float eps, float momentum, float neg_lr);

#ifdef __cplusplus
}
#endif
#endif
