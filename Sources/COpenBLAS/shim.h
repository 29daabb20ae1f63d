// Bridge to OpenBLAS's CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>
// OpenBLAS thread control (not part of CBLAS proper).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
