// Fused point-wise kernels of LSTM, GRU and Elman RNN steps (forward and backward).
//
// Each row is processed in blocks of LANES elements whose math runs over exactly LANES lanes
// (always vectorized). Hidden sizes are rarely multiples of LANES (20, 50, 100 …), and a
// zero-padded partial block is slow (element-wise conditional loads and stores). So when
// H ≥ LANES a short remainder (2, 4 or 8 elements: H = 50, 20, 100, 200 …) is gathered from
// several rows into one block with register shuffles (gather_tails, LSTM and GRU); otherwise
// the row's remainder is covered by one more full block over its last LANES elements,
// overlapping the previous block. Its inputs are loaded before any of the row's stores: kernels
// that update in place (activations over pre-activations, dc, dhprev) then write the
// overlapping elements twice with the same values. Only rows shorter than LANES take the padded
// path.
#include "CLoomRecurrent.h"
#include "InlineMath.h"

#define LANES 16
#define INLINE static inline __attribute__((always_inline))

// dst[0..<LANES] = src[0..<len], zero-padded; a constant LANES copy when len == LANES.
INLINE void load(float *restrict dst, const float *restrict src, size_t len) {
    if (len == LANES) {
        for (size_t k = 0; k < LANES; k++) dst[k] = src[k];
    } else {
        for (size_t k = 0; k < LANES; k++) dst[k] = k < len ? src[k] : 0.0f;
    }
}

INLINE void store(float *restrict dst, const float *restrict src, size_t len) {
    if (len == LANES) {
        for (size_t k = 0; k < LANES; k++) dst[k] = src[k];
    } else {
        for (size_t k = 0; k < len; k++) dst[k] = src[k];
    }
}

// dst[0..<n] = src[0..<n] for the short row remainders (n ≤ LANES / 2): fixed-size moves for
// the common lengths (H = 20, 36, 100 leave 4; H = 50 leaves 2), an element loop otherwise.
INLINE void copy_short(float *restrict dst, const float *restrict src, size_t n) {
    switch (n) {
    case 2: __builtin_memcpy(dst, src, 2 * sizeof(float)); break;
    case 4: __builtin_memcpy(dst, src, 4 * sizeof(float)); break;
    case 8: __builtin_memcpy(dst, src, 8 * sizeof(float)); break;
    default: for (size_t k = 0; k < n; k++) dst[k] = src[k];
    }
}

