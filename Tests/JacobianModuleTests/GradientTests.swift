import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("gradient(at:of:) (JacobianModule)")
struct GradientTests {
  @Test func rosenbrockByHand() {
    for x in [[1.0, 1.0], [1.2, 0.9], [-0.5, 2.0]] {
      let (y, g) = valueWithGradient(at: x, of: Rosenbrock2())
      #expect(y == Rosenbrock2()(x))
      #expect(vectorsAgree(g, Rosenbrock2.gradient(x), tolerance: Tolerance.roundoff))
      #expect(gradient(at: x, of: Rosenbrock2()) == g)
    }
  }

  @Test func sineChainByHandAndFiniteDifferences() {
    let x = [0.2, -0.4, 0.7, 1.1, -0.3]
    let g = gradient(at: x, of: SineChain())
    #expect(vectorsAgree(g, SineChain.gradient(x), tolerance: Tolerance.roundoff))
    #expect(vectorsAgree(g, finiteDifferenceGradient(at: x, of: SineChain()), tolerance: Tolerance.finiteDifference))
  }

  @Test func floatPoint() {
    let g = gradient(at: [Float(1.2), 0.9], of: Rosenbrock2())
    #expect(vectorsAgree(g.map { Double($0) }, Rosenbrock2.gradient([Double(Float(1.2)), Double(Float(0.9))]),
                         tolerance: Tolerance.floatRoundoff))
  }

  @Test func constantFunctionHasZeroGradient() {
    struct Constant: ScalarFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> T { 7 }
    }
    #expect(valueWithGradient(at: [1.0, 2.0], of: Constant()) == (7, [0, 0]))
  }
}
