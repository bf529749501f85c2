#if canImport(Glibc)
import Glibc  // links the C math library
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

// The C library's functions for each floating-point type, declared directly
// (`@_extern(c)`) so that they can be marked free of side effects
// (`@_effects(readnone)`: they may set errno, which Leibniz never reads). The
// optimiser then merges repeated calls with the same argument: the forward
// rule of `sin` needs cos(x) and that of `cos` needs sin(x), so a function
// using both pays for each once, as a hand-written derivative does.
//
// (Inside an extension of `Double`, a bare `exp(x)` would find the static
// requirement `Double.exp` and recurse; these file-scope names avoid that.)

// MARK: - Float
@_extern(c, "expf") @_effects(readnone) @usableFromInline func _libm_exp(_ x: Float) -> Float
@_extern(c, "exp2f") @_effects(readnone) @usableFromInline func _libm_exp2(_ x: Float) -> Float
@_extern(c, "expm1f") @_effects(readnone) @usableFromInline func _libm_expm1(_ x: Float) -> Float
@_extern(c, "logf") @_effects(readnone) @usableFromInline func _libm_log(_ x: Float) -> Float
@_extern(c, "log2f") @_effects(readnone) @usableFromInline func _libm_log2(_ x: Float) -> Float
@_extern(c, "log10f") @_effects(readnone) @usableFromInline func _libm_log10(_ x: Float) -> Float
@_extern(c, "log1pf") @_effects(readnone) @usableFromInline func _libm_log1p(_ x: Float) -> Float
@_extern(c, "cbrtf") @_effects(readnone) @usableFromInline func _libm_cbrt(_ x: Float) -> Float
@_extern(c, "sinf") @_effects(readnone) @usableFromInline func _libm_sin(_ x: Float) -> Float
@_extern(c, "cosf") @_effects(readnone) @usableFromInline func _libm_cos(_ x: Float) -> Float
@_extern(c, "tanf") @_effects(readnone) @usableFromInline func _libm_tan(_ x: Float) -> Float
@_extern(c, "asinf") @_effects(readnone) @usableFromInline func _libm_asin(_ x: Float) -> Float
@_extern(c, "acosf") @_effects(readnone) @usableFromInline func _libm_acos(_ x: Float) -> Float
@_extern(c, "atanf") @_effects(readnone) @usableFromInline func _libm_atan(_ x: Float) -> Float
@_extern(c, "sinhf") @_effects(readnone) @usableFromInline func _libm_sinh(_ x: Float) -> Float
@_extern(c, "coshf") @_effects(readnone) @usableFromInline func _libm_cosh(_ x: Float) -> Float
@_extern(c, "tanhf") @_effects(readnone) @usableFromInline func _libm_tanh(_ x: Float) -> Float
@_extern(c, "erff") @_effects(readnone) @usableFromInline func _libm_erf(_ x: Float) -> Float
@_extern(c, "erfcf") @_effects(readnone) @usableFromInline func _libm_erfc(_ x: Float) -> Float
@_extern(c, "powf") @_effects(readnone) @usableFromInline func _libm_pow(_ x: Float, _ y: Float) -> Float
@_extern(c, "atan2f") @_effects(readnone) @usableFromInline func _libm_atan2(_ x: Float, _ y: Float) -> Float
@_extern(c, "hypotf") @_effects(readnone) @usableFromInline func _libm_hypot(_ x: Float, _ y: Float) -> Float

