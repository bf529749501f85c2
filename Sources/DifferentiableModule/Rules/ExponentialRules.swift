// Exponentials and logarithms.

extension DerivativeRules {
  /// (eˣ)′ = eˣ.
  @inlinable @inline(__always)
  public static func exp<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let e = T.exp(x)
    return LocalDerivative(value: e, derivative: e)
  }

  /// (2ˣ)′ = 2ˣ·ln 2.
  @inlinable @inline(__always)
  public static func exp2<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let e = T.exp2(x)
    return LocalDerivative(value: e, derivative: e * Constants.value(Constants.ln2, Constants.ln2Low))
  }

  /// (eˣ − 1)′ = eˣ, as expm1(x) + 1 where that keeps its digits (not for
  /// x ≪ 0, where expm1(x) + 1 cancels to 0).
  @inlinable @inline(__always)
  public static func expm1<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let e = T.expm1(x)
    return LocalDerivative(value: e, derivative: e > -0.5 ? e + 1 : T.exp(x))
  }

  /// (ln x)′ = 1/x; singular at 0.
  @inlinable @inline(__always)
  public static func log<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: T.log(x), derivative: 1 / x, isSingular: true)
  }

  /// (log₂ x)′ = 1/(x·ln 2); singular at 0.
  @inlinable @inline(__always)
  public static func log2<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(
      value: T.log2(x), derivative: 1 / (x * Constants.value(Constants.ln2, Constants.ln2Low)), isSingular: true)
  }

  /// (log₁₀ x)′ = 1/(x·ln 10); singular at 0.
  @inlinable @inline(__always)
  public static func log10<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(
      value: T.log10(x), derivative: 1 / (x * Constants.value(Constants.ln10, Constants.ln10Low)), isSingular: true)
  }

  /// (ln(1 + x))′ = 1/(1 + x); singular at −1.
  @inlinable @inline(__always)
  public static func log1p<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: T.log1p(x), derivative: 1 / (1 + x), isSingular: true)
  }
}
