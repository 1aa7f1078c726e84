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
#define KERNEL __attribute__((target("avx2")))

KERNEL static void adam_f32_avx2(long n, float *theta, const float *g, float *m, float *v, float b1, float ob1, float b2,
                            float ob2, float c1, float c2, float lr, float eps, float wd, int decoupled) {
    const __m256 B1 = _mm256_set1_ps(b1), OB1 = _mm256_set1_ps(ob1), B2 = _mm256_set1_ps(b2);
    const __m256 OB2 = _mm256_set1_ps(ob2), C1 = _mm256_set1_ps(c1), C2 = _mm256_set1_ps(c2);
    const __m256 LR = _mm256_set1_ps(lr), EPS = _mm256_set1_ps(eps), WD = _mm256_set1_ps(wd);
    const __m256 LRWD = _mm256_set1_ps(lr * wd);
    long j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256 t = _mm256_loadu_ps(theta + j);
        __m256 gj = _mm256_loadu_ps(g + j);
        if (!decoupled) gj = _mm256_add_ps(gj, _mm256_mul_ps(WD, t));
        __m256 mj = _mm256_add_ps(_mm256_mul_ps(B1, _mm256_loadu_ps(m + j)), _mm256_mul_ps(OB1, gj));
        __m256 vj = _mm256_add_ps(_mm256_mul_ps(B2, _mm256_loadu_ps(v + j)), _mm256_mul_ps(_mm256_mul_ps(OB2, gj), gj));
        _mm256_storeu_ps(m + j, mj);
        _mm256_storeu_ps(v + j, vj);
        if (decoupled) t = _mm256_sub_ps(t, _mm256_mul_ps(LRWD, t));
        __m256 step = _mm256_div_ps(_mm256_mul_ps(LR, _mm256_div_ps(mj, C1)),
                                    _mm256_add_ps(_mm256_sqrt_ps(_mm256_div_ps(vj, C2)), EPS));
        _mm256_storeu_ps(theta + j, _mm256_sub_ps(t, step));
    }
    ADAM_SCALAR(float, sqrtf)
}

KERNEL static void adam_f64_avx2(long n, double *theta, const double *g, double *m, double *v, double b1, double ob1,
                            double b2, double ob2, double c1, double c2, double lr, double eps, double wd,
                            int decoupled) {
    const __m256d B1 = _mm256_set1_pd(b1), OB1 = _mm256_set1_pd(ob1), B2 = _mm256_set1_pd(b2);
    const __m256d OB2 = _mm256_set1_pd(ob2), C1 = _mm256_set1_pd(c1), C2 = _mm256_set1_pd(c2);
    const __m256d LR = _mm256_set1_pd(lr), EPS = _mm256_set1_pd(eps), WD = _mm256_set1_pd(wd);
    const __m256d LRWD = _mm256_set1_pd(lr * wd);
    long j = 0;
    for (; j + 4 <= n; j += 4) {
        __m256d t = _mm256_loadu_pd(theta + j);
        __m256d gj = _mm256_loadu_pd(g + j);
        if (!decoupled) gj = _mm256_add_pd(gj, _mm256_mul_pd(WD, t));
        __m256d mj = _mm256_add_pd(_mm256_mul_pd(B1, _mm256_loadu_pd(m + j)), _mm256_mul_pd(OB1, gj));
        __m256d vj = _mm256_add_pd(_mm256_mul_pd(B2, _mm256_loadu_pd(v + j)), _mm256_mul_pd(_mm256_mul_pd(OB2, gj), gj));
        _mm256_storeu_pd(m + j, mj);
        _mm256_storeu_pd(v + j, vj);
        if (decoupled) t = _mm256_sub_pd(t, _mm256_mul_pd(LRWD, t));
        __m256d step = _mm256_div_pd(_mm256_mul_pd(LR, _mm256_div_pd(mj, C1)),
                                     _mm256_add_pd(_mm256_sqrt_pd(_mm256_div_pd(vj, C2)), EPS));
        _mm256_storeu_pd(theta + j, _mm256_sub_pd(t, step));
    }
    ADAM_SCALAR(double, sqrt)
}

// The AVX2 path where the CPU has it (a release build assumes it; a debug build may run anywhere).
void genlab_adam_f32(long n, float *theta, const float *g, float *m, float *v, float b1, float ob1, float b2,
                     float ob2, float c1, float c2, float lr, float eps, float wd, int decoupled) {
    if (__builtin_cpu_supports("avx2")) {
        adam_f32_avx2(n, theta, g, m, v, b1, ob1, b2, ob2, c1, c2, lr, eps, wd, decoupled);
        return;
    }
    long j = 0;
    ADAM_SCALAR(float, sqrtf)
}

void genlab_adam_f64(long n, double *theta, const double *g, double *m, double *v, double b1, double ob1, double b2,
                     double ob2, double c1, double c2, double lr, double eps, double wd, int decoupled) {
    if (__builtin_cpu_supports("avx2")) {
        adam_f64_avx2(n, theta, g, m, v, b1, ob1, b2, ob2, c1, c2, lr, eps, wd, decoupled);
        return;
    }
    long j = 0;
    ADAM_SCALAR(double, sqrt)
}

#else

void genlab_adam_f32(long n, float *theta, const float *g, float *m, float *v, float b1, float ob1, float b2,
                     float ob2, float c1, float c2, float lr, float eps, float wd, int decoupled) {
    long j = 0;
    ADAM_SCALAR(float, sqrtf)
}

void genlab_adam_f64(long n, double *theta, const double *g, double *m, double *v, double b1, double ob1, double b2,
                     double ob2, double c1, double c2, double lr, double eps, double wd, int decoupled) {
    long j = 0;
    ADAM_SCALAR(double, sqrt)
}

#endif