// The rem-element row remainders of LANES / rem rows as one LANES block and back, for rem = 2,
// 4 or 8 (H = 50, 20, 200 …): register shuffles, so the block never goes through memory in
// pieces. `stride` is the distance between the rows (0 repeats one row).
typedef float LoomV2 __attribute__((vector_size(8)));
typedef float LoomV4 __attribute__((vector_size(16)));
typedef float LoomV8 __attribute__((vector_size(32)));
typedef float LoomV16 __attribute__((vector_size(64)));
// Macros rather than functions: vectors wider than 16 bytes as arguments or results would be an
// ABI question in the baseline clone (-Wpsabi), although everything is inlined.
#define LOAD_V(T, p) ({ T v_; __builtin_memcpy(&v_, (p), sizeof v_); v_; })
#define JOIN2(a, b) __builtin_shufflevector((a), (b), 0, 1, 2, 3)
#define JOIN4(a, b) __builtin_shufflevector((a), (b), 0, 1, 2, 3, 4, 5, 6, 7)
#define JOIN8(a, b) __builtin_shufflevector((a), (b), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
INLINE void gather_tails(float *restrict dst, const float *restrict p, size_t stride, size_t rem) {
    LoomV16 v;
    if (rem == 2) {
        const float *q = p + 4 * stride;
        LoomV8 a = JOIN4(JOIN2(LOAD_V(LoomV2, p), LOAD_V(LoomV2, p + stride)),
                         JOIN2(LOAD_V(LoomV2, p + 2 * stride), LOAD_V(LoomV2, p + 3 * stride)));
        LoomV8 b = JOIN4(JOIN2(LOAD_V(LoomV2, q), LOAD_V(LoomV2, q + stride)),
                         JOIN2(LOAD_V(LoomV2, q + 2 * stride), LOAD_V(LoomV2, q + 3 * stride)));
        v = JOIN8(a, b);
    } else if (rem == 4) {
        LoomV8 a = JOIN4(LOAD_V(LoomV4, p), LOAD_V(LoomV4, p + stride));
        LoomV8 b = JOIN4(LOAD_V(LoomV4, p + 2 * stride), LOAD_V(LoomV4, p + 3 * stride));
        v = JOIN8(a, b);
    } else {
        v = JOIN8(LOAD_V(LoomV8, p), LOAD_V(LoomV8, p + stride));
    }
    __builtin_memcpy(dst, &v, sizeof v);
}
INLINE void scatter_tails(float *restrict p, size_t stride, const float *restrict src, size_t rem) {
    LoomV16 v;
    __builtin_memcpy(&v, src, sizeof v);
    if (rem == 2) {
        for (size_t q = 0; q < 8; q++) {
            LoomV2 piece = { v[2 * q], v[2 * q + 1] };
            __builtin_memcpy(p + q * stride, &piece, sizeof piece);
        }
    } else if (rem == 4) {
        LoomV4 a = __builtin_shufflevector(v, v, 0, 1, 2, 3), b = __builtin_shufflevector(v, v, 4, 5, 6, 7);
        LoomV4 c = __builtin_shufflevector(v, v, 8, 9, 10, 11), d = __builtin_shufflevector(v, v, 12, 13, 14, 15);
        __builtin_memcpy(p, &a, sizeof a); __builtin_memcpy(p + stride, &b, sizeof b);
        __builtin_memcpy(p + 2 * stride, &c, sizeof c); __builtin_memcpy(p + 3 * stride, &d, sizeof d);
    } else {
        LoomV8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7);
        LoomV8 b = __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
        __builtin_memcpy(p, &a, sizeof a); __builtin_memcpy(p + stride, &b, sizeof b);
    }
}

// Runs LOAD(in, j, len) / FINISH(in, j, len) over a row of H elements as described above.
#define ROW_BLOCKS(Input, LOAD, FINISH, H)                                      \
    do {                                                                        \
        if ((H) < LANES) {                                                      \
            Input rowIn_; LOAD(&rowIn_, 0, (H)); FINISH(&rowIn_, 0, (H));                   \
            break;                                                              \
        }                                                                       \
        size_t tail_ = (H) - LANES;                                             \
        int hasTail_ = (H) % LANES != 0;                                        \
        Input tailIn_;                                                               \
        if (hasTail_) LOAD(&tailIn_, tail_, LANES);                                  \
        for (size_t j_ = 0; j_ + LANES <= (H); j_ += LANES) {                   \
            Input blockIn_; LOAD(&blockIn_, j_, LANES); FINISH(&blockIn_, j_, LANES);             \
        }                                                                       \
        if (hasTail_) FINISH(&tailIn_, tail_, LANES);                                \
    } while (0)

// MARK: LSTM

typedef struct { float i[LANES], f[LANES], g[LANES], o[LANES], c[LANES]; } LstmIn;

// The LSTM cell over LANES lanes: activations in place, c updated, tanh(c) and m = o·tanh(c) out.
INLINE void lstm_math(LstmIn *x, float *restrict t, float *restrict m) {
    for (size_t k = 0; k < LANES; k++) {
        x->i[k] = loom_sigmoid_step(x->i[k]); x->f[k] = loom_sigmoid_step(x->f[k]);
        x->g[k] = loom_tanh_step(x->g[k]); x->o[k] = loom_sigmoid_step(x->o[k]);
        x->c[k] = x->f[k] * x->c[k] + x->i[k] * x->g[k];
        t[k] = loom_tanh_step(x->c[k]);
        m[k] = x->o[k] * t[k];
    }
}

