import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("vᵀ·J (JacobianModule)")
struct VectorJacobianProductTests {
  @Test(arguments: CatalogShape.allCases)
  func vjpEqualsCotangentTimesJacobian(_ shape: CatalogShape) {
    shape.with { f, hand in
      let x = shape.point
      let u = hand.indices.map { 0.25 + 0.4 * Double($0) }
      let (y, uJ) = valueWithVJP(at: x, cotangent: u, of: f)
      #expect(vectorsAgree(y, f(x), tolerance: 0))
      #expect(vectorsAgree(uJ, u * Matrix(hand), tolerance: Tolerance.roundoff))
      #expect(vjp(at: x, cotangent: u, of: f) == uJ)
    }
  }

  @Test func unitCotangentGivesARow() {
    let x = [0.6, -1.3]
    #expect(vectorsAgree(vjp(at: x, cotangent: [0, 0, 1, 0, 0], of: TwoToFive()),
                         Matrix(TwoToFive.jacobian(x)).row(2), tolerance: Tolerance.roundoff))
  }

  @Test func floatPoint() {
    let uJ = vjp(at: [Float(0.6), -1.3], cotangent: [1, 1, 1, 1, 1], of: TwoToFive())
    let expected = [1, 1, 1, 1, 1] * Matrix(TwoToFive.jacobian([0.6, -1.3]))
    #expect(vectorsAgree(uJ.map { Double($0) }, expected, tolerance: Tolerance.floatRoundoff))
  }

  @Test func mismatchedCotangentStops() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = vjp(at: [1.0, 2.0], cotangent: [1.0, 0], of: TwoToFive())
    }
    #expect(standardError(result).contains("vjp: the function has 5 outputs but the cotangent has 2 entries"))
  }
}
