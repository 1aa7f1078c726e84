#include <stdio.h>
#include "CBLAS.h"

#ifdef __APPLE__
void genlab_blas_set_threads(int n) { (void)n; }
const char *genlab_blas_description(void) { return "Accelerate"; }
#else
void openblas_set_num_threads(int num_threads);
char *openblas_get_corename(void);
void genlab_blas_set_threads(int n) { openblas_set_num_threads(n); }
const char *genlab_blas_description(void) {
    static char buffer[128];
    const char *core = openblas_get_corename();
    snprintf(buffer, sizeof buffer, "OpenBLAS (%s)", core ? core : "unknown core");
    return buffer;
}
#endif