// Rows whose length leaves a short remainder (H = 20, 50, 100: 4, 2, 4 elements past the last
// full block) pack the remainders of several rows into one block instead of running an
// overlapping block per row: H = 20 computes 20 + 4 lanes per row instead of 32.
#define GROUPED_TAILS(H) ((H) >= LANES && (H) % LANES != 0 && (H) % LANES <= LANES / 2)
// Remainders that gather_tails moves with shuffles (others go through copy_short or overlap).
#define SHUFFLED_TAILS(H) (GROUPED_TAILS(H) && ((H) % LANES == 2 || (H) % LANES == 4 || (H) % LANES == 8))

// How n rows of H elements split for the shuffled remainders: `rows` (a multiple of `per`, the
// rows per gathered block) leave their `rem`-element remainders to gather_tails; 0 when H's
// remainder is not shuffled.
typedef struct { size_t rem, per, rows; } TailGroups;
INLINE TailGroups tail_groups(size_t n, size_t H) {
    TailGroups t = { H % LANES, 1, 0 };
    if (SHUFFLED_TAILS(H)) {
        t.per = LANES / t.rem;
        t.rows = n - n % t.per;
    }
    return t;
}

LOOM_CLONES
void loom_lstm_step_f32(float *restrict gates, const float *restrict cprev, size_t ldcprev, float *restrict c, size_t ldc,
                        float *restrict tc, float *restrict m, size_t ldm, size_t n, size_t H) {
    const int grouped = GROUPED_TAILS(H);
    const size_t rem = H % LANES, rowH = grouped ? H - rem : H;
    for (size_t r = 0; r < n; r++) {
        float *gi = gates + r * 4 * H, *gf = gi + H, *gg = gf + H, *go = gg + H;
        const float *cp = cprev + r * ldcprev;
        float *cr = c + r * ldc, *tr = tc + r * H, *mr = m + r * ldm;
#define LSTM_LOAD(x, j, len) do { load((x)->i, gi + (j), len); load((x)->f, gf + (j), len); load((x)->g, gg + (j), len); \
                                  load((x)->o, go + (j), len); load((x)->c, cp + (j), len); } while (0)
#define LSTM_FINISH(x, j, len) do {                                                                           \
            float t_[LANES], m_[LANES];                                                                       \
            lstm_math((x), t_, m_);                                                                           \
            store(gi + (j), (x)->i, len); store(gf + (j), (x)->f, len); store(gg + (j), (x)->g, len);         \
            store(go + (j), (x)->o, len); store(cr + (j), (x)->c, len); store(tr + (j), t_, len);             \
            store(mr + (j), m_, len);                                                                         \
        } while (0)
        ROW_BLOCKS(LstmIn, LSTM_LOAD, LSTM_FINISH, rowH);
#undef LSTM_LOAD
#undef LSTM_FINISH
    }
    if (!grouped) return;
    const size_t per = LANES / rem;
    for (size_t r0 = 0; r0 < n; r0 += per) {
        const size_t rows = n - r0 < per ? n - r0 : per;
        LstmIn x;
        float t_[LANES], m_[LANES];
        if (SHUFFLED_TAILS(H) && rows == per) {
            const size_t G = 4 * H;
            float *g0 = gates + r0 * G + rowH;
            float *cr = c + r0 * ldc + rowH, *tr = tc + r0 * H + rowH, *mr = m + r0 * ldm + rowH;
            gather_tails(x.i, g0, G, rem); gather_tails(x.f, g0 + H, G, rem); gather_tails(x.g, g0 + 2 * H, G, rem);
            gather_tails(x.o, g0 + 3 * H, G, rem); gather_tails(x.c, cprev + r0 * ldcprev + rowH, ldcprev, rem);
            lstm_math(&x, t_, m_);
            scatter_tails(g0, G, x.i, rem); scatter_tails(g0 + H, G, x.f, rem); scatter_tails(g0 + 2 * H, G, x.g, rem);
            scatter_tails(g0 + 3 * H, G, x.o, rem); scatter_tails(cr, ldc, x.c, rem); scatter_tails(tr, H, t_, rem);
            scatter_tails(mr, ldm, m_, rem);
            continue;
        }
        for (size_t l = 0; l < LANES; l++) { x.i[l] = 0.0f; x.f[l] = 0.0f; x.g[l] = 0.0f; x.o[l] = 0.0f; x.c[l] = 0.0f; }
        for (size_t q = 0; q < rows; q++) {
            const float *g0 = gates + (r0 + q) * 4 * H + rowH, *cp = cprev + (r0 + q) * ldcprev + rowH;
            size_t l = q * rem;
            copy_short(x.i + l, g0, rem); copy_short(x.f + l, g0 + H, rem); copy_short(x.g + l, g0 + 2 * H, rem);
            copy_short(x.o + l, g0 + 3 * H, rem); copy_short(x.c + l, cp, rem);
        }
        lstm_math(&x, t_, m_);
        for (size_t q = 0; q < rows; q++) {
            float *g0 = gates + (r0 + q) * 4 * H + rowH;
            float *cr = c + (r0 + q) * ldc + rowH, *tr = tc + (r0 + q) * H + rowH, *mr = m + (r0 + q) * ldm + rowH;
            size_t l = q * rem;
            copy_short(g0, x.i + l, rem); copy_short(g0 + H, x.f + l, rem); copy_short(g0 + 2 * H, x.g + l, rem);
            copy_short(g0 + 3 * H, x.o + l, rem); copy_short(cr, x.c + l, rem); copy_short(tr, t_ + l, rem);
            copy_short(mr, m_ + l, rem);
        }
    }
}

