// Sum, difference, negation, product and quotient.

extension DerivativeRules {
  /// x + y: ∂ = 1, 1.
  @inlinable @inline(__always)
  public static func sum<T: DifferentiableScalar>(_ x: T, _ y: T) -> LocalPartials<T> {
    LocalPartials(value: x + y, x: 1, y: 1)
  }

  /// x − y: ∂ = 1, −1.
  @inlinable @inline(__always)
  public static func difference<T: DifferentiableScalar>(_ x: T, _ y: T) -> LocalPartials<T> {
    LocalPartials(value: x - y, x: 1, y: -1)
  }

  /// −x: −1.
  @inlinable @inline(__always)
  public static func negation<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: -x, derivative: -1)
  }

  /// x·y: ∂ = y, x.
  @inlinable @inline(__always)
  public static func product<T: DifferentiableScalar>(_ x: T, _ y: T) -> LocalPartials<T> {
    LocalPartials(value: x * y, x: y, y: x)
  }

  /// x/y: ∂ = 1/y, −(x/y)/y; singular at y = 0. The quotient is a division
  /// (x·(1/y) loses a bit in a quarter of cases and overflows where x/y does
  /// not).
  @inlinable @inline(__always)
  public static func quotient<T: DifferentiableScalar>(_ x: T, _ y: T) -> LocalPartials<T> {
    let q = x / y
    let r = 1 / y
    return LocalPartials(value: q, x: r, y: -q * r, isSingular: true)
  }
}
