// Powers and roots.

extension DerivativeRules {
  /// (√x)′ = 1/(2√x); +∞ at 0.
  @inlinable @inline(__always)
  public static func sqrt<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let r = T.sqrt(x)
    return LocalDerivative(value: r, derivative: 1 / (2 * r), isSingular: true)
  }

  /// (∛x)′ = 1/(3·∛x²); +∞ at 0.
  @inlinable @inline(__always)
  public static func cbrt<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    let r = T.cbrt(x)
    return LocalDerivative(value: r, derivative: 1 / (3 * r * r), isSingular: true)
  }

  /// xʸ: ∂/∂x = y·xʸ⁻¹ (0 where y = 0), ∂/∂y = xʸ·ln x (0 where x = 0 and
  /// y ≥ 0). A mode passes `x: false` for a constant base and `y: false` for
  /// a constant exponent: that partial is then 0 and not computed, so that
  /// (−2)^2.0 (ln of a negative base) and 0^0.5 with a constant base (an
  /// infinite ∂/∂x) are differentiable.
  ///
  /// The y = 0 test uses `isIdenticallyZero`, not `== 0` (which compares
  /// values only): on nested duals y may carry a perturbation that ∂/∂x must
  /// keep (∂²xʸ/∂x∂y = 1/x at y = 0). The x = 0 test compares values: xʸ·ln x
  /// and its derivatives in x tend to 0 there (for y > 1), so 0 is the limit.
  @inlinable @inline(__always)
  public static func pow<T: DifferentiableScalar>(
    _ x: T, _ y: T, x needsX: Bool = true, y needsY: Bool = true
  ) -> LocalPartials<T> {
    let p = T.pow(x, y)
    let dx: T = !needsX || y.isIdenticallyZero ? 0 : y * T.pow(x, y - 1)
    let dy: T = !needsY || (x == 0 && y >= 0) ? 0 : p * T.log(x)
    return LocalPartials(value: p, x: dx, y: dy, isSingular: true)
  }

  /// (xⁿ)′ = n·xⁿ⁻¹ (0 where n = 0), with xⁿ⁻¹ as xⁿ/x for n = Int.min
  /// (n − 1 would overflow); singular at 0 for n < 1.
  @inlinable @inline(__always)
  public static func pow<T: DifferentiableScalar>(_ x: T, _ n: Int) -> LocalDerivative<T> {
    let p = T.pow(x, n)
    let d: T = n == 0 ? 0
      : n == Int.min ? T(Double(n)) * (p / x)
      : T(Double(n)) * T.pow(x, n - 1)
    return LocalDerivative(value: p, derivative: d, isSingular: true)
  }

  /// h = √(x² + y²): ∂/∂x = x/h, ∂/∂y = y/h; singular at the origin.
  @inlinable @inline(__always)
  public static func hypot<T: DifferentiableScalar>(_ x: T, _ y: T) -> LocalPartials<T> {
    let h = T.hypot(x, y)
    return LocalPartials(value: h, x: x / h, y: y / h, isSingular: true)
  }
}
