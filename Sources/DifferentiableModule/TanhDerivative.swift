/// The derivative of tanh at `x`, given `t = tanh(x)`: 1 − t², or 1/cosh²x
/// where |t| > 0.9, since 1 − t² cancels as t nears ±1 (it is 0 at x = 20,
/// where the derivative is 1.7e-17). Shared by forward mode and `Tensor`.
///
/// ```swift
/// _tanhDerivative(20.0, tanh(20.0))   // 1.7e-17
/// ```
@inlinable @inline(__always)
public func _tanhDerivative<T: DifferentiableScalar>(_ x: T, _ t: T) -> T {
  if T.abs(t) > 0.9 {
    // 1/cosh²x as 4u/(1 + u)² with u = e^(−2|x|), which cannot overflow:
    // cosh²x overflows from x = 355 (44.4 in Float), giving 0 where the
    // derivative is still representable and, on nested duals, a second
    // derivative 0·∞ = NaN.
    let u = T.exp(-2 * T.abs(x))
    let v = 1 + u
    return 4 * u / (v * v)
  }
  return 1 - t * t
}
