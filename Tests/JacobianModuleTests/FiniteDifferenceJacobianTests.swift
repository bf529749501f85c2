import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Finite-difference Jacobian (JacobianModule)")
struct FiniteDifferenceJacobianTests {
  @Test(arguments: CatalogShape.allCases)
  func extrapolatedAgreesWithHandDerivedJacobian(_ shape: CatalogShape) {
    shape.with { f, hand in
      let J = finiteDifferenceJacobian(at: shape.point, of: f)
      #expect(matricesAgree(J, hand, tolerance: Tolerance.finiteDifference), "\(shape)\n\(J)")
    }
  }

  @Test(arguments: CatalogShape.allCases)
  func plainCentralDifferencesAreLessAccurate(_ shape: CatalogShape) {
    shape.with { f, hand in
      let J = finiteDifferenceJacobian(at: shape.point, extrapolated: false, of: f)
      // O(h²) with h ≈ 6e-6: about 1e-9 truncation plus 1e-11 rounding.
      #expect(matricesAgree(J, hand, tolerance: 1e-6), "\(shape)\n\(J)")
    }
  }

  /// The step is per coordinate: a coordinate of magnitude 1e6 next to one of
  /// magnitude 1e-3 must both come out right.
  @Test func stepScalesWithEachCoordinate() {
    let J = finiteDifferenceJacobian(at: [1e6, 1e-3]) { x in [log(x[0]) * x[1] * x[1]] }
    #expect(isClose(J[0, 0], 1e-6 / 1e6, tolerance: 1e-12))
    #expect(isClose(J[0, 1], 2 * log(1e6) * 1e-3, tolerance: Tolerance.finiteDifference))
  }

  @Test func gradientOfScalarFunction() {
    let x = [1.2, 0.9]
    #expect(vectorsAgree(finiteDifferenceGradient(at: x, of: Rosenbrock2()), Rosenbrock2.gradient(x),
                         tolerance: Tolerance.finiteDifference))
    let xf: [Float] = [1.2, 0.9]
    // Evaluated in Double whatever the point's type.
    #expect(vectorsAgree(finiteDifferenceGradient(at: xf, of: Rosenbrock2()),
                         Rosenbrock2.gradient(xf.map { Double($0) }), tolerance: Tolerance.finiteDifference))
  }
}
