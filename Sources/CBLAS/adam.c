// Adam's and AdamW's update of θ, m and v over n parameters (PyTorch's order of operations):
//   g' = g + λθ (Adam) or g (AdamW);  m = β₁m + (1 − β₁)g';  v = β₂v + ((1 − β₂)g')g';
//   AdamW: θ = θ − (ηλ)θ;  θ = θ − (η(m/c₁)) / (√(v/c₂) + ε).
// In C because Swift's squareRoot() on Linux checks for a negative argument (errno) and calls
// sqrtf, which keeps the loop from vectorizing: the scalar loop was 7.5% of the default tour.
// The vector and the scalar paths do the same IEEE operations in the same order, with no fused
// multiply-add (contraction off; a build with -ffast-math or -ffp-contract=fast would override
// that), so θ is the same to the bit as the plain loop's.
#pragma STDC FP_CONTRACT OFF
#include "CBLAS.h"
#include <math.h>

#define ADAM_PARAMS(T)                                                                             \
    long n, T *theta, const T *g, T *m, T *v, T b1, T ob1, T b2, T ob2, T c1, T c2, T lr, T eps, T wd, int decoupled

#define ADAM_SCALAR(T, SQRT)                                                                       \
    for (; j < n; j++) {                                                                           \
        T gj = decoupled ? g[j] : g[j] + wd * theta[j];                                            \
        T mj = b1 * m[j] + ob1 * gj;                                                               \
        T vj = b2 * v[j] + ob2 * gj * gj;                                                          \
        m[j] = mj;                                                                                 \
        v[j] = vj;                                                                                 \
        T t = theta[j];                                                                            \
        if (decoupled) t = t - lr * wd * t;                                                        \
        theta[j] = t - lr * (mj / c1) / (SQRT(vj / c2) + eps);                                     \
    }

#if defined(__x86_64__)
#include <immintrin.h>

// The AVX2 loop for one precision: V the vector type, S the intrinsics' suffix (ps, pd), LANES
// its width; the tail through ADAM_SCALAR.
#define ADAM_AVX2(NAME, T, V, S, LANES, SQRT)                                                      \
    __attribute__((target("avx2"))) static void NAME(ADAM_PARAMS(T)) {                             \
        const V B1 = _mm256_set1_##S(b1), OB1 = _mm256_set1_##S(ob1), B2 = _mm256_set1_##S(b2);     \
        const V OB2 = _mm256_set1_##S(ob2), C1 = _mm256_set1_##S(c1), C2 = _mm256_set1_##S(c2);     \
        const V LR = _mm256_set1_##S(lr), EPS = _mm256_set1_##S(eps), WD = _mm256_set1_##S(wd);     \
        const V LRWD = _mm256_set1_##S(lr * wd);                                                   \
        long j = 0;                                                                                \
        for (; j + LANES <= n; j += LANES) {                                                       \
            V t = _mm256_loadu_##S(theta + j);                                                     \
            V gj = _mm256_loadu_##S(g + j);                                                        \
            if (!decoupled) gj = _mm256_add_##S(gj, _mm256_mul_##S(WD, t));                        \
            V mj = _mm256_add_##S(_mm256_mul_##S(B1, _mm256_loadu_##S(m + j)), _mm256_mul_##S(OB1, gj)); \
            V vj = _mm256_add_##S(_mm256_mul_##S(B2, _mm256_loadu_##S(v + j)),                    \
                                  _mm256_mul_##S(_mm256_mul_##S(OB2, gj), gj));                    \
            _mm256_storeu_##S(m + j, mj);                                                          \
            _mm256_storeu_##S(v + j, vj);                                                          \
            if (decoupled) t = _mm256_sub_##S(t, _mm256_mul_##S(LRWD, t));                         \
            V step = _mm256_div_##S(_mm256_mul_##S(LR, _mm256_div_##S(mj, C1)),                   \
                                    _mm256_add_##S(_mm256_sqrt_##S(_mm256_div_##S(vj, C2)), EPS)); \
            _mm256_storeu_##S(theta + j, _mm256_sub_##S(t, step));                                 \
        }                                                                                          \
        ADAM_SCALAR(T, SQRT)                                                                       \
    }

ADAM_AVX2(adam_f32_avx2, float, __m256, ps, 8, sqrtf)
ADAM_AVX2(adam_f64_avx2, double, __m256d, pd, 4, sqrt)

// The AVX2 path where the CPU has it (a release build assumes it; a debug build may run anywhere).
#define TRY_FAST(FAST)                                                                             \
    if (__builtin_cpu_supports("avx2")) {                                                          \
        FAST(n, theta, g, m, v, b1, ob1, b2, ob2, c1, c2, lr, eps, wd, decoupled);                 \
        return;                                                                                    \
    }
#else
#define TRY_FAST(FAST)
#endif

void genlab_adam_f32(ADAM_PARAMS(float)) {
    TRY_FAST(adam_f32_avx2)
    long j = 0;
    ADAM_SCALAR(float, sqrtf)
}

void genlab_adam_f64(ADAM_PARAMS(double)) {
    TRY_FAST(adam_f64_avx2)
    long j = 0;
    ADAM_SCALAR(double, sqrt)
}
