#include <stdio.h>
#include <strings.h>
#include <stdint.h>
#ifdef __linux__
#include <sys/mman.h>
#include <malloc.h>
#endif
#include "CBLAS.h"

#ifdef __APPLE__
void genlab_blas_set_threads(int n) { (void)n; }
int genlab_blas_get_threads(void) { return 1; }
const char *genlab_blas_description(void) { return "Accelerate"; }
const char *genlab_blas_undetected_core(void) { return NULL; }
#else
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
void genlab_blas_set_threads(int n) { openblas_set_num_threads(n); }
int genlab_blas_get_threads(void) { return openblas_get_num_threads(); }
const char *genlab_blas_description(void) {
    static char buffer[128];
    const char *core = openblas_get_corename();
    snprintf(buffer, sizeof buffer, "OpenBLAS (%s)", core ? core : "unknown core");
    return buffer;
}
const char *genlab_blas_undetected_core(void) {
    const char *core = openblas_get_corename();
    if (!core || strcasecmp(core, "prescott") != 0) return NULL;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd")) return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}
#endif

// One thread for a skinny product, then back to the caller's count. Only a process that runs
// BLAS on several threads toggles; the parallel sweeps run it on one and never touch the count.
static int genlab_single_thread_begin(int m, int n, int k) {
    if (m > GENLAB_SKINNY && n > GENLAB_SKINNY && k > GENLAB_SKINNY) return 0;
    int t = genlab_blas_get_threads();
    if (t > 1) genlab_blas_set_threads(1);
    return t;
}

static void genlab_single_thread_end(int t) {
    if (t > 1) genlab_blas_set_threads(t);
}

void genlab_sgemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc) {
    int t = genlab_single_thread_begin(m, n, k);
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    genlab_single_thread_end(t);
}

void genlab_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a, int lda,
                  const double *b, int ldb, double beta, double *c, int ldc) {
    int t = genlab_single_thread_begin(m, n, k);
    cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    genlab_single_thread_end(t);
}

int genlab_advise_huge_pages(void *p, long bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // madvise needs a page-aligned start: advise the whole pages inside the range.
    uintptr_t start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t end = ((uintptr_t)p + (uintptr_t)bytes) & ~(uintptr_t)4095;
    if (end <= start) return 0;
    return madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p; (void)bytes;
    return 0;
#endif
}

void genlab_tune_allocator(void) {
#if defined(__linux__) && defined(M_MMAP_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
