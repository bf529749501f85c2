import Leibniz
import LeibnizTesting
import Testing
import _LeibnizTestSupport

@Suite("LeibnizTesting under Swift Testing")
struct ExpectDerivativesTests {
  @Test func passingChecksRecordNothing() {
    let x = [1.2, 0.9]
    let report = expectGradientAgrees(Rosenbrock2.gradient(x), at: x, of: Rosenbrock2())
    #expect(report.agrees)
    expectJacobianAgrees(Matrix(FourToFour.jacobian([0.3, -0.8, 1.1, 0.45])),
                         at: [0.3, -0.8, 1.1, 0.45], of: FourToFour())
  }

  @Test func aFailingCheckRecordsOneIssueWithTheTableAtTheCaller() {
    let x = [1.2, 0.9]
    var wrong = Rosenbrock2.gradient(x)
    wrong[0] += 0.5
    let line = #line + 2
    withKnownIssue {
      expectGradientAgrees(wrong, at: x, of: Rosenbrock2(), "hand gradient")
    } matching: { issue in
      let text = issue.comments.map(\.rawValue).joined()
      return issue.sourceLocation?.line == line
        && issue.sourceLocation?.fileID.hasSuffix("ExpectDerivativesTests.swift") == true
        && text.contains("hand gradient")
        && text.contains("claimed gradient of Rosenbrock2 at [1.2, 0.9]: the derivatives disagree")
        && text.contains("claimed – forward")
        && text.contains("worst entry (0, 0)")
    }
  }
}
