import DifferentiableModule

/// The directional derivative of a function of several variables, in one
/// forward-mode pass:
///
/// ```
/// directionalDerivative(at: x, along: v, of: f) = ∇f(x)·v = Σⱼ ∂f/∂xⱼ · vⱼ
/// ```
///
/// ```swift
/// let d = directionalDerivative(at: [1.0, 2.0], along: [1, 0]) { x in x[0] * x[1] }  // 2
/// ```
///
/// Stops with a message if `x` and `v` differ in length.
///
/// See also: `valueWithDirectionalDerivative(at:along:of:)`; `jvp(at:direction:of:)`
/// in `JacobianModule` for vector-valued functions.
@inlinable
public func directionalDerivative<T: DifferentiableScalar>(
  at x: [T], along v: [T], of f: ([Dual<T>]) throws -> Dual<T>
) rethrows -> T {
  try valueWithDirectionalDerivative(at: x, along: v, of: f).derivative
}

/// The value and the directional derivative `∇f(x)·v` of a function of several
/// variables, in one forward-mode pass.
///
/// ```swift
/// let (y, d) = valueWithDirectionalDerivative(at: [1.0, 2.0], along: [1, 1]) { x in x[0] * x[1] }  // (2, 3)
/// ```
@inlinable
public func valueWithDirectionalDerivative<T: DifferentiableScalar>(
  at x: [T], along v: [T], of f: ([Dual<T>]) throws -> Dual<T>
) rethrows -> (value: T, derivative: T) {
  guard x.count == v.count else {
    fatalError("directionalDerivative: the point has \(x.count) coordinates but the direction has \(v.count)")
  }
  let y = try f(zip(x, v).map { Dual($0, tangent: $1) })
  return (y.value, y.tangent)
}
