import Testing
import Leibniz
import _LeibnizTestSupport

@Suite("ReverseScalar: the recording behind the reverse-mode verbs")
struct ReverseScalarTests {
  struct Mixed: VectorFunction {   // outputs that are an input, a constant, and an operation
    func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { [x[1], 3, x[0] * x[0]] }
  }

  @Test func inputsAndConstantsAsOutputs() {
    let J = jacobian(at: [1.5, -2.0], mode: .reverse, of: Mixed())
    #expect([[Double]](J) == [[0, 1], [0, 0], [3, 0]])
    #expect(jacobian(at: [1.5, -2.0], mode: .forward, of: Mixed()) == J)
  }

  struct SqrtAndIdentity: VectorFunction {
    func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { [sqrt(x[0]), x[1] * x[0] + x[1]] }
  }

  @Test func anInfinitePartialStaysInItsOwnRow() {
    // ∂√x/∂x = +∞ at 0 (the edge convention); row 1 must not become NaN
    // through a 0·∞ in a lane of the shared sweep: it is [x₁, x₀ + 1] = [2, 1].
    let reverse = jacobian(at: [0.0, 2.0], mode: .reverse, of: SqrtAndIdentity())
    let forward = jacobian(at: [0.0, 2.0], mode: .forward, of: SqrtAndIdentity())
    #expect(reverse[0, 0] == .infinity && forward[0, 0] == .infinity)
    #expect(reverse[0, 1] == 0)
    #expect(reverse[1, 0] == 2 && reverse[1, 1] == 1)
    #expect(forward[1, 0] == 2 && forward[1, 1] == 1)
  }

  struct SqrtOfPrevious: VectorFunction {   // √t uses the entry recorded just before it
    func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
      let t = x[0] - x[1]
      return [sqrt(t), t * 2]
    }
  }

  @Test func anInfinitePartialCarriedToTheNextEntryStaysInItsOwnRow() {
    // The sweep hands the contribution to the entry swept next (t) over in a
    // register; lanes with a zero adjoint must still add nothing there.
    let J = jacobian(at: [1.0, 1.0], mode: .reverse, of: SqrtOfPrevious())
    #expect(J[0, 0] == .infinity && J[0, 1] == -.infinity)
    #expect(J[1, 0] == 2 && J[1, 1] == -2)
    #expect(vjp(at: [1.0, 1.0], cotangent: [0, 1], of: SqrtOfPrevious()) == [2, -2])
  }

  struct LastInputFirst: ScalarFunction {   // the first operation's operand is the last input
    func callAsFunction<T: Differentiable>(_ x: [T]) -> T { x[2] * 3 + x[0] * x[0] + (x[1] - x[1]) }
  }

  @Test func carriedContributionsReachTheInputsAndRepeatedOperandsAddUp() {
    // x[2]·3 is recorded right after the inputs: its contribution to x[2] is
    // carried out of the sweep into the input; x₀·x₀ and x₁ − x₁ record one
    // operand with the partials summed (2x₀ and 0).
    let g = gradient(at: [1.5, -4.0, 7.0], of: LastInputFirst())
    #expect(g == [3.0, 0, 3])
    let J = jacobian(at: [1.5, -4.0, 7.0], mode: .reverse, of: _ScalarAsVector(LastInputFirst()))
    #expect([[Double]](J) == [[3.0, 0, 3], [6, 0, 6]])
  }

  struct _ScalarAsVector<F: ScalarFunction>: VectorFunction {
    let f: F
    init(_ f: F) { self.f = f }
    func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { [f(x), f(x) * 2] }
  }

  @Test func manyOutputsInSeveralGroupsOfEight() {
    // 20 outputs (three sweep groups), each depending on a different stretch.
    struct Twenty: VectorFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
        (0..<20).map { i in sin(x[i % 3] * T(Double(i + 1))) * x[(i + 1) % 3] }
      }
    }
    let x = [0.3, -0.7, 1.1]
    let reverse = jacobian(at: x, mode: .reverse, of: Twenty())
    let forward = jacobian(at: x, mode: .forward, of: Twenty())
    for i in 0..<20 {
      for j in 0..<3 {
        #expect(isClose(reverse[i, j], forward[i, j], tolerance: Tolerance.roundoff), "J[\(i), \(j)]")
      }
    }
  }

  @Test func recordingsAreIndependentAcrossThreads() async {
    let x = [0.3, -0.7, 1.1]
    let expected = jacobian(at: x, mode: .reverse, of: Mixed3())
    await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 {
        group.addTask { (0..<50).allSatisfy { _ in jacobian(at: x, mode: .reverse, of: Mixed3()) == expected } }
      }
      for await ok in group { #expect(ok) }
    }
  }

  struct Mixed3: VectorFunction {
    func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
      [x[0] * x[1] * x[2], exp(x[0]) - x[2], tanh(x[1] + x[2])]
    }
  }

  @Test func combiningValuesOfTwoRecordingsStops() async {
    // A reverse verb called inside a function being recorded, whose function
    // captures a value of the outer recording: combining the two is an error
    // (it would be perturbation confusion), not a silent wrong gradient.
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      final class Box: @unchecked Sendable { var value: Any? }
      struct Inner: ScalarFunction {
        let outer: Box
        func callAsFunction<T: Differentiable>(_ x: [T]) -> T { x[0] * (outer.value as! T) }
      }
      struct Outer: ScalarFunction {
        func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
          let box = Box()
          box.value = x[0]
          if T.self == ReverseScalar<Double>.self { _ = gradient(at: [1.0], of: Inner(outer: box)) }
          return x[0]
        }
      }
      _ = gradient(at: [2.0], of: Outer())
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("values from two different recordings were combined"))
  }
}
