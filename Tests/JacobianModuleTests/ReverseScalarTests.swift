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

  // MARK: - Preaccumulation

  /// Keeps the description of each value it is given (for the slot it names).
  final class Descriptions: @unchecked Sendable {
    var items: [String] = []
  }

  struct UnaryChain: ScalarFunction {
    let seen: Descriptions
    func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
      let y = exp(sin(x[0] * 3)) - 1      // unary steps on slot 0
      let z = y * y + y                  // one slot twice
      seen.items = [String(describing: y), String(describing: z)]
      return z * x[1]
    }
  }

  @Test func unaryStepsAndOneSlotTwiceStayOnTheOperandsSlot() {
    let seen = Descriptions()
    let x = [0.4, 1.7]
    let g = gradient(at: x, of: UnaryChain(seen: seen))
    // Both intermediate values are multiples of input 0 (no entry of their own).
    #expect(seen.items.count == 2 && seen.items.allSatisfy { $0.hasSuffix("·slot 0)") }, "\(seen.items)")
    // By hand: y = e^{sin 3x₀} − 1, y' = 3cos(3x₀)·e^{sin 3x₀}, z = y² + y, f = z·x₁.
    let e = Double.exp(Double.sin(3 * x[0]))
    let y = e - 1, dy = 3 * Double.cos(3 * x[0]) * e
    #expect(isClose(g[0], (2 * y + 1) * dy * x[1], tolerance: Tolerance.roundoff))
    #expect(isClose(g[1], y * y + y, tolerance: Tolerance.roundoff))
    let forward = jacobian(at: x, mode: .forward, of: _ScalarAsVector(UnaryChain(seen: Descriptions())))
    for j in 0..<2 { #expect(isClose(forward[0, j], g[j], tolerance: Tolerance.roundoff)) }
  }

  struct SqrtOfZeroCombination: ScalarFunction {
    func callAsFunction<T: Differentiable>(_ x: [T]) -> T { sqrt(x[0] - x[0]) + x[1] }
  }

  @Test func aZeroFactorStaysZeroThroughAnInfinitePartial() {
    // x₀ − x₀ is slot 0 with factor 0; √ at 0 has partial +∞: the product is
    // 0, not NaN, as in forward mode.
    let reverse = gradient(at: [2.0, 5.0], of: SqrtOfZeroCombination())
    #expect(reverse == [0, 1])
    let forward = jacobian(at: [2.0, 5.0], mode: .forward, of: _ScalarAsVector(SqrtOfZeroCombination()))
    #expect(forward[0, 0] == 0 && forward[0, 1] == 1)
  }

  struct Chain: ScalarFunction {   // a long chain of unary steps, then a sum of two slots
    func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
      var y = x[0]
      for _ in 0..<50 { y = sin(y) * 1.01 + 0.5 }
      return y * x[1] + log(x[1])
    }
  }

  @Test func aLongUnaryChainMatchesTheHandDerivative() {
    let x = [0.3, 2.0]
    var y = x[0], dy = 1.0
    for _ in 0..<50 {
      dy *= 1.01 * Double.cos(y)
      y = Double.sin(y) * 1.01 + 0.5
    }
    let g = gradient(at: x, of: Chain())
    #expect(isClose(g[0], dy * x[1], tolerance: Tolerance.roundoff))
    #expect(isClose(g[1], y + 1 / x[1], tolerance: Tolerance.roundoff))
    let J = jacobian(at: x, mode: .reverse, of: _ScalarAsVector(Chain()))
    #expect(isClose(J[1, 0], 2 * g[0], tolerance: Tolerance.roundoff))
  }
}
