import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Reverse Jacobian (JacobianModule)")
struct ReverseJacobianTests {
  @Test func noInputsAndNoOutputs() {
    struct Nothing: VectorFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { [] }
    }
    let J = jacobian(at: [1.0, 2.0], mode: .reverse, of: Nothing())
    #expect(J.rows == 0 && J.columns == 2)
  }

  @Test func anOutputThatIsAnInput() {
    struct Identityish: VectorFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { [x[1], x[0] * x[1]] }
    }
    #expect(jacobian(at: [3.0, 4.0], mode: .reverse, of: Identityish()) == Matrix([[0.0, 1], [4, 3]]))
  }

  /// More than 8 outputs: the sweep carries rows in groups of lanes.
  @Test func manyOutputRows() {
    let f = DenseTanh(n: 21)
    let x = DenseTanh.point(21)
    #expect(matricesAgree(jacobian(at: x, mode: .reverse, of: f), f.jacobian(x), tolerance: Tolerance.roundoff))
  }
}
