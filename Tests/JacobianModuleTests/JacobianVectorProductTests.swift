import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("J·v (JacobianModule)")
struct JacobianVectorProductTests {
  @Test(arguments: CatalogShape.allCases)
  func jvpEqualsJacobianTimesVector(_ shape: CatalogShape) {
    shape.with { f, hand in
      let x = shape.point
      let v = x.indices.map { 0.5 - 0.3 * Double($0) }
      let (y, Jv) = valueWithJVP(at: x, direction: v, of: f)
      #expect(y == f(x))
      #expect(vectorsAgree(Jv, Matrix(hand) * v, tolerance: Tolerance.roundoff))
      #expect(jvp(at: x, direction: v, of: f) == Jv)
    }
  }

  @Test func unitDirectionGivesAColumn() {
    let x = [0.6, -1.3]
    let J = Matrix(TwoToFive.jacobian(x))
    #expect(vectorsAgree(jvp(at: x, direction: [0, 1], of: TwoToFive()), J.column(1), tolerance: Tolerance.roundoff))
  }

  @Test func closureForm() {
    let Jv = jvp(at: [1.0, 2.0], direction: [1, 0]) { x in [x[0] * x[1], exp(x[0])] }
    #expect(Jv == [2, exp(1.0)])
    let (y, Jv2) = valueWithJVP(at: [1.0, 2.0], direction: [0, 1]) { x in [x[0] * x[1]] }
    #expect(y == [2] && Jv2 == [1])
  }

  @Test func floatPoint() {
    let Jv = jvp(at: [Float(0.6), -1.3], direction: [1, 1], of: TwoToFive())
    let expected = Matrix(TwoToFive.jacobian([0.6, -1.3])) * [1, 1]
    #expect(vectorsAgree(Jv.map { Double($0) }, expected, tolerance: Tolerance.floatRoundoff))
  }

  @Test func mismatchedDirectionStops() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jvp(at: [1.0, 2.0], direction: [1.0, 0, 0], of: TwoToFive())
    }
    #expect(standardError(result).contains("jvp: the point has 2 coordinates but the direction has 3"))
  }
}
