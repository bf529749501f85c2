import DifferentiableModule
import DualModule

/// The Jacobian-vector product J·v of f: ℝⁿ → ℝᵐ at x, in one forward-mode
/// evaluation (no Jacobian is formed).
///
/// ```
/// jvp(at: x, direction: v, of: f) = J(x)·v,   (J·v)ᵢ = Σⱼ ∂fᵢ/∂xⱼ · vⱼ
/// ```
///
/// ```swift
/// let Jv = jvp(at: [2.0, 0.5], direction: [1, 0], of: Polar())   // column 0 of J
/// ```
///
/// Stops with a message if `direction` and `x` differ in length.
///
/// See also: `valueWithJVP(at:direction:of:)`, `vjp(at:cotangent:of:)`,
/// `directionalDerivative(at:along:of:)` for scalar functions.
@inlinable
public func jvp<S: DifferentiableScalar, F: VectorFunction>(
  at x: [S], direction v: [S], of f: F
) -> [S] {
  valueWithJVP(at: x, direction: v, of: f).jvp
}

/// The value f(x) and the Jacobian-vector product J·v, from one forward-mode
/// evaluation on `Dual` numbers.
///
/// ```swift
/// let (y, Jv) = valueWithJVP(at: [2.0, 0.5], direction: [1, 1], of: Polar())
/// ```
@inlinable
public func valueWithJVP<S: DifferentiableScalar, F: VectorFunction>(
  at x: [S], direction v: [S], of f: F
) -> (value: [S], jvp: [S]) {
  if x.count != v.count { _jvpSizeMismatch(x.count, v.count) }
  var inputs = [Dual<S>]()
  inputs.reserveCapacity(x.count)
  for j in x.indices { inputs.append(Dual(x[j], tangent: v[j])) }
  let y = f(inputs)
  return (y.map(\.value), y.map(\.tangent))
}

/// J·v for a function written as a closure over `Dual` numbers.
///
/// ```swift
/// let Jv = jvp(at: [1.0, 2.0], direction: [1, 0]) { x in [x[0] * x[1], exp(x[0])] }
/// ```
@inlinable
public func jvp<S: DifferentiableScalar>(
  at x: [S], direction v: [S], of f: ([Dual<S>]) throws -> [Dual<S>]
) rethrows -> [S] {
  try valueWithJVP(at: x, direction: v, of: f).jvp
}

/// The value and J·v for a function written as a closure over `Dual` numbers.
///
/// ```swift
/// let (y, Jv) = valueWithJVP(at: [1.0, 2.0], direction: [0, 1]) { x in [x[0] * x[1]] }
/// ```
@inlinable
public func valueWithJVP<S: DifferentiableScalar>(
  at x: [S], direction v: [S], of f: ([Dual<S>]) throws -> [Dual<S>]
) rethrows -> (value: [S], jvp: [S]) {
  if x.count != v.count { _jvpSizeMismatch(x.count, v.count) }
  var inputs = [Dual<S>]()
  inputs.reserveCapacity(x.count)
  for j in x.indices { inputs.append(Dual(x[j], tangent: v[j])) }
  let y = try f(inputs)
  return (y.map(\.value), y.map(\.tangent))
}

@inline(never) @usableFromInline
func _jvpSizeMismatch(_ n: Int, _ k: Int) -> Never {
  fatalError("jvp: the point has \(n) coordinates but the direction has \(k)")
}
