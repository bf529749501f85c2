import Leibniz
import LeibnizTesting
import XCTest
import _LeibnizTestSupport

/// LeibnizTesting's XCTest assertions, used as a client would (one line each).
/// (corelibs XCTest has no `XCTExpectFailure`, so the failing path is covered by
/// the Swift Testing suite, which shares the same checks and message.)
final class XCTAssertDerivativesTests: XCTestCase {
  func testAgreeingDerivativesPass() {
    let report = XCTAssertDerivativesAgree(at: [0.6, -1.3], of: TwoToFive())
    XCTAssertTrue(report.agrees)
    XCTAssertEqual(report.methods, ["forward", "reverse", "finite differences"])
    XCTAssertDerivativesAgree(at: [1.2, 0.9], of: Rosenbrock2())
  }

  func testClaimedDerivativesPass() {
    let x = [1.2, 0.9]
    XCTAssertGradientAgrees(Rosenbrock2.gradient(x), at: x, of: Rosenbrock2())
    XCTAssertJacobianAgrees(Matrix(TwoToFive.jacobian([0.6, -1.3])), at: [0.6, -1.3], of: TwoToFive())
    var wrong = Rosenbrock2.gradient(x)
    wrong[0] += 1
    XCTAssertFalse(checkGradient(wrong, at: x, of: Rosenbrock2()).agrees)
  }
}
