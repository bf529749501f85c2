import _LeibnizShims

// The C library's functions for each floating-point type, under one Swift name
// per function (`_libm_exp` for Float, Double and Float80), from the C shim
// target, which marks them free of side effects. (Inside an extension of
// `Double`, a bare `exp(x)` would find the static requirement `Double.exp`
// and recurse; these file-scope names avoid that.)

// MARK: - Float
@inlinable @inline(__always) func _libm_exp(_ x: Float) -> Float { leibniz_expf(x) }
@inlinable @inline(__always) func _libm_exp2(_ x: Float) -> Float { leibniz_exp2f(x) }
@inlinable @inline(__always) func _libm_expm1(_ x: Float) -> Float { leibniz_expm1f(x) }
@inlinable @inline(__always) func _libm_log(_ x: Float) -> Float { leibniz_logf(x) }
@inlinable @inline(__always) func _libm_log2(_ x: Float) -> Float { leibniz_log2f(x) }
@inlinable @inline(__always) func _libm_log10(_ x: Float) -> Float { leibniz_log10f(x) }
@inlinable @inline(__always) func _libm_log1p(_ x: Float) -> Float { leibniz_log1pf(x) }
@inlinable @inline(__always) func _libm_cbrt(_ x: Float) -> Float { leibniz_cbrtf(x) }
@inlinable @inline(__always) func _libm_sin(_ x: Float) -> Float { leibniz_sinf(x) }
@inlinable @inline(__always) func _libm_cos(_ x: Float) -> Float { leibniz_cosf(x) }
@inlinable @inline(__always) func _libm_tan(_ x: Float) -> Float { leibniz_tanf(x) }
@inlinable @inline(__always) func _libm_asin(_ x: Float) -> Float { leibniz_asinf(x) }
@inlinable @inline(__always) func _libm_acos(_ x: Float) -> Float { leibniz_acosf(x) }
@inlinable @inline(__always) func _libm_atan(_ x: Float) -> Float { leibniz_atanf(x) }
@inlinable @inline(__always) func _libm_sinh(_ x: Float) -> Float { leibniz_sinhf(x) }
@inlinable @inline(__always) func _libm_cosh(_ x: Float) -> Float { leibniz_coshf(x) }
@inlinable @inline(__always) func _libm_tanh(_ x: Float) -> Float { leibniz_tanhf(x) }
@inlinable @inline(__always) func _libm_erf(_ x: Float) -> Float { leibniz_erff(x) }
@inlinable @inline(__always) func _libm_erfc(_ x: Float) -> Float { leibniz_erfcf(x) }
@inlinable @inline(__always) func _libm_pow(_ x: Float, _ y: Float) -> Float { leibniz_powf(x, y) }
@inlinable @inline(__always) func _libm_atan2(_ x: Float, _ y: Float) -> Float { leibniz_atan2f(x, y) }
@inlinable @inline(__always) func _libm_hypot(_ x: Float, _ y: Float) -> Float { leibniz_hypotf(x, y) }

// MARK: - Double
@inlinable @inline(__always) func _libm_exp(_ x: Double) -> Double { leibniz_exp(x) }
@inlinable @inline(__always) func _libm_exp2(_ x: Double) -> Double { leibniz_exp2(x) }
@inlinable @inline(__always) func _libm_expm1(_ x: Double) -> Double { leibniz_expm1(x) }
@inlinable @inline(__always) func _libm_log(_ x: Double) -> Double { leibniz_log(x) }
@inlinable @inline(__always) func _libm_log2(_ x: Double) -> Double { leibniz_log2(x) }
@inlinable @inline(__always) func _libm_log10(_ x: Double) -> Double { leibniz_log10(x) }
@inlinable @inline(__always) func _libm_log1p(_ x: Double) -> Double { leibniz_log1p(x) }
@inlinable @inline(__always) func _libm_cbrt(_ x: Double) -> Double { leibniz_cbrt(x) }
@inlinable @inline(__always) func _libm_sin(_ x: Double) -> Double { leibniz_sin(x) }
@inlinable @inline(__always) func _libm_cos(_ x: Double) -> Double { leibniz_cos(x) }
@inlinable @inline(__always) func _libm_tan(_ x: Double) -> Double { leibniz_tan(x) }
@inlinable @inline(__always) func _libm_asin(_ x: Double) -> Double { leibniz_asin(x) }
@inlinable @inline(__always) func _libm_acos(_ x: Double) -> Double { leibniz_acos(x) }
@inlinable @inline(__always) func _libm_atan(_ x: Double) -> Double { leibniz_atan(x) }
@inlinable @inline(__always) func _libm_sinh(_ x: Double) -> Double { leibniz_sinh(x) }
@inlinable @inline(__always) func _libm_cosh(_ x: Double) -> Double { leibniz_cosh(x) }
@inlinable @inline(__always) func _libm_tanh(_ x: Double) -> Double { leibniz_tanh(x) }
@inlinable @inline(__always) func _libm_erf(_ x: Double) -> Double { leibniz_erf(x) }
@inlinable @inline(__always) func _libm_erfc(_ x: Double) -> Double { leibniz_erfc(x) }
@inlinable @inline(__always) func _libm_pow(_ x: Double, _ y: Double) -> Double { leibniz_pow(x, y) }
@inlinable @inline(__always) func _libm_atan2(_ x: Double, _ y: Double) -> Double { leibniz_atan2(x, y) }
@inlinable @inline(__always) func _libm_hypot(_ x: Double, _ y: Double) -> Double { leibniz_hypot(x, y) }

