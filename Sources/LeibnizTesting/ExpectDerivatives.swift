#if canImport(Testing)
import Leibniz
import Testing

// MARK: - Swift Testing
//
// Each helper runs a check from `JacobianModule` and, if it disagrees, records
// one `Issue` at the caller's source location whose comment is the check's
// table, so a failing test shows which entry disagrees and by how much.

/// Expects forward mode, reverse mode and finite differences to agree on the
/// Jacobian of f at x; records an issue with the check table if they do not.
///
/// ```swift
/// import Testing
/// import LeibnizTesting
///
/// @Test func polarDerivatives() {
///   expectDerivativesAgree(at: [2.0, 0.5], of: Polar())
/// }
/// ```
///
/// Returns the report (discardable) for further expectations.
@discardableResult
public func expectDerivativesAgree<S: JacobianScalar, F: VectorFunction>(
  at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F,
  _ comment: Comment? = nil,
  fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) -> DerivativeCheckReport {
  let report = checkDerivatives(at: x, tolerances: tolerances, of: f)
  _record(report, "derivatives of \(F.self) at \(x)", comment, fileID, filePath, line, column)
  return report
}

/// Expects forward mode, reverse mode and finite differences to agree on the
/// gradient of a scalar function at x.
///
/// ```swift
/// @Test func lossGradient() {
///   expectDerivativesAgree(at: [1.5, 2.0], of: Rosenbrock())
/// }
/// ```
@discardableResult
public func expectDerivativesAgree<S: JacobianScalar, F: ScalarFunction>(
  at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F,
  _ comment: Comment? = nil,
  fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) -> DerivativeCheckReport {
  let report = checkDerivatives(at: x, tolerances: tolerances, of: f)
  _record(report, "derivatives of \(F.self) at \(x)", comment, fileID, filePath, line, column)
  return report
}

/// Expects a gradient computed another way (by hand, or by Swift's
/// `_Differentiation`) to agree with Leibniz's forward mode and finite differences.
///
/// ```swift
/// @Test func handWrittenGradient() {
///   let x = [1.5, 2.0]
///   expectGradientAgrees(myGradient(x), at: x, of: Rosenbrock())
/// }
/// ```
@discardableResult
public func expectGradientAgrees<S: JacobianScalar, F: ScalarFunction>(
  _ claimed: [Double], at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self),
  of f: F, _ comment: Comment? = nil,
  fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) -> DerivativeCheckReport {
  let report = checkGradient(claimed, at: x, tolerances: tolerances, of: f)
  _record(report, "claimed gradient of \(F.self) at \(x)", comment, fileID, filePath, line, column)
  return report
}

/// Expects a Jacobian computed another way to agree with Leibniz's forward mode
/// and finite differences.
///
/// ```swift
/// @Test func handWrittenJacobian() {
///   expectJacobianAgrees(Matrix([[cos(0.5), -2 * sin(0.5)], [sin(0.5), 2 * cos(0.5)]]),
///                        at: [2.0, 0.5], of: Polar())
/// }
/// ```
@discardableResult
public func expectJacobianAgrees<S: JacobianScalar, F: VectorFunction>(
  _ claimed: Matrix<Double>, at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self),
  of f: F, _ comment: Comment? = nil,
  fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) -> DerivativeCheckReport {
  let report = checkJacobian(claimed, at: x, tolerances: tolerances, of: f)
  _record(report, "claimed Jacobian of \(F.self) at \(x)", comment, fileID, filePath, line, column)
  return report
}

func _record(
  _ report: DerivativeCheckReport, _ what: String, _ comment: Comment?,
  _ fileID: String, _ filePath: String, _ line: Int, _ column: Int
) {
  guard !report.agrees else { return }
  var text = "\(what): the derivatives disagree\n\(report)"
  if let comment { text = "\(comment.rawValue)\n" + text }
  Issue.record(
    Comment(rawValue: text),
    sourceLocation: SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column))
}
#endif
