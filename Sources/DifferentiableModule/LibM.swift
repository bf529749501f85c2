#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

// Shims naming the C library's functions for each floating-point type. Inside
// an extension of `Double`, a bare `exp(x)` would find the static requirement
// `Double.exp` and recurse; these file-scope names reach the C library.
// MARK: -
@inlinable @inline(__always) func _libm_exp(_ x: Float) -> Float { exp(x) }
@inlinable @inline(__always) func _libm_exp2(_ x: Float) -> Float { exp2(x) }
@inlinable @inline(__always) func _libm_expm1(_ x: Float) -> Float { expm1(x) }
@inlinable @inline(__always) func _libm_log(_ x: Float) -> Float { log(x) }
@inlinable @inline(__always) func _libm_log2(_ x: Float) -> Float { log2(x) }
@inlinable @inline(__always) func _libm_log10(_ x: Float) -> Float { log10(x) }
@inlinable @inline(__always) func _libm_log1p(_ x: Float) -> Float { log1p(x) }
@inlinable @inline(__always) func _libm_cbrt(_ x: Float) -> Float { cbrt(x) }
@inlinable @inline(__always) func _libm_sin(_ x: Float) -> Float { sin(x) }
@inlinable @inline(__always) func _libm_cos(_ x: Float) -> Float { cos(x) }
@inlinable @inline(__always) func _libm_tan(_ x: Float) -> Float { tan(x) }
@inlinable @inline(__always) func _libm_asin(_ x: Float) -> Float { asin(x) }
@inlinable @inline(__always) func _libm_acos(_ x: Float) -> Float { acos(x) }
@inlinable @inline(__always) func _libm_atan(_ x: Float) -> Float { atan(x) }
@inlinable @inline(__always) func _libm_sinh(_ x: Float) -> Float { sinh(x) }
@inlinable @inline(__always) func _libm_cosh(_ x: Float) -> Float { cosh(x) }
@inlinable @inline(__always) func _libm_tanh(_ x: Float) -> Float { tanh(x) }
@inlinable @inline(__always) func _libm_erf(_ x: Float) -> Float { erf(x) }
@inlinable @inline(__always) func _libm_erfc(_ x: Float) -> Float { erfc(x) }
@inlinable @inline(__always) func _libm_pow(_ x: Float, _ y: Float) -> Float { pow(x, y) }
@inlinable @inline(__always) func _libm_atan2(_ x: Float, _ y: Float) -> Float { atan2(x, y) }
@inlinable @inline(__always) func _libm_hypot(_ x: Float, _ y: Float) -> Float { hypot(x, y) }

@inlinable @inline(__always) func _libm_exp(_ x: Double) -> Double { exp(x) }
@inlinable @inline(__always) func _libm_exp2(_ x: Double) -> Double { exp2(x) }
@inlinable @inline(__always) func _libm_expm1(_ x: Double) -> Double { expm1(x) }
@inlinable @inline(__always) func _libm_log(_ x: Double) -> Double { log(x) }
@inlinable @inline(__always) func _libm_log2(_ x: Double) -> Double { log2(x) }
@inlinable @inline(__always) func _libm_log10(_ x: Double) -> Double { log10(x) }
@inlinable @inline(__always) func _libm_log1p(_ x: Double) -> Double { log1p(x) }
@inlinable @inline(__always) func _libm_cbrt(_ x: Double) -> Double { cbrt(x) }
@inlinable @inline(__always) func _libm_sin(_ x: Double) -> Double { sin(x) }
@inlinable @inline(__always) func _libm_cos(_ x: Double) -> Double { cos(x) }
@inlinable @inline(__always) func _libm_tan(_ x: Double) -> Double { tan(x) }
@inlinable @inline(__always) func _libm_asin(_ x: Double) -> Double { asin(x) }
@inlinable @inline(__always) func _libm_acos(_ x: Double) -> Double { acos(x) }
@inlinable @inline(__always) func _libm_atan(_ x: Double) -> Double { atan(x) }
@inlinable @inline(__always) func _libm_sinh(_ x: Double) -> Double { sinh(x) }
@inlinable @inline(__always) func _libm_cosh(_ x: Double) -> Double { cosh(x) }
@inlinable @inline(__always) func _libm_tanh(_ x: Double) -> Double { tanh(x) }
@inlinable @inline(__always) func _libm_erf(_ x: Double) -> Double { erf(x) }
@inlinable @inline(__always) func _libm_erfc(_ x: Double) -> Double { erfc(x) }
@inlinable @inline(__always) func _libm_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inlinable @inline(__always) func _libm_atan2(_ x: Double, _ y: Double) -> Double { atan2(x, y) }
@inlinable @inline(__always) func _libm_hypot(_ x: Double, _ y: Double) -> Double { hypot(x, y) }

#if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
@inlinable @inline(__always) func _libm_exp(_ x: Float80) -> Float80 { exp(x) }
@inlinable @inline(__always) func _libm_exp2(_ x: Float80) -> Float80 { exp2(x) }
@inlinable @inline(__always) func _libm_expm1(_ x: Float80) -> Float80 { expm1(x) }
@inlinable @inline(__always) func _libm_log(_ x: Float80) -> Float80 { log(x) }
@inlinable @inline(__always) func _libm_log2(_ x: Float80) -> Float80 { log2(x) }
@inlinable @inline(__always) func _libm_log10(_ x: Float80) -> Float80 { log10(x) }
@inlinable @inline(__always) func _libm_log1p(_ x: Float80) -> Float80 { log1p(x) }
@inlinable @inline(__always) func _libm_cbrt(_ x: Float80) -> Float80 { cbrt(x) }
@inlinable @inline(__always) func _libm_sin(_ x: Float80) -> Float80 { sin(x) }
@inlinable @inline(__always) func _libm_cos(_ x: Float80) -> Float80 { cos(x) }
@inlinable @inline(__always) func _libm_tan(_ x: Float80) -> Float80 { tan(x) }
@inlinable @inline(__always) func _libm_asin(_ x: Float80) -> Float80 { asin(x) }
@inlinable @inline(__always) func _libm_acos(_ x: Float80) -> Float80 { acos(x) }
@inlinable @inline(__always) func _libm_atan(_ x: Float80) -> Float80 { atan(x) }
@inlinable @inline(__always) func _libm_sinh(_ x: Float80) -> Float80 { sinh(x) }
@inlinable @inline(__always) func _libm_cosh(_ x: Float80) -> Float80 { cosh(x) }
@inlinable @inline(__always) func _libm_tanh(_ x: Float80) -> Float80 { tanh(x) }
@inlinable @inline(__always) func _libm_erf(_ x: Float80) -> Float80 { erf(x) }
@inlinable @inline(__always) func _libm_erfc(_ x: Float80) -> Float80 { erfc(x) }
@inlinable @inline(__always) func _libm_pow(_ x: Float80, _ y: Float80) -> Float80 { pow(x, y) }
@inlinable @inline(__always) func _libm_atan2(_ x: Float80, _ y: Float80) -> Float80 { atan2(x, y) }
@inlinable @inline(__always) func _libm_hypot(_ x: Float80, _ y: Float80) -> Float80 { hypot(x, y) }
#endif

