import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Forward Jacobian (JacobianModule)")
struct ForwardJacobianTests {
  @Test func noInputs() {
    struct Constant: VectorFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { [1, 2] }
    }
    let J = jacobian(at: [Double](), mode: .forward, of: Constant())
    #expect(J.rows == 2 && J.columns == 0)
  }

  @Test(arguments: CatalogShape.allCases)
  func forwardEqualsHandDerivedJacobian(_ shape: CatalogShape) {
    shape.with { f, hand in
      let (y, J) = valueWithJacobian(at: shape.point, mode: .forward, of: f)
      #expect(y == f(shape.point), "value at \(shape)")
      #expect(matricesAgree(J, hand, tolerance: Tolerance.roundoff), "\(shape)\n\(J)")
    }
  }

  @Test(arguments: CatalogShape.allCases)
  func floatForwardEqualsHandDerivedJacobian(_ shape: CatalogShape) {
    shape.with { f, hand in
      let J = jacobian(at: shape.point.map { Float($0) }, mode: .forward, of: f)
      #expect(matricesAgree(J.map { Double($0) }, hand, tolerance: Tolerance.floatRoundoff), "\(shape)\n\(J)")
    }
  }

  /// Every chunk width and remainder (n = 1 … 19 covers widths 2, 4, 8 and
  /// partial last chunks) against one-column-per-pass `Dual` evaluation.
  @Test(arguments: 1...19)
  func chunkingMatchesOneColumnPerPass(_ n: Int) {
    let f = DenseTanh(n: n)
    let x = DenseTanh.point(n)
    let chunked = jacobian(at: x, mode: .forward, of: f)
    let byColumn = jacobian(at: x) { (d: [Dual<Double>]) in f(d) }
    #expect(chunked.rows == n && chunked.columns == n)
    #expect(matricesAgree(chunked, byColumn.rowArrays, tolerance: Tolerance.roundoff))
    #expect(matricesAgree(chunked, f.jacobian(x), tolerance: Tolerance.roundoff))
  }

  /// A large Jacobian may be shared between two threads; the result must be
  /// the same, bit for bit, as on one thread.
  @Test func twoThreadsGiveTheSameMatrixAsOne() {
    let f = DenseTanh(n: 96)
    let x = DenseTanh.point(96)
    let parallel = jacobian(at: x, mode: .forward, of: f)
    let single = jacobian(at: x, mode: .forward, of: SingleThreaded(f: f))
    #expect(parallel == single)
    #expect(matricesAgree(parallel, f.jacobian(x), tolerance: Tolerance.roundoff))
  }

  @Test func concurrentCallersDoNotInterfere() async {
    let f = DenseTanh(n: 80)
    let x = DenseTanh.point(80)
    let expected = jacobian(at: x, mode: .forward, of: SingleThreaded(f: f))
    await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<6 { group.addTask { jacobian(at: x, mode: .forward, of: f) == expected } }
      for await same in group { #expect(same) }
    }
  }

  @Test func outputLengthThatChangesStops() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      struct Unstable: VectorFunction {
        func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
          // Two outputs in the pass that seeds x₀ (the first chunk), one in the others.
          x.count > 0 && (x[0] as? MultiDual<SIMD8<Double>>)?.partials[0] == 0 ? [x[0]] : [x[0], x[0]]
        }
      }
      _ = jacobian(at: (0..<12).map { Double($0) }, mode: .forward, of: Unstable())
    }
    #expect(standardError(result).contains("jacobian: the function returned 1 outputs in one evaluation and 2 in another"))
  }

  /// An infinite derivative in one column (`sqrt` at 0) leaves the other
  /// columns of the chunk exact, as in reverse mode.
  @Test func infiniteDerivativeStaysInItsColumn() {
    struct F: VectorFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { [x[0] + sqrt(x[1]), x[2] * 3] }
    }
    let x: [Double] = [1, 0] + Array(repeating: 0.5, count: 8)
    let forward = jacobian(at: x, mode: .forward, of: F())
    let reverse = jacobian(at: x, mode: .reverse, of: F())
    #expect(forward.row(0) == [1, .infinity] + Array(repeating: 0, count: 8))
    #expect(forward.row(1) == [0, 0, 3] + Array(repeating: 0, count: 7))
    #expect(forward == reverse)
  }
}
