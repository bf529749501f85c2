import DifferentiableModule
import DualModule

/// Computes the Jacobian of f three ways — forward mode, reverse mode and
/// Richardson-extrapolated finite differences — and compares every pair.
///
/// ```swift
/// let report = checkDerivatives(at: [2.0, 0.5], of: Polar())
/// print(report)
/// // derivative check, ℝ² → ℝ², 2×2 Jacobian: agree
/// // pair                              worst abs  at   …
/// assert(report.agrees)
/// ```
///
/// `tolerances` defaults to `.double` for a `Double` point and `.float` for a
/// `Float` one. f must be defined within about 1e-3·max(|xⱼ|, 0.01) of the point
/// (the finite-difference steps).
///
/// See also: `DerivativeCheckReport`, `checkJacobian(_:at:of:)`,
/// `checkGradient(_:at:of:)`, and `LeibnizTesting` for one-line test assertions.
@inlinable
public func checkDerivatives<S: JacobianScalar, F: VectorFunction>(
  at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F
) -> DerivativeCheckReport {
  let (value, forward) = _forwardJacobian(at: x, of: f)
  let reverse = _reverseJacobian(at: x, of: f).jacobian
  let fd = finiteDifferenceJacobian(at: x, of: f)
  for rows in [reverse.rows, fd.rows] where rows != forward.rows {
    _outputCountChanged("checkDerivatives", forward.rows, rows)
  }
  return DerivativeCheckReport(
    methods: ["forward", "reverse", "finite differences"],
    jacobians: [forward.map { Double($0) }, reverse.map { Double($0) }, fd],
    approximate: [false, false, true],
    point: x.map { Double($0) }, value: value.map { Double($0) }, tolerances: tolerances)
}

/// Computes the gradient of a scalar function three ways — forward mode,
/// reverse mode and finite differences — and compares every pair (the
/// gradient is the 1×n Jacobian).
///
/// ```swift
/// let report = checkDerivatives(at: [1.5, 2.0], of: Rosenbrock())
/// print(report)
/// ```
@inlinable
public func checkDerivatives<S: JacobianScalar, F: ScalarFunction>(
  at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F
) -> DerivativeCheckReport {
  checkDerivatives(at: x, tolerances: tolerances, of: ScalarFunctionAsVector(f))
}

/// Checks a Jacobian computed another way (by hand, by another library)
/// against Leibniz's forward mode and finite differences.
///
/// ```swift
/// let mine = Matrix([[cos(0.5), -2 * sin(0.5)], [sin(0.5), 2 * cos(0.5)]])
/// let report = checkJacobian(mine, at: [2.0, 0.5], of: Polar())
/// ```
///
/// Stops with a message if `claimed` is not m×n for f: ℝⁿ → ℝᵐ.
@inlinable
public func checkJacobian<S: JacobianScalar, F: VectorFunction>(
  _ claimed: Matrix<Double>, at x: [S],
  tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F
) -> DerivativeCheckReport {
  let (value, forward) = _forwardJacobian(at: x, of: f)
  if claimed.rows != forward.rows || claimed.columns != forward.columns {
    _claimedShapeMismatch("checkJacobian", claimed.rows, claimed.columns, forward.rows, forward.columns)
  }
  let fd = finiteDifferenceJacobian(at: x, of: f)
  return DerivativeCheckReport(
    methods: ["claimed", "forward", "finite differences"],
    jacobians: [claimed, forward.map { Double($0) }, fd],
    approximate: [false, false, true],
    point: x.map { Double($0) }, value: value.map { Double($0) }, tolerances: tolerances)
}

/// Checks a gradient computed another way — by hand, or by Swift's own
/// `_Differentiation` (`gradient(at:of:)` on a `@differentiable` function) —
/// against Leibniz's forward mode and finite differences.
///
/// ```swift
/// let handWritten = [2 * x[0] * x[1], x[0] * x[0]]
/// let report = checkGradient(handWritten, at: x, of: Loss())
/// assert(report.agrees, "\(report)")
/// ```
///
/// Stops with a message if `claimed` and `x` differ in length.
@inlinable
public func checkGradient<S: JacobianScalar, F: ScalarFunction>(
  _ claimed: [Double], at x: [S],
  tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F
) -> DerivativeCheckReport {
  if claimed.count != x.count { _claimedShapeMismatch("checkGradient", 1, claimed.count, 1, x.count) }
  return checkJacobian(
    Matrix(rows: 1, columns: claimed.count, elements: claimed), at: x,
    tolerances: tolerances, of: ScalarFunctionAsVector(f))
}

@inline(never) @usableFromInline
func _claimedShapeMismatch(_ verb: String, _ r: Int, _ c: Int, _ m: Int, _ n: Int) -> Never {
  fatalError("\(verb): the claimed derivative is \(r)×\(c) but the function's Jacobian is \(m)×\(n)")
}
