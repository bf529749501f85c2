// Hyperbolic functions.

extension DerivativeRules {
  /// (sinh x)′ = cosh x.
  @inlinable @inline(__always)
  public static func sinh<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: T.sinh(x), derivative: T.cosh(x))
  }

  /// (cosh x)′ = sinh x.
  @inlinable @inline(__always)
  public static func cosh<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: T.cosh(x), derivative: T.sinh(x))
  }

  /// (tanh x)′ = 1 − tanh²x, as 1/cosh²x where tanh x is near ±1 (1 − t²
  /// cancels there: it is 0 at x = 20, where the derivative is 1.7e-17).
  /// 1/cosh²x is computed as 4u/(1 + u)² with u = e^(−2|x|), which cannot
  /// overflow: cosh²x overflows from x = 355 (44.4 in Float), giving 0 where
  /// the derivative is still representable and, on nested duals, a second
  /// derivative 0·∞ = NaN.
  @inlinable @inline(__always)
  public static func tanh<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let t = T.tanh(x)
    let d: T
    if T.abs(t) > 0.9 {
      let u = T.exp(-2 * T.abs(x))
      let v = 1 + u
      d = 4 * u / (v * v)
    } else {
      d = 1 - t * t
    }
    return LocalDerivative(value: t, derivative: d)
  }
}
