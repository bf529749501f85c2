// The shims are declarations of the C library's functions (see
// include/_LeibnizShims.h), and the two wrappers below.
#define _GNU_SOURCE
#include <math.h>
#include "_LeibnizShims.h"

#if defined(__APPLE__)
leibniz_sin_cos leibniz_sincos(double x) { return (leibniz_sin_cos){sin(x), cos(x)}; }
leibniz_sin_cos_f leibniz_sincosf(float x) { return (leibniz_sin_cos_f){sinf(x), cosf(x)}; }
#else
leibniz_sin_cos leibniz_sincos(double x) {
  leibniz_sin_cos r;
  sincos(x, &r.sin, &r.cos);
  return r;
}
leibniz_sin_cos_f leibniz_sincosf(float x) {
  leibniz_sin_cos_f r;
  sincosf(x, &r.sin, &r.cos);
  return r;
}
#endif