// MARK: - Double
@_extern(c, "exp") @_effects(readnone) @usableFromInline func _libm_exp(_ x: Double) -> Double
@_extern(c, "exp2") @_effects(readnone) @usableFromInline func _libm_exp2(_ x: Double) -> Double
@_extern(c, "expm1") @_effects(readnone) @usableFromInline func _libm_expm1(_ x: Double) -> Double
@_extern(c, "log") @_effects(readnone) @usableFromInline func _libm_log(_ x: Double) -> Double
@_extern(c, "log2") @_effects(readnone) @usableFromInline func _libm_log2(_ x: Double) -> Double
@_extern(c, "log10") @_effects(readnone) @usableFromInline func _libm_log10(_ x: Double) -> Double
@_extern(c, "log1p") @_effects(readnone) @usableFromInline func _libm_log1p(_ x: Double) -> Double
@_extern(c, "cbrt") @_effects(readnone) @usableFromInline func _libm_cbrt(_ x: Double) -> Double
@_extern(c, "sin") @_effects(readnone) @usableFromInline func _libm_sin(_ x: Double) -> Double
@_extern(c, "cos") @_effects(readnone) @usableFromInline func _libm_cos(_ x: Double) -> Double
@_extern(c, "tan") @_effects(readnone) @usableFromInline func _libm_tan(_ x: Double) -> Double
@_extern(c, "asin") @_effects(readnone) @usableFromInline func _libm_asin(_ x: Double) -> Double
@_extern(c, "acos") @_effects(readnone) @usableFromInline func _libm_acos(_ x: Double) -> Double
@_extern(c, "atan") @_effects(readnone) @usableFromInline func _libm_atan(_ x: Double) -> Double
@_extern(c, "sinh") @_effects(readnone) @usableFromInline func _libm_sinh(_ x: Double) -> Double
@_extern(c, "cosh") @_effects(readnone) @usableFromInline func _libm_cosh(_ x: Double) -> Double
@_extern(c, "tanh") @_effects(readnone) @usableFromInline func _libm_tanh(_ x: Double) -> Double
@_extern(c, "erf") @_effects(readnone) @usableFromInline func _libm_erf(_ x: Double) -> Double
@_extern(c, "erfc") @_effects(readnone) @usableFromInline func _libm_erfc(_ x: Double) -> Double
@_extern(c, "pow") @_effects(readnone) @usableFromInline func _libm_pow(_ x: Double, _ y: Double) -> Double
@_extern(c, "atan2") @_effects(readnone) @usableFromInline func _libm_atan2(_ x: Double, _ y: Double) -> Double
@_extern(c, "hypot") @_effects(readnone) @usableFromInline func _libm_hypot(_ x: Double, _ y: Double) -> Double

// MARK: - Float80
#if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
@_extern(c, "expl") @_effects(readnone) @usableFromInline func _libm_exp(_ x: Float80) -> Float80
@_extern(c, "exp2l") @_effects(readnone) @usableFromInline func _libm_exp2(_ x: Float80) -> Float80
@_extern(c, "expm1l") @_effects(readnone) @usableFromInline func _libm_expm1(_ x: Float80) -> Float80
@_extern(c, "logl") @_effects(readnone) @usableFromInline func _libm_log(_ x: Float80) -> Float80
@_extern(c, "log2l") @_effects(readnone) @usableFromInline func _libm_log2(_ x: Float80) -> Float80
@_extern(c, "log10l") @_effects(readnone) @usableFromInline func _libm_log10(_ x: Float80) -> Float80
@_extern(c, "log1pl") @_effects(readnone) @usableFromInline func _libm_log1p(_ x: Float80) -> Float80
@_extern(c, "cbrtl") @_effects(readnone) @usableFromInline func _libm_cbrt(_ x: Float80) -> Float80
@_extern(c, "sinl") @_effects(readnone) @usableFromInline func _libm_sin(_ x: Float80) -> Float80
@_extern(c, "cosl") @_effects(readnone) @usableFromInline func _libm_cos(_ x: Float80) -> Float80
@_extern(c, "tanl") @_effects(readnone) @usableFromInline func _libm_tan(_ x: Float80) -> Float80
@_extern(c, "asinl") @_effects(readnone) @usableFromInline func _libm_asin(_ x: Float80) -> Float80
@_extern(c, "acosl") @_effects(readnone) @usableFromInline func _libm_acos(_ x: Float80) -> Float80
@_extern(c, "atanl") @_effects(readnone) @usableFromInline func _libm_atan(_ x: Float80) -> Float80
@_extern(c, "sinhl") @_effects(readnone) @usableFromInline func _libm_sinh(_ x: Float80) -> Float80
@_extern(c, "coshl") @_effects(readnone) @usableFromInline func _libm_cosh(_ x: Float80) -> Float80
@_extern(c, "tanhl") @_effects(readnone) @usableFromInline func _libm_tanh(_ x: Float80) -> Float80
@_extern(c, "erfl") @_effects(readnone) @usableFromInline func _libm_erf(_ x: Float80) -> Float80
@_extern(c, "erfcl") @_effects(readnone) @usableFromInline func _libm_erfc(_ x: Float80) -> Float80
@_extern(c, "powl") @_effects(readnone) @usableFromInline func _libm_pow(_ x: Float80, _ y: Float80) -> Float80
@_extern(c, "atan2l") @_effects(readnone) @usableFromInline func _libm_atan2(_ x: Float80, _ y: Float80) -> Float80
@_extern(c, "hypotl") @_effects(readnone) @usableFromInline func _libm_hypot(_ x: Float80, _ y: Float80) -> Float80
#endif
