// Matrix-product microkernels for x86-64 CPUs with AVX2 and FMA, chosen at
// run time by TensorModule's matrix product (the default Swift build targets
// baseline x86-64, SSE2 only, and a library must not raise that for its
// clients). Internal to Leibniz; not a product.
#ifndef LEIBNIZ_KERNELS_H
#define LEIBNIZ_KERNELS_H

#include <stddef.h>

/// 1 when this CPU runs the AVX2 + FMA kernels below, 0 otherwise (and on
/// other architectures, where the kernels must not be called).
int leibniz_has_avx2_fma(void);

/// Adds the 6 × 8 Double tile of a packed A panel (kc steps of 6 values)
/// times a packed B panel (kc steps of 8 values) to the rows c, c + ldc, …
void leibniz_kernel_f64_6x8(ptrdiff_t kc, const double *a, const double *b, double *c, ptrdiff_t ldc);

/// Adds the 6 × 16 Float tile of a packed A panel (kc steps of 6 values)
/// times a packed B panel (kc steps of 16 values) to the rows c, c + ldc, …
void leibniz_kernel_f32_6x16(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc);

/// tanh of x[0 ..< n] into t, and its derivative into d (unless d is NULL),
/// for Double: within a few ulp of the C library's tanh over the whole range,
/// subnormals, ±0 (sign kept), ±∞ and NaN included.
void leibniz_tanh_f64(ptrdiff_t n, const double *x, double *t, double *d);

#endif
