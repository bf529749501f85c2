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
    let c = T.cosh(x)
    return 1 / (c * c)
  }
  return 1 - t * t
}
