import DifferentiableModule

// The derivative rules of the operator set, written once for every forward-mode
// number. Each rule reuses the primal result where the derivative contains it.
// Rules whose local derivative can be infinite or NaN at a finite point chain
// `bySingular:`, so that a zero derivative part stays zero there (0·∞ would be
// NaN): a Jacobian column or a Hessian entry that never reaches the singular
// point stays exact, as in reverse mode, which skips zero adjoints.
//
// Edge conventions (the same as PyTorch and JAX; reverse mode follows them too):
//
// | function       | point                  | derivative                         |
// |----------------|------------------------|------------------------------------|
// | abs(x)         | x = 0                  | 0                                  |
// | sqrt(x)        | x = 0                  | +∞                                 |
// | pow(x, y)      | y = 0                  | 0 with respect to x                |
// | pow(x, y)      | x = 0, y ≥ 0           | 0 with respect to y                |
// | pow(x, y)      | y constant             | no term with respect to y (even x < 0) |
// | pow(x, y)      | x constant             | no term with respect to x (even 0^y, y < 1) |
// | max, min       | x = y                  | half to each argument              |

// MARK: - Literals and constants

extension DualNumber {
  // Disfavoured so that `Dual(x)` with a `Double` variable `x` infers
  // `Dual<Double>` from `init(_:tangent:)`. (With a literal, `Dual(3.0)` is a
  // literal coercion in Swift and needs the type spelled: `Dual<Double>(3.0)`.)
  @_disfavoredOverload @inlinable @inline(__always)
  public init(_ value: Double) { self.init(constant: Primal(value)) }
  @inlinable @inline(__always)
  public init(integerLiteral value: Int) { self.init(constant: Primal(Double(value))) }
  @inlinable @inline(__always)
  public init(floatLiteral value: Double) { self.init(constant: Primal(value)) }
  @inlinable @inline(__always)
  public var primalDouble: Double { value.primalDouble }
}

// MARK: - Constants

extension DualNumber {
  // A constant of `Constants` in the primal's precision: its `Double` plus the
  // low part, which rounds away in `Double` and `Float` (so they get the
  // `Double` exactly) and gives `Float80` its last 11 bits.
  @inlinable @inline(__always)
  static func _constant(_ high: Double, _ low: Double) -> Primal { Primal(high) + Primal(low) }
}

// MARK: - Ordering (by value)

extension DualNumber {
  @inlinable @inline(__always)
  public static func == (lhs: Self, rhs: Self) -> Bool { lhs.value == rhs.value }
  @inlinable @inline(__always)
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

  // max(x, y): the derivative of the larger; at a tie, half of each. (The
  // tied value is Primal.maximum, so nested duals split their own parts too.)
  // A NaN argument loses, as in Double.maximum, and so does its derivative
  // (v != v: NaN; both comparisons above are false for it).
  @inlinable
  public static func maximum(_ x: Self, _ y: Self) -> Self {
    if x.value > y.value { return x }
    if y.value > x.value { return y }
    if x.value != x.value { return y }
    if y.value != y.value { return x }
    return Self(value: Primal.maximum(x.value, y.value), chaining: x, by: 0.5, y, by: 0.5)
  }

  // min(x, y): the derivative of the smaller; at a tie, half of each; a NaN
  // argument loses, as in Double.minimum.
  @inlinable
  public static func minimum(_ x: Self, _ y: Self) -> Self {
    if x.value < y.value { return x }
    if y.value < x.value { return y }
    if x.value != x.value { return y }
    if y.value != y.value { return x }
    return Self(value: Primal.minimum(x.value, y.value), chaining: x, by: 0.5, y, by: 0.5)
  }
}

// MARK: - Arithmetic

extension DualNumber {
  // (u·v)' = u'·v + u·v'
  @inlinable @inline(__always)
  public static func * (lhs: Self, rhs: Self) -> Self {
    Self(value: lhs.value * rhs.value, chaining: lhs, by: rhs.value, rhs, by: lhs.value)
  }

  // (u/v)' = u'/v − v'·(u/v)/v
  @inlinable @inline(__always)
  public static func / (lhs: Self, rhs: Self) -> Self {
    let q = lhs.value / rhs.value
    let r = 1 / rhs.value
    return Self(value: q, chaining: lhs, bySingular: r, rhs, bySingular: -q * r)
  }
}

// MARK: - Exponentials and logarithms

