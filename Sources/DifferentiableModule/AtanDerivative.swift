/// The derivative of atan at `x`: 1/(1 + x²), or r²/(1 + r²) with r = 1/x
/// where |x| > 1, since x² overflows from |x| ≈ 1.3e154 (1.8e19 in Float),
/// giving 0 where the derivative is still representable and, on nested
/// duals, a second derivative 0·∞ = NaN. Shared by forward mode and
/// `Tensor`.
///
/// ```swift
/// _atanDerivative(1e160)   // ≈ 1e-320 (1/(1 + x²) gave 0)
/// ```
@inlinable @inline(__always)
public func _atanDerivative<T: DifferentiableScalar>(_ x: T) -> T {
  if T.abs(x) > 1 {
    let r = 1 / x
    let r2 = r * r
    return r2 / (1 + r2)
  }
  return 1 / (1 + x * x)
}
