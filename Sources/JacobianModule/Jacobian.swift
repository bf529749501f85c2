import DifferentiableModule
import DualModule

/// The Jacobian matrix of f: ℝⁿ → ℝᵐ at a point.
///
/// ```
/// J[i, j] = ∂fᵢ/∂xⱼ        (m rows = outputs, n columns = inputs)
/// ```
///
/// ```swift
/// struct Polar: VectorFunction {
///   func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
///     [x[0] * cos(x[1]), x[0] * sin(x[1])]
///   }
/// }
/// let J = jacobian(at: [2.0, 0.5], of: Polar())                  // automatic
/// let Jf = jacobian(at: [2.0, 0.5], mode: .forward, of: Polar())
/// let Jr = jacobian(at: [2.0, 0.5], mode: .reverse, of: Polar())
/// ```
///
/// - `.forward`: ⌈n/8⌉ evaluations of f on 8-partial duals (`MultiDual`),
///   each giving 8 columns (2 or 4 for n ≤ 2, n ≤ 4).
/// - `.reverse`: one recording of f on `ReverseScalar`s, then reverse sweeps
///   carrying 8 output rows at a time (SIMD lanes), each over only the part
///   of the recording those rows depend on.
/// - `.automatic` (the default): forward when n ≤ m, reverse when n > m.
///
/// A large forward Jacobian is shared between two threads when the function
/// type is `Sendable` and the work pays for it (timed on the first chunk);
/// small ones stay on the calling thread. The result does not depend on it.
///
/// See also: `valueWithJacobian(at:mode:of:)`, `jvp(at:direction:of:)`,
/// `vjp(at:cotangent:of:)`, `checkDerivatives(at:of:)`.
@inlinable
public func jacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], mode: DifferentiationMode = .automatic, of f: F
) -> Matrix<S> {
  valueWithJacobian(at: x, mode: mode, of: f).jacobian
}

/// The Jacobian of a `Sendable` function, which may use two threads when large.
///
/// ```swift
/// let J = jacobian(at: x, of: model)   // model: a struct of Sendable properties
/// ```
///
/// See `jacobian(at:mode:of:)` for the modes.
@inlinable
public func jacobian<S: JacobianScalar, F: VectorFunction & Sendable>(
  at x: [S], mode: DifferentiationMode = .automatic, of f: F
) -> Matrix<S> {
  valueWithJacobian(at: x, mode: mode, of: f).jacobian
}

/// The value f(x) and the Jacobian of f at x, from the same evaluations.
///
/// ```swift
/// let (y, J) = valueWithJacobian(at: [2.0, 0.5], of: Polar())
/// ```
///
/// See also: `jacobian(at:mode:of:)`.
@inlinable
public func valueWithJacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], mode: DifferentiationMode = .automatic, of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  _valueWithJacobian(at: x, mode: mode, of: f) { _forwardJacobian(at: x, of: f) }
}

/// The value and Jacobian of a `Sendable` function, which may use two threads when large.
///
/// ```swift
/// let (y, J) = valueWithJacobian(at: x, mode: .forward, of: model)
/// ```
@inlinable
public func valueWithJacobian<S: JacobianScalar, F: VectorFunction & Sendable>(
  at x: [S], mode: DifferentiationMode = .automatic, of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  _valueWithJacobian(at: x, mode: mode, of: f) { _forwardJacobian(at: x, of: f) }
}

/// `valueWithJacobian` for both kinds of function: `forward` is the forward
/// Jacobian on one thread, or on two for a `Sendable` function (an overload
/// of the public verb, since `Sendable` cannot be tested at run time).
@inlinable
func _valueWithJacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], mode: DifferentiationMode, of f: F, forward: () -> (value: [S], jacobian: Matrix<S>)
) -> (value: [S], jacobian: Matrix<S>) {
  switch _resolve(mode, x, f) {
  case .reverse: return _reverseJacobian(at: x, of: f)
  default: return forward()
  }
}

/// Resolves `.automatic` by the shape; the output count is found by one
/// plain evaluation only when needed.
@inlinable
func _resolve<S: JacobianScalar, F: VectorFunction>(
  _ mode: DifferentiationMode, _ x: [S], _ f: F
) -> DifferentiationMode {
  if mode != .automatic { return mode }
  return mode.resolved(inputs: x.count, outputs: f(x).count)
}

/// The Jacobian by forward mode of a function written as a closure over
/// `Dual` numbers (one column per evaluation).
///
/// ```swift
/// let J = jacobian(at: [1.0, 2.0]) { x in [x[0] * x[1], sin(x[0])] }
/// ```
///
/// For a function written once generically, `jacobian(at:mode:of:)` with a
/// `VectorFunction` is faster (8 columns per evaluation) and offers reverse mode.
@inlinable
public func jacobian<S: DifferentiableScalar>(
  at x: [S], of f: ([Dual<S>]) throws -> [Dual<S>]
) rethrows -> Matrix<S> {
  let n = x.count
  var inputs = x.map { Dual($0) }
  var columns = [[S]]()
  columns.reserveCapacity(n)
  var m = -1
  for j in 0..<n {
    inputs[j].tangent = 1
    let y = try f(inputs)
    inputs[j].tangent = 0
    if m >= 0 && y.count != m { _outputCountChanged("jacobian", m, y.count) }
    m = y.count
    columns.append(y.map(\.tangent))
  }
  if n == 0 { m = try f([]).count }
  var elements = [S](repeating: 0, count: m * n)
  for j in 0..<n { for i in 0..<m { elements[i * n + j] = columns[j][i] } }
  return Matrix(rows: m, columns: n, elements: elements)
}