extension DualNumber {
  // (eˣ)' = eˣ
  @inlinable @inline(__always)
  public static func exp(_ x: Self) -> Self {
    let e = Primal.exp(x.value)
    return Self(value: e, chaining: x, by: e)
  }
  // (2ˣ)' = 2ˣ·ln 2
  @inlinable @inline(__always)
  public static func exp2(_ x: Self) -> Self {
    let e = Primal.exp2(x.value)
    return Self(value: e, chaining: x, by: e * _constant(Constants.ln2, Constants.ln2Low))
  }
  // (eˣ − 1)' = eˣ, as expm1(x) + 1 where that keeps its digits (not for
  // x ≪ 0, where expm1(x) + 1 cancels to 0)
  @inlinable @inline(__always)
  public static func expm1(_ x: Self) -> Self {
    let e = Primal.expm1(x.value)
    return Self(value: e, chaining: x, by: e > -0.5 ? e + 1 : Primal.exp(x.value))
  }
  // (ln x)' = 1/x
  @inlinable @inline(__always)
  public static func log(_ x: Self) -> Self {
    Self(value: Primal.log(x.value), chaining: x, bySingular: 1 / x.value)
  }
  // (log₂ x)' = 1/(x·ln 2)
  @inlinable @inline(__always)
  public static func log2(_ x: Self) -> Self {
    Self(value: Primal.log2(x.value), chaining: x, bySingular: 1 / (x.value * _constant(Constants.ln2, Constants.ln2Low)))
  }
  // (log₁₀ x)' = 1/(x·ln 10)
  @inlinable @inline(__always)
  public static func log10(_ x: Self) -> Self {
    Self(value: Primal.log10(x.value), chaining: x, bySingular: 1 / (x.value * _constant(Constants.ln10, Constants.ln10Low)))
  }
  // (ln(1 + x))' = 1/(1 + x)
  @inlinable @inline(__always)
  public static func log1p(_ x: Self) -> Self {
    Self(value: Primal.log1p(x.value), chaining: x, bySingular: 1 / (1 + x.value))
  }
}

// MARK: - Powers and roots

extension DualNumber {
  // (√x)' = 1/(2√x), +∞ at 0
  @inlinable @inline(__always)
  public static func sqrt(_ x: Self) -> Self {
    let r = Primal.sqrt(x.value)
    return Self(value: r, chaining: x, bySingular: 1 / (2 * r))
  }
  // (∛x)' = 1/(3·∛x²)
  @inlinable @inline(__always)
  public static func cbrt(_ x: Self) -> Self {
    let r = Primal.cbrt(x.value)
    return Self(value: r, chaining: x, bySingular: 1 / (3 * r * r))
  }
  // ∂xʸ/∂x = y·xʸ⁻¹ (0 where y = 0); ∂xʸ/∂y = xʸ·ln x (0 where x = 0 and y ≥ 0,
  // and no term at all when y is a constant, so that (−2)^2.0 is differentiable).
  @inlinable
  public static func pow(_ x: Self, _ y: Self) -> Self {
    let p = Primal.pow(x.value, y.value)
    // The y = 0 test uses `isIdenticallyZero`, not `== 0` (which compares
    // values only): on nested duals y may carry a perturbation that ∂/∂x must
    // keep (∂²xʸ/∂x∂y = 1/x at y = 0). The x = 0 test compares values: xʸ·ln x
    // and its derivatives in x tend to 0 there (for y > 1), so 0 is the limit.
    @inline(__always) func dy() -> Primal { (x.value == 0 && y.value >= 0) ? 0 : p * Primal.log(x.value) }
    // A constant base has no x term (0^y with y < 1 has an infinite ∂/∂x,
    // which times a zero tangent would be NaN).
    if x.hasZeroDerivative { return Self(value: p, chaining: y, bySingular: dy()) }
    let dx: Primal = y.value.isIdenticallyZero ? 0 : y.value * Primal.pow(x.value, y.value - 1)
    if y.hasZeroDerivative { return Self(value: p, chaining: x, bySingular: dx) }
    return Self(value: p, chaining: x, bySingular: dx, y, bySingular: dy())
  }
  // (xⁿ)' = n·xⁿ⁻¹ (0 where n = 0)
  @inlinable
  public static func pow(_ x: Self, _ n: Int) -> Self {
    // n·xⁿ⁻¹, with xⁿ⁻¹ as xⁿ/x for n = Int.min (n − 1 would overflow).
    let dx: Primal = n == 0 ? 0
      : n == Int.min ? Primal(Double(n)) * (Primal.pow(x.value, n) / x.value)
      : Primal(Double(n)) * Primal.pow(x.value, n - 1)
    return Self(value: Primal.pow(x.value, n), chaining: x, bySingular: dx)
  }
  // ∂h/∂x = x/h, ∂h/∂y = y/h
  @inlinable
  public static func hypot(_ x: Self, _ y: Self) -> Self {
    let h = Primal.hypot(x.value, y.value)
    return Self(value: h, chaining: x, bySingular: x.value / h, y, bySingular: y.value / h)
  }
}

// MARK: - Trigonometric functions

