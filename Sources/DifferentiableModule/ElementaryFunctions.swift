// The free functions of the operator set. Each dispatches to the static
// requirement of `Differentiable`, so `exp(x)` reads the same for `Double`,
// `Dual<Double>` and `Tensor<Double>`.
//
// For concrete `Float` and `Double` arguments, the C library's overloads (from
// Glibc or Foundation) are more specific and are chosen instead; they compute
// the same values.

// MARK: - Exponentials and logarithms

/// eˣ. Derivative: eˣ.
@inlinable @inline(__always) public func exp<T: Differentiable>(_ x: T) -> T { T.exp(x) }
/// 2ˣ. Derivative: 2ˣ·ln 2.
@inlinable @inline(__always) public func exp2<T: Differentiable>(_ x: T) -> T { T.exp2(x) }
/// eˣ − 1, accurate near 0. Derivative: eˣ.
@inlinable @inline(__always) public func expm1<T: Differentiable>(_ x: T) -> T { T.expm1(x) }
/// Natural logarithm. Derivative: 1/x.
@inlinable @inline(__always) public func log<T: Differentiable>(_ x: T) -> T { T.log(x) }
/// Base-2 logarithm. Derivative: 1/(x·ln 2).
@inlinable @inline(__always) public func log2<T: Differentiable>(_ x: T) -> T { T.log2(x) }
/// Base-10 logarithm. Derivative: 1/(x·ln 10).
@inlinable @inline(__always) public func log10<T: Differentiable>(_ x: T) -> T { T.log10(x) }
/// ln(1 + x), accurate near 0. Derivative: 1/(1 + x).
@inlinable @inline(__always) public func log1p<T: Differentiable>(_ x: T) -> T { T.log1p(x) }

// MARK: - Powers and roots

/// Square root. Derivative: 1/(2√x); +∞ at 0.
@inlinable @inline(__always) public func sqrt<T: Differentiable>(_ x: T) -> T { T.sqrt(x) }
/// Cube root. Derivative: 1/(3·∛x²).
@inlinable @inline(__always) public func cbrt<T: Differentiable>(_ x: T) -> T { T.cbrt(x) }
/// xʸ. Derivatives: y·xʸ⁻¹ and xʸ·ln x (taken as 0 where x = 0 and y ≥ 0).
@inlinable @inline(__always) public func pow<T: Differentiable>(_ x: T, _ y: T) -> T { T.pow(x, y) }
/// xⁿ for an integer n. Derivative: n·xⁿ⁻¹.
@inlinable @inline(__always) public func pow<T: Differentiable>(_ x: T, _ n: Int) -> T { T.pow(x, n) }
/// √(x² + y²). Derivatives: x/h and y/h.
@inlinable @inline(__always) public func hypot<T: Differentiable>(_ x: T, _ y: T) -> T { T.hypot(x, y) }

// MARK: - Trigonometric functions

/// Sine. Derivative: cos x.
@inlinable @inline(__always) public func sin<T: Differentiable>(_ x: T) -> T { T.sin(x) }
/// Cosine. Derivative: −sin x.
@inlinable @inline(__always) public func cos<T: Differentiable>(_ x: T) -> T { T.cos(x) }
/// Tangent. Derivative: 1 + tan²x.
@inlinable @inline(__always) public func tan<T: Differentiable>(_ x: T) -> T { T.tan(x) }
/// Arcsine. Derivative: 1/√(1 − x²).
@inlinable @inline(__always) public func asin<T: Differentiable>(_ x: T) -> T { T.asin(x) }
/// Arccosine. Derivative: −1/√(1 − x²).
@inlinable @inline(__always) public func acos<T: Differentiable>(_ x: T) -> T { T.acos(x) }
/// Arctangent. Derivative: 1/(1 + x²).
@inlinable @inline(__always) public func atan<T: Differentiable>(_ x: T) -> T { T.atan(x) }
/// The angle of the point (x, y). Derivatives: −y/(x² + y²) wrt x, x/(x² + y²) wrt y.
@inlinable @inline(__always) public func atan2<T: Differentiable>(y: T, x: T) -> T { T.atan2(y: y, x: x) }
/// The angle of the point (x, y), C argument order `atan2(y, x)`.
@inlinable @inline(__always) public func atan2<T: Differentiable>(_ y: T, _ x: T) -> T { T.atan2(y: y, x: x) }

// MARK: - Hyperbolic and error functions

/// Hyperbolic sine. Derivative: cosh x.
@inlinable @inline(__always) public func sinh<T: Differentiable>(_ x: T) -> T { T.sinh(x) }
/// Hyperbolic cosine. Derivative: sinh x.
@inlinable @inline(__always) public func cosh<T: Differentiable>(_ x: T) -> T { T.cosh(x) }
/// Hyperbolic tangent. Derivative: 1 − tanh²x.
@inlinable @inline(__always) public func tanh<T: Differentiable>(_ x: T) -> T { T.tanh(x) }
/// Error function. Derivative: 2/√π·e^(−x²).
@inlinable @inline(__always) public func erf<T: Differentiable>(_ x: T) -> T { T.erf(x) }
/// Complementary error function. Derivative: −2/√π·e^(−x²).
@inlinable @inline(__always) public func erfc<T: Differentiable>(_ x: T) -> T { T.erfc(x) }

// MARK: - Absolute value, minimum, maximum

/// Absolute value. Derivative: sign(x), and 0 at x = 0 (as in PyTorch and JAX).
@inlinable @inline(__always) public func abs<T: Differentiable>(_ x: T) -> T { T.abs(x) }
/// Absolute value of a `Double` (resolves the overlap of the generic `abs` with
/// the standard library's).
@inlinable @inline(__always) public func abs(_ x: Double) -> Double { x.magnitude }
/// Absolute value of a `Float`.
@inlinable @inline(__always) public func abs(_ x: Float) -> Float { x.magnitude }

/// The larger of `x` and `y`; at a tie the derivative is split evenly.
@inlinable @inline(__always) public func max<T: DifferentiableScalar>(_ x: T, _ y: T) -> T { T.maximum(x, y) }
/// The smaller of `x` and `y`; at a tie the derivative is split evenly.
@inlinable @inline(__always) public func min<T: DifferentiableScalar>(_ x: T, _ y: T) -> T { T.minimum(x, y) }