typedef struct { float i[LANES], f[LANES], g[LANES], o[LANES], t[LANES], c0[LANES], d[LANES], dc[LANES]; } LstmBackIn;

// The LSTM cell's backward over LANES lanes: pre-activation gradients out, dc carried back.
INLINE void lstm_back_math(LstmBackIn *x, float *restrict di, float *restrict df, float *restrict dg, float *restrict dout) {
    for (size_t k = 0; k < LANES; k++) {
        float dcn = x->dc[k] + x->d[k] * x->o[k] * (1.0f - x->t[k] * x->t[k]);
        di[k] = dcn * x->g[k] * x->i[k] * (1.0f - x->i[k]);
        df[k] = dcn * x->c0[k] * x->f[k] * (1.0f - x->f[k]);
        dg[k] = dcn * x->i[k] * (1.0f - x->g[k] * x->g[k]);
        dout[k] = x->d[k] * x->t[k] * x->o[k] * (1.0f - x->o[k]);
        x->dc[k] = dcn * x->f[k];
    }
}

LOOM_CLONES
void loom_lstm_step_backward_f32(const float *restrict gates, const float *restrict cprev, size_t ldcprev, const float *restrict tc,
                                 const float *restrict dm, size_t ldm, float *restrict dc, size_t lddc, float *restrict dz,
                                 size_t n, size_t H) {
    // Rows in groups (tail_groups) leave their 2-, 4- or 8-element remainders to one gathered
    // block per group; other rows cover theirs with an overlapping block.
    const TailGroups tails = tail_groups(n, H);
    const size_t rem = tails.rem, per = tails.per, groupedRows = tails.rows;
#define LSTMB_LOAD(x, j, len) do { load((x)->i, gi + (j), len); load((x)->f, gf + (j), len); load((x)->g, gg + (j), len); \
                                   load((x)->o, go + (j), len); load((x)->t, tr + (j), len); load((x)->c0, cp + (j), len); \
                                   load((x)->d, dmr + (j), len); load((x)->dc, dcr + (j), len); } while (0)
#define LSTMB_FINISH(x, j, len) do {                                                                          \
            float a_[LANES], b_[LANES], e_[LANES], h_[LANES];                                                 \
            lstm_back_math((x), a_, b_, e_, h_);                                                              \
            store(dzi + (j), a_, len); store(dzf + (j), b_, len); store(dzg + (j), e_, len);                  \
            store(dzo + (j), h_, len); store(dcr + (j), (x)->dc, len);                                        \
        } while (0)
