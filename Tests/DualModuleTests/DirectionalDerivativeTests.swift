import Testing
import DifferentiableModule
import DualModule
import _LeibnizTestSupport

@Suite("directionalDerivative(at:along:of:)")
struct DirectionalDerivativeTests {
  @Test func productAlongAxesAndDiagonal() {
    #expect(directionalDerivative(at: [1.0, 2.0], along: [1, 0]) { x in x[0] * x[1] } == 2)
    let (value, d) = valueWithDirectionalDerivative(at: [1.0, 2.0], along: [1, 1]) { x in x[0] * x[1] }
    #expect(value == 2)
    #expect(d == 3)
  }

  @Test func matchesGradientDotDirection() {
    // f = x·sin(y) + exp(z): ∇f = (sin y, x cos y, e^z).
    let p = [0.3, -1.1, 0.4], v = [0.5, -2.0, 1.5]
    let d = directionalDerivative(at: p, along: v) { x in x[0] * sin(x[1]) + exp(x[2]) }
    let expected = sin(p[1]) * v[0] + p[0] * cos(p[1]) * v[1] + exp(p[2]) * v[2]
    #expect(isClose(d, expected, tolerance: Tolerance.roundoff))
  }

  @Test func emptyPointGivesZero() {
    #expect(directionalDerivative(at: [Double](), along: []) { _ in Dual(1.0) } == 0)
  }

  @Test func mismatchedLengthsStopWithAMessage() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = directionalDerivative(at: [1.0, 2.0], along: [1.0]) { x in x[0] }
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("directionalDerivative: the point has 2 coordinates but the direction has 1"))
  }
}
