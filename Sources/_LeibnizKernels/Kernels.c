#include "_LeibnizKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

int leibniz_has_avx2_fma(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// Twelve 256-bit accumulators (six rows by two vectors), two B loads and six
// broadcast A loads per step: the register tile of the classic Haswell
// kernels, 15 of the 16 YMM registers in use (one broadcast at a time, or the
// compiler spills an accumulator). The tile is added to the six
// rows of C at c, c + ldc, ….
#define LEIBNIZ_TILE_KERNEL(NAME, T, V, LOAD, BROADCAST, FMA, ADD, STORE, ZERO, LANES) \
  __attribute__((target("avx2,fma")))                                            \
  void NAME(ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc) {         \
    V c00 = ZERO(), c01 = ZERO(), c10 = ZERO(), c11 = ZERO();                    \
    V c20 = ZERO(), c21 = ZERO(), c30 = ZERO(), c31 = ZERO();                    \
    V c40 = ZERO(), c41 = ZERO(), c50 = ZERO(), c51 = ZERO();                    \
    for (ptrdiff_t p = 0; p < kc; p++) {                                         \
      V b0 = LOAD(b), b1 = LOAD(b + LANES);                                      \
      V x = BROADCAST(a);                                                        \
      c00 = FMA(x, b0, c00); c01 = FMA(x, b1, c01);                              \
      x = BROADCAST(a + 1);                                                      \
      c10 = FMA(x, b0, c10); c11 = FMA(x, b1, c11);                              \
      x = BROADCAST(a + 2);                                                      \
      c20 = FMA(x, b0, c20); c21 = FMA(x, b1, c21);                              \
      x = BROADCAST(a + 3);                                                      \
      c30 = FMA(x, b0, c30); c31 = FMA(x, b1, c31);                              \
      x = BROADCAST(a + 4);                                                      \
      c40 = FMA(x, b0, c40); c41 = FMA(x, b1, c41);                              \
      x = BROADCAST(a + 5);                                                      \
      c50 = FMA(x, b0, c50); c51 = FMA(x, b1, c51);                              \
      a += 6;                                                                    \
      b += 2 * LANES;                                                            \
    }                                                                            \
    T *r = c;                                                                    \
    STORE(r, ADD(LOAD(r), c00)); STORE(r + LANES, ADD(LOAD(r + LANES), c01));    \
    r += ldc;                                                                    \
    STORE(r, ADD(LOAD(r), c10)); STORE(r + LANES, ADD(LOAD(r + LANES), c11));    \
    r += ldc;                                                                    \
    STORE(r, ADD(LOAD(r), c20)); STORE(r + LANES, ADD(LOAD(r + LANES), c21));    \
    r += ldc;                                                                    \
    STORE(r, ADD(LOAD(r), c30)); STORE(r + LANES, ADD(LOAD(r + LANES), c31));    \
    r += ldc;                                                                    \
    STORE(r, ADD(LOAD(r), c40)); STORE(r + LANES, ADD(LOAD(r + LANES), c41));    \
    r += ldc;                                                                    \
    STORE(r, ADD(LOAD(r), c50)); STORE(r + LANES, ADD(LOAD(r + LANES), c51));    \
  }

LEIBNIZ_TILE_KERNEL(leibniz_kernel_f64_6x8, double, __m256d, _mm256_loadu_pd, _mm256_broadcast_sd,
                    _mm256_fmadd_pd, _mm256_add_pd, _mm256_storeu_pd, _mm256_setzero_pd, 4)
LEIBNIZ_TILE_KERNEL(leibniz_kernel_f32_6x16, float, __m256, _mm256_loadu_ps, _mm256_broadcast_ss,
                    _mm256_fmadd_ps, _mm256_add_ps, _mm256_storeu_ps, _mm256_setzero_ps, 8)

#else

int leibniz_has_avx2_fma(void) { return 0; }
void leibniz_kernel_f64_6x8(ptrdiff_t kc, const double *a, const double *b, double *c, ptrdiff_t ldc) { __builtin_trap(); }
void leibniz_kernel_f32_6x16(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc) { __builtin_trap(); }

#endif
