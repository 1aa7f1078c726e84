// The perceptron's row kernels: ⟨w, x⟩ and w += α·x over one row, with x given as floats or as
// bytes standing for (float)byte·scale. Both versions do the same operations in the same order
// (four 8-lane FMA accumulators over 32 features, a fixed reduction, fmaf on the tail), so a fit
// on bytes gives the same weights as the fit on the floats they stand for, bit for bit; the byte
// rows are a quarter of the memory. In C because Swift's SIMD widening of UInt8 to Float compiles
// to a library call per vector.
#include "CBLAS.h"
#include <math.h>
#include <stdint.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define KERNEL __attribute__((target("avx2,fma")))

KERNEL static inline __m256 bytes8(const uint8_t *p, __m256 scale) {
    return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p))), scale);
}

KERNEL static inline float reduce(__m256 s0, __m256 s1, __m256 s2, __m256 s3) {
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(s0, s2), _mm256_add_ps(s1, s3)));
    float s = 0;
    for (int i = 0; i < 8; i++) s += lanes[i];
    return s;
}

KERNEL float genlab_row_dot_f32(long n, const float *w, const float *x) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    long j = 0;
    for (; j + 32 <= n; j += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j), _mm256_loadu_ps(x + j), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 8), _mm256_loadu_ps(x + j + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 16), _mm256_loadu_ps(x + j + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 24), _mm256_loadu_ps(x + j + 24), s3);
    }
    float s = reduce(s0, s1, s2, s3);
    for (; j < n; j++) s = fmaf(w[j], x[j], s);
    return s;
}

KERNEL float genlab_row_dot_u8(long n, const float *w, const uint8_t *x, float scale) {
    const __m256 k = _mm256_set1_ps(scale);
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    long j = 0;
    for (; j + 32 <= n; j += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j), bytes8(x + j, k), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 8), bytes8(x + j + 8, k), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 16), bytes8(x + j + 16, k), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 24), bytes8(x + j + 24, k), s3);
    }
    float s = reduce(s0, s1, s2, s3);
    for (; j < n; j++) s = fmaf(w[j], (float)x[j] * scale, s);
    return s;
}

KERNEL void genlab_row_axpy_f32(long n, float alpha, const float *x, float *y) {
    const __m256 a = _mm256_set1_ps(alpha);
    long j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(y + j, _mm256_fmadd_ps(a, _mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
    for (; j < n; j++) y[j] = fmaf(alpha, x[j], y[j]);
}

KERNEL void genlab_row_axpy_u8(long n, float alpha, const uint8_t *x, float scale, float *y) {
    const __m256 a = _mm256_set1_ps(alpha), k = _mm256_set1_ps(scale);
    long j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(y + j, _mm256_fmadd_ps(a, bytes8(x + j, k), _mm256_loadu_ps(y + j)));
    for (; j < n; j++) y[j] = fmaf(alpha, (float)x[j] * scale, y[j]);
}

#else
// Elsewhere: the same arithmetic in eight-lane order, without intrinsics.
static float dot_generic(long n, const float *w, const float *xf, const uint8_t *xb, float scale) {
    float acc[32] = {0};
    long j = 0;
    for (; j + 32 <= n; j += 32)
        for (int l = 0; l < 32; l++) acc[l] = fmaf(w[j + l], xf ? xf[j + l] : (float)xb[j + l] * scale, acc[l]);
    float lanes[8], s = 0;
    for (int l = 0; l < 8; l++) lanes[l] = (acc[l] + acc[16 + l]) + (acc[8 + l] + acc[24 + l]);
    for (int l = 0; l < 8; l++) s += lanes[l];
    for (; j < n; j++) s = fmaf(w[j], xf ? xf[j] : (float)xb[j] * scale, s);
    return s;
}
float genlab_row_dot_f32(long n, const float *w, const float *x) { return dot_generic(n, w, x, 0, 1); }
float genlab_row_dot_u8(long n, const float *w, const uint8_t *x, float scale) { return dot_generic(n, w, 0, x, scale); }
void genlab_row_axpy_f32(long n, float alpha, const float *x, float *y) { for (long j = 0; j < n; j++) y[j] = fmaf(alpha, x[j], y[j]); }
void genlab_row_axpy_u8(long n, float alpha, const uint8_t *x, float scale, float *y) {
    for (long j = 0; j < n; j++) y[j] = fmaf(alpha, (float)x[j] * scale, y[j]);
}
#endif
