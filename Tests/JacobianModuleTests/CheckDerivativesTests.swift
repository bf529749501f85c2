import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Checking claimed derivatives (JacobianModule)")
struct CheckClaimedDerivativesTests {
  @Test(arguments: CatalogShape.allCases)
  func handDerivedJacobiansPass(_ shape: CatalogShape) {
    shape.with { f, hand in
      let report = checkJacobian(Matrix(hand), at: shape.point, of: f)
      #expect(report.agrees, "\(shape)\n\(report)")
      #expect(report.methods == ["claimed", "forward", "finite differences"])
    }
  }

  @Test func aWrongEntryIsFoundAndLocated() throws {
    var wrong = Matrix(TwoToFive.jacobian([0.6, -1.3]))
    wrong[3, 1] += 1e-4
    let report = checkJacobian(wrong, at: [0.6, -1.3], of: TwoToFive())
    #expect(!report.agrees)
    let claimedVsForward = report.comparisons[0]
    #expect(claimedVsForward.failures == 1)
    let worst = try #require(claimedVsForward.worstAbsolute)
    #expect(worst.row == 3 && worst.column == 1)
    #expect(isClose(worst.absolute, 1e-4, tolerance: 1e-9))
    #expect(report.comparisons[2].agrees)        // forward – finite differences
  }

  @Test func handWrittenGradient() {
    let x = [1.2, 0.9]
    #expect(checkGradient(Rosenbrock2.gradient(x), at: x, of: Rosenbrock2()).agrees)
    var wrong = Rosenbrock2.gradient(x)
    wrong[1] *= 1.001
    #expect(!checkGradient(wrong, at: x, of: Rosenbrock2()).agrees)
  }

  @Test func floatPointUsesFloatTolerances() {
    let x: [Float] = [0.2, -0.4, 0.7, 1.1, -0.3]
    let report = checkGradient(SineChain.gradient(x.map { Double($0) }), at: x, of: SineChain())
    #expect(report.tolerances == .float)
    #expect(report.agrees, "\(report)")
  }

  @Test func claimedGradientOfWrongLengthStops() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = checkGradient([1.0, 2, 3], at: [1.0, 2], of: Rosenbrock2())
    }
    #expect(standardError(result).contains("checkGradient: the claimed derivative is 1×3 but the function's Jacobian is 1×2"))
  }
}

@Suite("checkDerivatives(at:of:) (JacobianModule)")
struct CheckDerivativesTests {
  @Test(arguments: CatalogShape.allCases)
  func catalogAgreesThreeWays(_ shape: CatalogShape) {
    shape.with { f, hand in
      let report = checkDerivatives(at: shape.point, of: f)
      #expect(report.agrees, "\(shape)\n\(report)")
      #expect(report.methods == ["forward", "reverse", "finite differences"])
      #expect(matricesAgree(report.jacobian("forward")!, hand, tolerance: Tolerance.roundoff))
      #expect(report.value == f(shape.point))
    }
  }

  @Test func scalarFunction() {
    let report = checkDerivatives(at: [0.2, -0.4, 0.7, 1.1, -0.3], of: SineChain())
    #expect(report.agrees, "\(report)")
    #expect(report.jacobians[1].rows == 1 && report.jacobians[1].columns == 5)
  }

  @Test func floatPoint() {
    let report = checkDerivatives(at: [Float(0.6), -1.3], of: TwoToFive())
    #expect(report.tolerances == .float)
    #expect(report.agrees, "\(report)")
  }

  @Test func callerTolerances() {
    // Plain finite differences are not good to 1e-14: a tight tolerance must fail.
    let tight = DerivativeCheckTolerances(
      betweenModes: .init(absolute: 1e-12, relative: 1e-10),
      againstFiniteDifferences: .init(absolute: 0, relative: 1e-15))
    let report = checkDerivatives(at: [0.6, -1.3], tolerances: tight, of: TwoToFive())
    #expect(!report.agrees)
    #expect(report.comparisons[0].agrees)     // forward – reverse still agree
    #expect(!report.comparisons[1].agrees)
  }
}
