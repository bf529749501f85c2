// Trigonometric functions and their inverses.

extension DerivativeRules {
  /// (sin x)′ = cos x.
  @inlinable @inline(__always)
  public static func sin<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let (s, c) = _sinAndCos(x)
    return LocalDerivative(value: s, derivative: c)
  }

  /// (cos x)′ = −sin x.
  @inlinable @inline(__always)
  public static func cos<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let (s, c) = _sinAndCos(x)
    return LocalDerivative(value: c, derivative: -s)
  }

  /// (tan x)′ = 1 + tan²x.
  @inlinable @inline(__always)
  public static func tan<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let t = T.tan(x)
    return LocalDerivative(value: t, derivative: 1 + t * t)
  }

  /// (asin x)′ = 1/√(1 − x²); ±∞ at ±1.
  @inlinable @inline(__always)
  public static func asin<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: T.asin(x), derivative: 1 / T.sqrt(oneMinusSquare(x)), isSingular: true)
  }

  /// (acos x)′ = −1/√(1 − x²); ∓∞ at ±1.
  @inlinable @inline(__always)
  public static func acos<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: T.acos(x), derivative: -1 / T.sqrt(oneMinusSquare(x)), isSingular: true)
  }

  /// 1 − x², as (1 − x)(1 + x) for |x| ≥ 0.5, exact near ±1, and as 1 − x·x
  /// below: on nested duals the derivative of (1 − x)(1 + x) is
  /// −(1 + x) + (1 − x), which cancels near 0 (asin″(1e-8) would keep 8
  /// digits, asin″(1e-100) would be 0), where that of 1 − x·x is −2x exactly.
  @inlinable @inline(__always)
  static func oneMinusSquare<T: DifferentiableScalar>(_ x: T) -> T {
    T.abs(x) < 0.5 ? 1 - x * x : (1 - x) * (1 + x)
  }

  /// (atan x)′ = 1/(1 + x²), as r²/(1 + r²) with r = 1/x for |x| > 1: x²
  /// overflows from |x| ≈ 1.3e154 in Double (1.8e19 in Float), which would
  /// give 0 where the derivative is still representable (1/(1e160)² ≈ 1e-320).
  @inlinable @inline(__always)
  public static func atan<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let d: T
    if T.abs(x) > 1 {
      let r = 1 / x
      let r2 = r * r
      d = r2 / (1 + r2)
    } else {
      d = 1 / (1 + x * x)
    }
    return LocalDerivative(value: T.atan(x), derivative: d)
  }

  /// atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²), as (x/h)/h with
  /// h = hypot(x, y), since x² + y² overflows or underflows at ordinary scales
  /// (1e±170 in Double, 1e±20 in Float); singular at the origin. The first
  /// partial (`x` of the result) is that with respect to the first argument,
  /// y.
  @inlinable @inline(__always)
  public static func atan2<T: DifferentiableScalar>(y: T, x: T) -> LocalPartials<T> {
    let h = T.hypot(x, y)
    return LocalPartials(value: T.atan2(y: y, x: x), x: x / h / h, y: -(y / h) / h, isSingular: true)
  }
}