#define LSTMB_ROWS(from, to, width) do {                                                                      \
        for (size_t r = (from); r < (to); r++) {                                                              \
            const float *gi = gates + r * 4 * H, *gf = gi + H, *gg = gf + H, *go = gg + H;                     \
            const float *cp = cprev + r * ldcprev, *tr = tc + r * H, *dmr = dm + r * ldm;                     \
            float *dcr = dc + r * lddc;                                                                       \
            float *dzi = dz + r * 4 * H, *dzf = dzi + H, *dzg = dzf + H, *dzo = dzg + H;                      \
            ROW_BLOCKS(LstmBackIn, LSTMB_LOAD, LSTMB_FINISH, (width));                                        \
        }                                                                                                     \
    } while (0)
    LSTMB_ROWS(0, groupedRows, H - rem);
    LSTMB_ROWS(groupedRows, n, H);
#undef LSTMB_ROWS
#undef LSTMB_LOAD
#undef LSTMB_FINISH
    for (size_t r0 = 0; r0 < groupedRows; r0 += per) {
        const size_t j = H - rem, G = 4 * H;
        const float *g0 = gates + r0 * G + j;
        LstmBackIn x;
        float a_[LANES], b_[LANES], e_[LANES], h_[LANES];
        gather_tails(x.i, g0, G, rem); gather_tails(x.f, g0 + H, G, rem);
        gather_tails(x.g, g0 + 2 * H, G, rem); gather_tails(x.o, g0 + 3 * H, G, rem);
        gather_tails(x.t, tc + r0 * H + j, H, rem); gather_tails(x.c0, cprev + r0 * ldcprev + j, ldcprev, rem);
        gather_tails(x.d, dm + r0 * ldm + j, ldm, rem); gather_tails(x.dc, dc + r0 * lddc + j, lddc, rem);
        lstm_back_math(&x, a_, b_, e_, h_);
        float *d0 = dz + r0 * G + j;
        scatter_tails(d0, G, a_, rem); scatter_tails(d0 + H, G, b_, rem);
        scatter_tails(d0 + 2 * H, G, e_, rem); scatter_tails(d0 + 3 * H, G, h_, rem);
        scatter_tails(dc + r0 * lddc + j, lddc, x.dc, rem);
    }
}

// MARK: GRU

typedef struct { float a[LANES], b[LANES], c[LANES], d[LANES], e[LANES], f[LANES], p[LANES]; } GruIn;

// x[0..<LANES] += b[0..<len] (zero-padded like load).
INLINE void add_loaded(float *restrict x, const float *restrict b, size_t len) {
    float t[LANES];
    load(t, b, len);
    for (size_t k = 0; k < LANES; k++) x[k] += t[k];
}

// The GRU cell over LANES lanes: r, z, n in place of the input-side pre-activations, h_t to y.
INLINE void gru_math(GruIn *x, float *restrict y) {
    for (size_t k = 0; k < LANES; k++) {
        float rg = loom_sigmoid_step(x->a[k] + x->d[k]);
        float zg = loom_sigmoid_step(x->b[k] + x->e[k]);
        float ng = loom_tanh_step(x->c[k] + rg * x->f[k]);
        x->a[k] = rg; x->b[k] = zg; x->c[k] = ng;
        y[k] = (1.0f - zg) * ng + zg * x->p[k];
    }
}

LOOM_CLONES
void loom_gru_step_f32(float *restrict xg, float *restrict hg, const float *restrict bhh, const float *restrict hprev,
                       size_t ldhprev, float *restrict h, size_t ldh, size_t n, size_t H) {
    // Rows in groups (tail_groups) leave their 2-, 4- or 8-element remainders to one gathered
    // block per group, as the LSTM kernels do.
    const TailGroups tails = tail_groups(n, H);
    const size_t rem = tails.rem, per = tails.per, groupedRows = tails.rows;
#define GRU_LOAD(x, j, len) do { load((x)->a, xr + (j), len); load((x)->b, xz + (j), len); load((x)->c, xn + (j), len); \
                                 load((x)->d, hr + (j), len); load((x)->e, hz + (j), len); load((x)->f, hn + (j), len); \
                                 load((x)->p, hp + (j), len);                                                        \
                                 if (bhh) { add_loaded((x)->d, bhh + (j), len); add_loaded((x)->e, bhh + H + (j), len); \
                                            add_loaded((x)->f, bhh + 2 * H + (j), len); } } while (0)
