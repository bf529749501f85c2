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

// MARK: - tanh

// tanh and its derivative, four lanes at a time. With e = exp(-2|x|) and
// v = expm1(-2|x|) = e - 1:
//   tanh|x| = -v / (2 + v)      (no cancellation near 0, where v ≈ -2|x|),
//           = (1 - e) / (1 + e) (fewer roundings where e < 1/3)
//   tanh'x  = 4e / (1 + e)²     (no cancellation where tanh x is near ±1)
// exp and expm1 share one reduction: y = -2|x| = k·ln 2 + r, |r| ≤ ln 2 / 2,
// p = expm1(r) by its Taylor series to r¹³ (truncation below 1e-17 relative),
// e = 2ᵏ(1 + p) and v = 2ᵏ·p + (2ᵏ − 1). 2ᵏ is built as two normal powers so
// that e may be subnormal; beyond |x| = 372.5 e is 0 (as exp's is).
__attribute__((target("avx2,fma")))
static inline void leibniz_tanh4(__m256d x, __m256d *t, __m256d *d) {
  const __m256d sign = _mm256_set1_pd(-0.0);
  __m256d ax = _mm256_andnot_pd(sign, x);
  __m256d y = _mm256_mul_pd(_mm256_set1_pd(-2.0), ax);
  // NaN compares false: NaN lanes keep y = NaN here and are fixed at the end.
  __m256d tooSmall = _mm256_cmp_pd(y, _mm256_set1_pd(-745.0), _CMP_LT_OQ);
  y = _mm256_blendv_pd(y, _mm256_set1_pd(-745.0), tooSmall);
  __m256d k = _mm256_round_pd(_mm256_mul_pd(y, _mm256_set1_pd(1.4426950408889634)),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fmadd_pd(k, _mm256_set1_pd(-0x1.62e42fefa39efp-1), y);
  r = _mm256_fmadd_pd(k, _mm256_set1_pd(-0x1.abc9e3b39803fp-56), r);
  __m256d q = _mm256_set1_pd(1.0 / 6227020800.0);          // 1/13!
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 479001600.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 39916800.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 3628800.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 362880.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 40320.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 5040.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 720.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 120.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 24.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(1.0 / 6.0));
  q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(0.5));
  __m256d p = _mm256_fmadd_pd(_mm256_mul_pd(q, r), r, r);  // r + r²·q
  // 2ᵏ = 2^k1 · 2^(k − k1), k1 = max(k, −1000): both factors normal.
  __m256d k1 = _mm256_max_pd(k, _mm256_set1_pd(-1000.0));
  __m256d k2 = _mm256_sub_pd(k, k1);
  __m256i b1 = _mm256_slli_epi64(_mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k1)),
                                                  _mm256_set1_epi64x(1023)), 52);
  __m256i b2 = _mm256_slli_epi64(_mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k2)),
                                                  _mm256_set1_epi64x(1023)), 52);
  __m256d twoK1 = _mm256_castsi256_pd(b1), twoK2 = _mm256_castsi256_pd(b2);
  __m256d e = _mm256_mul_pd(_mm256_fmadd_pd(twoK1, p, twoK1), twoK2);
  e = _mm256_andnot_pd(tooSmall, e);
  __m256d twoK = _mm256_mul_pd(twoK1, twoK2);
  __m256d v = _mm256_fmadd_pd(twoK, p, _mm256_sub_pd(twoK, _mm256_set1_pd(1.0)));
  __m256d onePlusE = _mm256_add_pd(_mm256_set1_pd(1.0), e);
  // Where e < 1/3 (|x| > 0.55), (1 − e)/(1 + e) rounds less than −v/(2 + v).
  __m256d small = _mm256_div_pd(_mm256_sub_pd(_mm256_setzero_pd(), v), _mm256_add_pd(_mm256_set1_pd(2.0), v));
  __m256d large = _mm256_div_pd(_mm256_sub_pd(_mm256_set1_pd(1.0), e), onePlusE);
  __m256d at = _mm256_blendv_pd(small, large, _mm256_cmp_pd(e, _mm256_set1_pd(1.0 / 3.0), _CMP_LT_OQ));
  __m256d de = _mm256_div_pd(_mm256_mul_pd(_mm256_set1_pd(4.0), e), _mm256_mul_pd(onePlusE, onePlusE));
  // The sign of x (tanh is odd, its derivative even); NaN lanes give x.
  __m256d isNaN = _mm256_cmp_pd(x, x, _CMP_UNORD_Q);
  *t = _mm256_blendv_pd(_mm256_or_pd(at, _mm256_and_pd(sign, x)), x, isNaN);
  *d = _mm256_blendv_pd(de, x, isNaN);
}

__attribute__((target("avx2,fma")))
void leibniz_tanh_f64(ptrdiff_t n, const double *x, double *t, double *d) {
  ptrdiff_t i = 0;
  __m256d tv, dv;
  for (; i + 4 <= n; i += 4) {
    leibniz_tanh4(_mm256_loadu_pd(x + i), &tv, &dv);
    _mm256_storeu_pd(t + i, tv);
    if (d) _mm256_storeu_pd(d + i, dv);
  }
  if (i < n) {
    double xs[4] = {0, 0, 0, 0}, ts[4], ds[4];
    for (ptrdiff_t j = 0; j < n - i; j++) xs[j] = x[i + j];
    leibniz_tanh4(_mm256_loadu_pd(xs), &tv, &dv);
    _mm256_storeu_pd(ts, tv);
    _mm256_storeu_pd(ds, dv);
    for (ptrdiff_t j = 0; j < n - i; j++) {
      t[i + j] = ts[j];
      if (d) d[i + j] = ds[j];
    }
  }
}

#else

int leibniz_has_avx2_fma(void) { return 0; }
void leibniz_tanh_f64(ptrdiff_t n, const double *x, double *t, double *d) { __builtin_trap(); }
void leibniz_kernel_f64_6x8(ptrdiff_t kc, const double *a, const double *b, double *c, ptrdiff_t ldc) { __builtin_trap(); }
void leibniz_kernel_f32_6x16(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc) { __builtin_trap(); }

#endif
