#if canImport(XCTest)
import Leibniz
import XCTest

// MARK: - XCTest
//
// The same checks as the Swift Testing helpers, failing with `XCTFail` at the
// caller's file and line with the check's table as the message.

/// Asserts that forward mode, reverse mode and finite differences agree on the
/// Jacobian of f at x.
///
/// ```swift
/// final class ModelTests: XCTestCase {
///   func testDerivatives() { XCTAssertDerivativesAgree(at: [2.0, 0.5], of: Polar()) }
/// }
/// ```
@discardableResult
public func XCTAssertDerivativesAgree<S: JacobianScalar, F: VectorFunction>(
  at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F,
  _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) -> DerivativeCheckReport {
  let report = checkDerivatives(at: x, tolerances: tolerances, of: f)
  _fail(report, "derivatives of \(F.self) at \(x)", message(), file, line)
  return report
}

/// Asserts that the modes agree on the gradient of a scalar function at x.
///
/// ```swift
/// XCTAssertDerivativesAgree(at: [1.5, 2.0], of: Rosenbrock())
/// ```
@discardableResult
public func XCTAssertDerivativesAgree<S: JacobianScalar, F: ScalarFunction>(
  at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F,
  _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) -> DerivativeCheckReport {
  let report = checkDerivatives(at: x, tolerances: tolerances, of: f)
  _fail(report, "derivatives of \(F.self) at \(x)", message(), file, line)
  return report
}

/// Asserts that a gradient computed another way agrees with Leibniz's forward
/// mode and finite differences.
///
/// ```swift
/// XCTAssertGradientAgrees(handGradient(x), at: x, of: Rosenbrock())
/// ```
@discardableResult
public func XCTAssertGradientAgrees<S: JacobianScalar, F: ScalarFunction>(
  _ claimed: [Double], at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self),
  of f: F, _ message: @autoclosure () -> String = "",
  file: StaticString = #filePath, line: UInt = #line
) -> DerivativeCheckReport {
  let report = checkGradient(claimed, at: x, tolerances: tolerances, of: f)
  _fail(report, "claimed gradient of \(F.self) at \(x)", message(), file, line)
  return report
}

/// Asserts that a Jacobian computed another way agrees with Leibniz's forward
/// mode and finite differences.
///
/// ```swift
/// XCTAssertJacobianAgrees(handJacobian, at: [2.0, 0.5], of: Polar())
/// ```
@discardableResult
public func XCTAssertJacobianAgrees<S: JacobianScalar, F: VectorFunction>(
  _ claimed: Matrix<Double>, at x: [S], tolerances: DerivativeCheckTolerances = .init(for: S.self),
  of f: F, _ message: @autoclosure () -> String = "",
  file: StaticString = #filePath, line: UInt = #line
) -> DerivativeCheckReport {
  let report = checkJacobian(claimed, at: x, tolerances: tolerances, of: f)
  _fail(report, "claimed Jacobian of \(F.self) at \(x)", message(), file, line)
  return report
}

func _fail(
  _ report: DerivativeCheckReport, _ what: String, _ message: String,
  _ file: StaticString, _ line: UInt
) {
  guard !report.agrees else { return }
  let prefix = message.isEmpty ? "" : message + "\n"
  XCTFail(prefix + "\(what): the derivatives disagree\n\(report)", file: file, line: line)
}
#endif