#define GRU_FINISH(x, j, len) do {                                                                            \
            float y_[LANES];                                                                                  \
            gru_math((x), y_);                                                                                \
            store(xr + (j), (x)->a, len); store(xz + (j), (x)->b, len); store(xn + (j), (x)->c, len);         \
            store(out + (j), y_, len);                                                                        \
            if (bhh) { store(hr + (j), (x)->d, len); store(hz + (j), (x)->e, len); store(hn + (j), (x)->f, len); } \
        } while (0)
#define GRU_ROWS(from, to, width) do {                                                                        \
        for (size_t r = (from); r < (to); r++) {                                                              \
            float *xr = xg + r * 3 * H, *xz = xr + H, *xn = xz + H;                                           \
            float *hr = hg + r * 3 * H, *hz = hr + H, *hn = hz + H;                                           \
            const float *hp = hprev + r * ldhprev;                                                            \
            float *out = h + r * ldh;                                                                         \
            ROW_BLOCKS(GruIn, GRU_LOAD, GRU_FINISH, (width));                                                 \
        }                                                                                                     \
    } while (0)
    GRU_ROWS(0, groupedRows, H - rem);
    GRU_ROWS(groupedRows, n, H);
#undef GRU_ROWS
#undef GRU_LOAD
#undef GRU_FINISH
    for (size_t r0 = 0; r0 < groupedRows; r0 += per) {
        const size_t j = H - rem, G = 3 * H;
        float *x0 = xg + r0 * G + j, *hg0 = hg + r0 * G + j;
        GruIn x;
        float y_[LANES];
        gather_tails(x.a, x0, G, rem); gather_tails(x.b, x0 + H, G, rem); gather_tails(x.c, x0 + 2 * H, G, rem);
        gather_tails(x.d, hg0, G, rem); gather_tails(x.e, hg0 + H, G, rem); gather_tails(x.f, hg0 + 2 * H, G, rem);
        gather_tails(x.p, hprev + r0 * ldhprev + j, ldhprev, rem);
        if (bhh) {
            float b_[LANES];   // the same biases for each row of the group
            gather_tails(b_, bhh + j, 0, rem); for (size_t k = 0; k < LANES; k++) x.d[k] += b_[k];
            gather_tails(b_, bhh + H + j, 0, rem); for (size_t k = 0; k < LANES; k++) x.e[k] += b_[k];
            gather_tails(b_, bhh + 2 * H + j, 0, rem); for (size_t k = 0; k < LANES; k++) x.f[k] += b_[k];
        }
        gru_math(&x, y_);
        scatter_tails(x0, G, x.a, rem); scatter_tails(x0 + H, G, x.b, rem); scatter_tails(x0 + 2 * H, G, x.c, rem);
        scatter_tails(h + r0 * ldh + j, ldh, y_, rem);
        if (bhh) { scatter_tails(hg0, G, x.d, rem); scatter_tails(hg0 + H, G, x.e, rem); scatter_tails(hg0 + 2 * H, G, x.f, rem); }
    }
}

typedef struct { float rg[LANES], zg[LANES], ng[LANES], hh[LANES], p[LANES], d[LANES], acc[LANES]; } GruBackIn;

