// The C library's math functions for DifferentiableModule, declared under
// names of Leibniz's own and marked `const` (no side effects: they may set
// errno, which Leibniz never reads), so that the optimiser merges repeated
// calls with the same argument. The forward rule of `sin` needs cos(x) and
// that of `cos` needs sin(x): a function using both pays for each once, as a
// hand-written derivative does. Each declaration names the C library's
// symbol (`__asm__`), so no wrapper is called. Internal to Leibniz; not a
// product.
#ifndef LEIBNIZ_SHIMS_H
#define LEIBNIZ_SHIMS_H

#if defined(__APPLE__)
#define LEIBNIZ_LIBM(name) __asm__("_" #name)
#else
#define LEIBNIZ_LIBM(name) __asm__(#name)
#endif
#define LEIBNIZ_CONST __attribute__((const, nothrow))

// Float
float leibniz_expf(float x) LEIBNIZ_LIBM(expf) LEIBNIZ_CONST;
float leibniz_exp2f(float x) LEIBNIZ_LIBM(exp2f) LEIBNIZ_CONST;
float leibniz_expm1f(float x) LEIBNIZ_LIBM(expm1f) LEIBNIZ_CONST;
float leibniz_logf(float x) LEIBNIZ_LIBM(logf) LEIBNIZ_CONST;
float leibniz_log2f(float x) LEIBNIZ_LIBM(log2f) LEIBNIZ_CONST;
float leibniz_log10f(float x) LEIBNIZ_LIBM(log10f) LEIBNIZ_CONST;
float leibniz_log1pf(float x) LEIBNIZ_LIBM(log1pf) LEIBNIZ_CONST;
float leibniz_cbrtf(float x) LEIBNIZ_LIBM(cbrtf) LEIBNIZ_CONST;
float leibniz_sinf(float x) LEIBNIZ_LIBM(sinf) LEIBNIZ_CONST;
float leibniz_cosf(float x) LEIBNIZ_LIBM(cosf) LEIBNIZ_CONST;
float leibniz_tanf(float x) LEIBNIZ_LIBM(tanf) LEIBNIZ_CONST;
float leibniz_asinf(float x) LEIBNIZ_LIBM(asinf) LEIBNIZ_CONST;
float leibniz_acosf(float x) LEIBNIZ_LIBM(acosf) LEIBNIZ_CONST;
float leibniz_atanf(float x) LEIBNIZ_LIBM(atanf) LEIBNIZ_CONST;
float leibniz_sinhf(float x) LEIBNIZ_LIBM(sinhf) LEIBNIZ_CONST;
float leibniz_coshf(float x) LEIBNIZ_LIBM(coshf) LEIBNIZ_CONST;
float leibniz_tanhf(float x) LEIBNIZ_LIBM(tanhf) LEIBNIZ_CONST;
float leibniz_erff(float x) LEIBNIZ_LIBM(erff) LEIBNIZ_CONST;
float leibniz_erfcf(float x) LEIBNIZ_LIBM(erfcf) LEIBNIZ_CONST;
float leibniz_powf(float x, float y) LEIBNIZ_LIBM(powf) LEIBNIZ_CONST;
float leibniz_atan2f(float x, float y) LEIBNIZ_LIBM(atan2f) LEIBNIZ_CONST;
float leibniz_hypotf(float x, float y) LEIBNIZ_LIBM(hypotf) LEIBNIZ_CONST;

// Double
double leibniz_exp(double x) LEIBNIZ_LIBM(exp) LEIBNIZ_CONST;
double leibniz_exp2(double x) LEIBNIZ_LIBM(exp2) LEIBNIZ_CONST;
double leibniz_expm1(double x) LEIBNIZ_LIBM(expm1) LEIBNIZ_CONST;
double leibniz_log(double x) LEIBNIZ_LIBM(log) LEIBNIZ_CONST;
double leibniz_log2(double x) LEIBNIZ_LIBM(log2) LEIBNIZ_CONST;
double leibniz_log10(double x) LEIBNIZ_LIBM(log10) LEIBNIZ_CONST;
double leibniz_log1p(double x) LEIBNIZ_LIBM(log1p) LEIBNIZ_CONST;
double leibniz_cbrt(double x) LEIBNIZ_LIBM(cbrt) LEIBNIZ_CONST;
double leibniz_sin(double x) LEIBNIZ_LIBM(sin) LEIBNIZ_CONST;
double leibniz_cos(double x) LEIBNIZ_LIBM(cos) LEIBNIZ_CONST;
double leibniz_tan(double x) LEIBNIZ_LIBM(tan) LEIBNIZ_CONST;
double leibniz_asin(double x) LEIBNIZ_LIBM(asin) LEIBNIZ_CONST;
double leibniz_acos(double x) LEIBNIZ_LIBM(acos) LEIBNIZ_CONST;
double leibniz_atan(double x) LEIBNIZ_LIBM(atan) LEIBNIZ_CONST;
double leibniz_sinh(double x) LEIBNIZ_LIBM(sinh) LEIBNIZ_CONST;
double leibniz_cosh(double x) LEIBNIZ_LIBM(cosh) LEIBNIZ_CONST;
double leibniz_tanh(double x) LEIBNIZ_LIBM(tanh) LEIBNIZ_CONST;
double leibniz_erf(double x) LEIBNIZ_LIBM(erf) LEIBNIZ_CONST;
double leibniz_erfc(double x) LEIBNIZ_LIBM(erfc) LEIBNIZ_CONST;
double leibniz_pow(double x, double y) LEIBNIZ_LIBM(pow) LEIBNIZ_CONST;
double leibniz_atan2(double x, double y) LEIBNIZ_LIBM(atan2) LEIBNIZ_CONST;
double leibniz_hypot(double x, double y) LEIBNIZ_LIBM(hypot) LEIBNIZ_CONST;