// MARK: - Float80
#if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
@inlinable @inline(__always) func _libm_exp(_ x: Float80) -> Float80 { leibniz_expl(x) }
@inlinable @inline(__always) func _libm_exp2(_ x: Float80) -> Float80 { leibniz_exp2l(x) }
@inlinable @inline(__always) func _libm_expm1(_ x: Float80) -> Float80 { leibniz_expm1l(x) }
@inlinable @inline(__always) func _libm_log(_ x: Float80) -> Float80 { leibniz_logl(x) }
@inlinable @inline(__always) func _libm_log2(_ x: Float80) -> Float80 { leibniz_log2l(x) }
@inlinable @inline(__always) func _libm_log10(_ x: Float80) -> Float80 { leibniz_log10l(x) }
@inlinable @inline(__always) func _libm_log1p(_ x: Float80) -> Float80 { leibniz_log1pl(x) }
@inlinable @inline(__always) func _libm_cbrt(_ x: Float80) -> Float80 { leibniz_cbrtl(x) }
@inlinable @inline(__always) func _libm_sin(_ x: Float80) -> Float80 { leibniz_sinl(x) }
@inlinable @inline(__always) func _libm_cos(_ x: Float80) -> Float80 { leibniz_cosl(x) }
@inlinable @inline(__always) func _libm_tan(_ x: Float80) -> Float80 { leibniz_tanl(x) }
@inlinable @inline(__always) func _libm_asin(_ x: Float80) -> Float80 { leibniz_asinl(x) }
@inlinable @inline(__always) func _libm_acos(_ x: Float80) -> Float80 { leibniz_acosl(x) }
@inlinable @inline(__always) func _libm_atan(_ x: Float80) -> Float80 { leibniz_atanl(x) }
@inlinable @inline(__always) func _libm_sinh(_ x: Float80) -> Float80 { leibniz_sinhl(x) }
@inlinable @inline(__always) func _libm_cosh(_ x: Float80) -> Float80 { leibniz_coshl(x) }
@inlinable @inline(__always) func _libm_tanh(_ x: Float80) -> Float80 { leibniz_tanhl(x) }
@inlinable @inline(__always) func _libm_erf(_ x: Float80) -> Float80 { leibniz_erfl(x) }
@inlinable @inline(__always) func _libm_erfc(_ x: Float80) -> Float80 { leibniz_erfcl(x) }
@inlinable @inline(__always) func _libm_pow(_ x: Float80, _ y: Float80) -> Float80 { leibniz_powl(x, y) }
@inlinable @inline(__always) func _libm_atan2(_ x: Float80, _ y: Float80) -> Float80 { leibniz_atan2l(x, y) }
@inlinable @inline(__always) func _libm_hypot(_ x: Float80, _ y: Float80) -> Float80 { leibniz_hypotl(x, y) }
#endif

// MARK: - sin and cos together

/// (sin x, cos x) from one C library call where `T` is `Float` or `Double`
/// (one range reduction for both), else from `T.sin` and `T.cos`.
@inlinable @inline(__always)
func _sinAndCos<T: DifferentiableScalar>(_ x: T) -> (sin: T, cos: T) {
  if T.self == Double.self {
    let r = leibniz_sincos(unsafeBitCast(x, to: Double.self))
    return (unsafeBitCast(r.sin, to: T.self), unsafeBitCast(r.cos, to: T.self))
  }
  if T.self == Float.self {
    let r = leibniz_sincosf(unsafeBitCast(x, to: Float.self))
    return (unsafeBitCast(r.sin, to: T.self), unsafeBitCast(r.cos, to: T.self))
  }
  return (T.sin(x), T.cos(x))
}