LOOM_CLONES
void loom_gru_step_backward_f32(const float *restrict gates, const float *restrict hg, const float *restrict hprev, size_t ldhprev,
                                const float *restrict dh, size_t lddh, float *restrict dxg, float *restrict dhg,
                                float *restrict dhprev, size_t lddhprev, size_t n, size_t H) {
    for (size_t r = 0; r < n; r++) {
        const float *gr = gates + r * 3 * H, *gz = gr + H, *gn = gz + H;
        const float *hn = hg + r * 3 * H + 2 * H;
        const float *hp = hprev + r * ldhprev, *dd = dh + r * lddh;
        float *dxr = dxg + r * 3 * H, *dxz = dxr + H, *dxn = dxz + H;
        float *dhr = dhg + r * 3 * H, *dhz = dhr + H, *dhn = dhz + H;
        float *dp = dhprev + r * lddhprev;
#define GRUB_LOAD(x, j, len) do { load((x)->rg, gr + (j), len); load((x)->zg, gz + (j), len); load((x)->ng, gn + (j), len); \
                                  load((x)->hh, hn + (j), len); load((x)->p, hp + (j), len); load((x)->d, dd + (j), len); \
                                  load((x)->acc, dp + (j), len); } while (0)
#define GRUB_FINISH(x, j, len) do {                                                                           \
            float a_[LANES], b_[LANES], c_[LANES], e_[LANES];                                                 \
            for (size_t k = 0; k < LANES; k++) {                                                              \
                float dn = (x)->d[k] * (1.0f - (x)->zg[k]) * (1.0f - (x)->ng[k] * (x)->ng[k]);                \
                float dzv = (x)->d[k] * ((x)->p[k] - (x)->ng[k]) * (x)->zg[k] * (1.0f - (x)->zg[k]);          \
                float drv = dn * (x)->hh[k] * (x)->rg[k] * (1.0f - (x)->rg[k]);                               \
                a_[k] = drv; b_[k] = dzv; c_[k] = dn; e_[k] = dn * (x)->rg[k];                                \
                (x)->acc[k] += (x)->d[k] * (x)->zg[k];                                                        \
            }                                                                                                 \
            store(dxr + (j), a_, len); store(dxz + (j), b_, len); store(dxn + (j), c_, len);                  \
            store(dhr + (j), a_, len); store(dhz + (j), b_, len); store(dhn + (j), e_, len);                  \
            store(dp + (j), (x)->acc, len);                                                                   \
        } while (0)
        ROW_BLOCKS(GruBackIn, GRUB_LOAD, GRUB_FINISH, H);
#undef GRUB_LOAD
#undef GRUB_FINISH
    }
}

// MARK: Elman RNN

typedef struct { float v[LANES]; } RnnIn;

LOOM_CLONES
void loom_rnn_step_f32(float *restrict x, size_t ld, size_t n, size_t H, int relu) {
    for (size_t r = 0; r < n; r++) {
        float *row = x + r * ld;
#define RNN_LOAD(s, j, len) load((s)->v, row + (j), len)
#define RNN_FINISH(s, j, len) do {                                                                            \
            if (relu) {                                                                                       \
                for (size_t k = 0; k < LANES; k++) (s)->v[k] = (s)->v[k] > 0.0f ? (s)->v[k] : 0.0f;           \
            } else {                                                                                          \
                for (size_t k = 0; k < LANES; k++) (s)->v[k] = loom_tanh_step((s)->v[k]);                         \
            }                                                                                                 \
            store(row + (j), (s)->v, len);                                                                    \
        } while (0)
        ROW_BLOCKS(RnnIn, RNN_LOAD, RNN_FINISH, H);
#undef RNN_LOAD
#undef RNN_FINISH
    }
}

typedef struct { float h[LANES], d[LANES]; } RnnBackIn;

LOOM_CLONES
void loom_rnn_step_backward_f32(const float *restrict h, size_t ldh, const float *restrict dh, size_t lddh,
                                float *restrict dz, size_t n, size_t H, int relu) {
    for (size_t r = 0; r < n; r++) {
        const float *hr = h + r * ldh, *d = dh + r * lddh;
        float *out = dz + r * H;
#define RNNB_LOAD(s, j, len) do { load((s)->h, hr + (j), len); load((s)->d, d + (j), len); } while (0)
#define RNNB_FINISH(s, j, len) do {                                                                           \
            float y_[LANES];                                                                                  \
            for (size_t k = 0; k < LANES; k++) {                                                              \
                y_[k] = relu ? ((s)->h[k] > 0.0f ? (s)->d[k] : 0.0f) : (s)->d[k] * (1.0f - (s)->h[k] * (s)->h[k]); \
            }                                                                                                 \
            store(out + (j), y_, len);                                                                        \
        } while (0)
        ROW_BLOCKS(RnnBackIn, RNNB_LOAD, RNNB_FINISH, H);
#undef RNNB_LOAD
#undef RNNB_FINISH
    }
}