// Float80 (long double on x86)
#if defined(__x86_64__) || defined(__i386__)
long double leibniz_expl(long double x) LEIBNIZ_LIBM(expl) LEIBNIZ_CONST;
long double leibniz_exp2l(long double x) LEIBNIZ_LIBM(exp2l) LEIBNIZ_CONST;
long double leibniz_expm1l(long double x) LEIBNIZ_LIBM(expm1l) LEIBNIZ_CONST;
long double leibniz_logl(long double x) LEIBNIZ_LIBM(logl) LEIBNIZ_CONST;
long double leibniz_log2l(long double x) LEIBNIZ_LIBM(log2l) LEIBNIZ_CONST;
long double leibniz_log10l(long double x) LEIBNIZ_LIBM(log10l) LEIBNIZ_CONST;
long double leibniz_log1pl(long double x) LEIBNIZ_LIBM(log1pl) LEIBNIZ_CONST;
long double leibniz_cbrtl(long double x) LEIBNIZ_LIBM(cbrtl) LEIBNIZ_CONST;
long double leibniz_sinl(long double x) LEIBNIZ_LIBM(sinl) LEIBNIZ_CONST;
long double leibniz_cosl(long double x) LEIBNIZ_LIBM(cosl) LEIBNIZ_CONST;
long double leibniz_tanl(long double x) LEIBNIZ_LIBM(tanl) LEIBNIZ_CONST;
long double leibniz_asinl(long double x) LEIBNIZ_LIBM(asinl) LEIBNIZ_CONST;
long double leibniz_acosl(long double x) LEIBNIZ_LIBM(acosl) LEIBNIZ_CONST;
long double leibniz_atanl(long double x) LEIBNIZ_LIBM(atanl) LEIBNIZ_CONST;
long double leibniz_sinhl(long double x) LEIBNIZ_LIBM(sinhl) LEIBNIZ_CONST;
long double leibniz_coshl(long double x) LEIBNIZ_LIBM(coshl) LEIBNIZ_CONST;
long double leibniz_tanhl(long double x) LEIBNIZ_LIBM(tanhl) LEIBNIZ_CONST;
long double leibniz_erfl(long double x) LEIBNIZ_LIBM(erfl) LEIBNIZ_CONST;
long double leibniz_erfcl(long double x) LEIBNIZ_LIBM(erfcl) LEIBNIZ_CONST;
long double leibniz_powl(long double x, long double y) LEIBNIZ_LIBM(powl) LEIBNIZ_CONST;
long double leibniz_atan2l(long double x, long double y) LEIBNIZ_LIBM(atan2l) LEIBNIZ_CONST;
long double leibniz_hypotl(long double x, long double y) LEIBNIZ_LIBM(hypotl) LEIBNIZ_CONST;
#endif

// The calling thread's identity: its thread pointer (the address of its
// thread control block, distinct for threads that are alive at once), read
// from a register without a call. A tape records the thread that appends to
// it and compares on each operation.
#include <stdint.h>
#if defined(__x86_64__) || defined(__aarch64__) || defined(__arm64__)
static inline __attribute__((always_inline)) uintptr_t leibniz_thread_identity(void) {
  return (uintptr_t)__builtin_thread_pointer();
}
#else
#include <pthread.h>
static inline __attribute__((always_inline)) uintptr_t leibniz_thread_identity(void) {
  return (uintptr_t)pthread_self();
}
#endif

// sin and cos of one argument from one call (one range reduction), for the
// rules that need both; `const` like the others, so that the sin and cos
// rules of one argument share a call.
typedef struct { double sin, cos; } leibniz_sin_cos;
typedef struct { float sin, cos; } leibniz_sin_cos_f;
leibniz_sin_cos leibniz_sincos(double x) LEIBNIZ_CONST;
leibniz_sin_cos_f leibniz_sincosf(float x) LEIBNIZ_CONST;

#endif
