// CBLAS and the few LAPACK routines GenLab calls.
// Linux: OpenBLAS (Debian's libopenblas-dev puts cblas.h on the default include path).
// macOS: Accelerate, whose CLAPACK symbols have the same Fortran-style names.
#ifndef GENLAB_CBLAS_H
#define GENLAB_CBLAS_H
#include <stddef.h>

#ifdef __APPLE__
#define ACCELERATE_NEW_LAPACK 0
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

// LAPACK, Fortran calling convention: every argument by pointer; the trailing
// size_t arguments are gfortran's hidden lengths of the character arguments.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
             double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
             int *iwork, int *info, size_t jobz_len);
void sgesdd_(const char *jobz, const int *m, const int *n, float *a, const int *lda, float *s,
             float *u, const int *ldu, float *vt, const int *ldvt, float *work, const int *lwork,
             int *iwork, int *info, size_t jobz_len);
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b,
             const int *ldb, double *s, const double *rcond, int *rank, double *work,
             const int *lwork, int *iwork, int *info);
void sgelsd_(const int *m, const int *n, const int *nrhs, float *a, const int *lda, float *b,
             const int *ldb, float *s, const float *rcond, int *rank, float *work,
             const int *lwork, int *iwork, int *info);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info, size_t uplo_len);

/// Asks the cache for `bytes` bytes at `p` ahead of use (the perceptron visits rows in a
/// shuffled order, which the hardware prefetcher cannot predict).
/// The perceptron's row kernels (rowkernels.c): ⟨w, x⟩ and y += α·x over one row, x as floats or as
/// bytes standing for (float)byte·scale, with the same arithmetic in both (the same results bit for bit).
float genlab_row_dot_f32(long n, const float *w, const float *x);
float genlab_row_dot_u8(long n, const float *w, const unsigned char *x, float scale);
void genlab_row_axpy_f32(long n, float alpha, const float *x, float *y);
void genlab_row_axpy_u8(long n, float alpha, const unsigned char *x, float scale, float *y);

// Adam's (decoupled = 0) or AdamW's (1) step over n parameters, in place (adam.c): the same to the
// bit as the plain loop; (1 − β) as ob1 and ob2, computed by the caller in the same precision.
void genlab_adam_f32(long n, float *theta, const float *g, float *m, float *v, float b1, float ob1, float b2,
                     float ob2, float c1, float c2, float lr, float eps, float wd, int decoupled);
void genlab_adam_f64(long n, double *theta, const double *g, double *m, double *v, double b1, double ob1,
                     double b2, double ob2, double c1, double c2, double lr, double eps, double wd, int decoupled);

static inline void genlab_prefetch(const void *p, long bytes) {
    for (long o = 0; o < bytes; o += 64) __builtin_prefetch((const char *)p + o, 0, 2);
}

/// Asks the kernel to back [p, p + bytes) with transparent huge pages (Linux; a no-op elsewhere).
/// Random row access over a 188 MB matrix misses the TLB on nearly every row with 4 KiB pages.
int genlab_advise_huge_pages(void *p, long bytes);

/// Keeps freed buffers of up to 512 MB in the heap (glibc): numerical loops that free and
/// reallocate arrays of a few MB otherwise pay a page fault and a page zeroing per page.
void genlab_tune_allocator(void);

/// Sets the number of BLAS threads (no-op where the library has no such control).
void genlab_blas_set_threads(int n);
/// The number of BLAS threads (1 where the library has no such control).
int genlab_blas_get_threads(void);
/// Name of the BLAS library and the kernel it picked at run time.
const char *genlab_blas_description(void);
/// OpenBLAS's kernel for this CPU when its own detection fell back to the generic SSE3 one
/// ("Prescott": an OpenBLAS older than the CPU, as Debian 12's 0.3.21 on recent Xeons) although
/// the CPU has AVX-512 ("SkylakeX") or AVX2 and FMA ("Haswell"); NULL otherwise (detected, or
/// not OpenBLAS).
const char *genlab_blas_undetected_core(void);

/// Row-major GEMM, C ← α·op(A)·op(B) + β·C, as cblas_?gemm, except that a product with a side of
/// at most GENLAB_SKINNY (a 10-class output layer) runs on one thread: OpenBLAS hands it to
/// both, and the hand-off costs more than the second core saves (1000×10×256 in float:
/// 209 µs on two threads, 117 µs on one, OpenBLAS 0.3.21 on this project's machine).
#define GENLAB_SKINNY 16
void genlab_sgemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc);
void genlab_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a, int lda,
                  const double *b, int ldb, double beta, double *c, int ldc);
/// A task for `genlab_pair`: a function and the context it is called with.
typedef void (*genlab_task)(void *context);

/// Runs a(ca) on the calling thread and b(cb) on a helper thread at the same time, and returns
/// when both are done. The helper is one persistent thread. With `linger_after` it spins for
/// about a millisecond after the task before it sleeps, so that back-to-back pairs (a training
/// step's halves) do not pay a wake-up each: a sleeping thread takes tens of microseconds to
/// wake on a VM, comparable to a small network's half step. Without it the helper sleeps at
/// once and leaves the core to BLAS's own threads (a pair followed by a threaded GEMM).
/// If another pair is running (a caller's own threads), both tasks run here, one after the other.
void genlab_pair(genlab_task a, void *ca, genlab_task b, void *cb, int linger_after);

#endif
