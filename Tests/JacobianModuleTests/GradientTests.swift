import Leibniz
import Testing
import _LeibnizTestSupport
@testable import JacobianModule

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

  /// A thread keeps the memory of its largest recording for the next one,
  /// but not that of a huge one (keeping it, a gradient of 10 million
  /// operations would leave 310 MB resident). Checked on the thread's
  /// kept block: resident memory would also count the tests that run in
  /// parallel.
  @Test func aHugeRecordingIsNotKept() {
    // Each step adds an input to the running sum, a value of another slot:
    // one tape entry per step (the scaling writes none).
    struct Long: ScalarFunction {
      let count: Int
      func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
        var s = x[0]
        for k in 0..<count { s = s * 1.0000001 + x[k % 4] }
        return s
      }
    }
    func keptBytes() -> Int {
      guard let raw = TapeMemory.key.value else { return 0 }
      return raw.assumingMemoryBound(to: TapeMemory.Block.self).pointee.bytes
    }
    let x = [1.0, 2.0, 3.0, 4.0]
    _ = gradient(at: x, of: Long(count: 200_000))
    #expect(keptBytes() >= 100_000 * 24)  // a usual recording is kept
    let g = gradient(at: x, of: Long(count: 2_000_000))  // ≈ 56 MB of tape
    #expect(keptBytes() <= TapeMemory.keptBytes)
    // ∂s/∂xⱼ by the same recurrence on plain numbers.
    var expected = [1.0, 0, 0, 0]
    for k in 0..<2_000_000 {
      for j in 0..<4 { expected[j] *= 1.0000001 }
      expected[k % 4] += 1
    }
    for j in 0..<4 { #expect(isClose(g[j], expected[j], tolerance: 1e-9), "∂s/∂x[\(j)]") }
  }

}
