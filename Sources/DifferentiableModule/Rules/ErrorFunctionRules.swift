// The error function and its complement.

extension DerivativeRules {
  /// (erf x)′ = 2/√π·e^(−x²).
  @inlinable @inline(__always)
  public static func erf<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let c: T = Constants.value(Constants.twoOverSqrtPi, Constants.twoOverSqrtPiLow)
    return LocalDerivative(value: T.erf(x), derivative: c * T.exp(-x * x))
  }

  /// (erfc x)′ = −2/√π·e^(−x²).
  @inlinable @inline(__always)
  public static func erfc<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let c: T = Constants.value(Constants.twoOverSqrtPi, Constants.twoOverSqrtPiLow)
    return LocalDerivative(value: T.erfc(x), derivative: -c * T.exp(-x * x))
  }
}