extension DualNumber {
  // (sin x)' = cos x
  @inlinable @inline(__always)
  public static func sin(_ x: Self) -> Self {
    Self(value: Primal.sin(x.value), chaining: x, by: Primal.cos(x.value))
  }
  // (cos x)' = −sin x
  @inlinable @inline(__always)
  public static func cos(_ x: Self) -> Self {
    Self(value: Primal.cos(x.value), chaining: x, by: -Primal.sin(x.value))
  }
  // (tan x)' = 1 + tan²x
  @inlinable @inline(__always)
  public static func tan(_ x: Self) -> Self {
    let t = Primal.tan(x.value)
    return Self(value: t, chaining: x, by: 1 + t * t)
  }
  // (asin x)' = 1/√(1 − x²), with 1 − x² from `_oneMinusSquare`
  @inlinable @inline(__always)
  public static func asin(_ x: Self) -> Self {
    Self(value: Primal.asin(x.value), chaining: x, bySingular: 1 / Primal.sqrt(_oneMinusSquare(x.value)))
  }
  // (acos x)' = −1/√(1 − x²), with 1 − x² from `_oneMinusSquare`
  @inlinable @inline(__always)
  public static func acos(_ x: Self) -> Self {
    Self(value: Primal.acos(x.value), chaining: x, bySingular: -1 / Primal.sqrt(_oneMinusSquare(x.value)))
  }
  // 1 − x² as (1 − x)(1 + x) for |x| ≥ 0.5, exact near ±1, and as 1 − x·x
  // below: on nested duals the derivative of (1 − x)(1 + x) is
  // −(1 + x) + (1 − x), which cancels near 0 (asin″(1e-8) kept 8 digits,
  // asin″(1e-100) was 0), where that of 1 − x·x is −2x exactly.
  @inlinable @inline(__always)
  static func _oneMinusSquare(_ x: Primal) -> Primal {
    Primal.abs(x) < 0.5 ? 1 - x * x : (1 - x) * (1 + x)
  }
  // (atan x)' = 1/(1 + x²)
  @inlinable @inline(__always)
  public static func atan(_ x: Self) -> Self {
    Self(value: Primal.atan(x.value), chaining: x, by: _atanDerivative(x.value))
  }
  // ∂atan2(y, x)/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²), as (x/h)/h with
  // h = hypot(x, y): x² + y² overflows or underflows at ordinary scales
  // (1e±170 in Double, 1e±20 in Float)
  @inlinable
  public static func atan2(y: Self, x: Self) -> Self {
    let h = Primal.hypot(x.value, y.value)
    return Self(
      value: Primal.atan2(y: y.value, x: x.value), chaining: y, bySingular: x.value / h / h,
      x, bySingular: -(y.value / h) / h)
  }
}

// MARK: - Hyperbolic and error functions

extension DualNumber {
  // (sinh x)' = cosh x
  @inlinable @inline(__always)
  public static func sinh(_ x: Self) -> Self {
    Self(value: Primal.sinh(x.value), chaining: x, by: Primal.cosh(x.value))
  }
  // (cosh x)' = sinh x
  @inlinable @inline(__always)
  public static func cosh(_ x: Self) -> Self {
    Self(value: Primal.cosh(x.value), chaining: x, by: Primal.sinh(x.value))
  }
  // (tanh x)' = 1 − tanh²x, as 1/cosh²x where tanh x is near ±1 (1 − t² then
  // cancels: 0 at x = 20, where the derivative is 1.7e-17)
  @inlinable @inline(__always)
  public static func tanh(_ x: Self) -> Self {
    let t = Primal.tanh(x.value)
    return Self(value: t, chaining: x, by: _tanhDerivative(x.value, t))
  }
  // (erf x)' = 2/√π·e^(−x²)
  @inlinable @inline(__always)
  public static func erf(_ x: Self) -> Self {
    let d = _constant(Constants.twoOverSqrtPi, Constants.twoOverSqrtPiLow) * Primal.exp(-x.value * x.value)
    return Self(value: Primal.erf(x.value), chaining: x, by: d)
  }
  // (erfc x)' = −2/√π·e^(−x²)
  @inlinable @inline(__always)
  public static func erfc(_ x: Self) -> Self {
    let d = -_constant(Constants.twoOverSqrtPi, Constants.twoOverSqrtPiLow) * Primal.exp(-x.value * x.value)
    return Self(value: Primal.erfc(x.value), chaining: x, by: d)
  }
  // |x|' = sign(x), and 0 at 0
  @inlinable @inline(__always)
  public static func abs(_ x: Self) -> Self {
    let s: Primal = x.value > 0 ? 1 : (x.value < 0 ? -1 : 0)
    return Self(value: Primal.abs(x.value), chaining: x, by: s)
  }
}
