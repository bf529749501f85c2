import Leibniz
import Testing
import _LeibnizTestSupport

/// The generic Rosenbrock sum: a tridiagonal Hessian.
struct RosenbrockSum: ScalarFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
    var s: T = 0
    for i in 0..<(x.count - 1) {
      let t = x[i + 1] - x[i] * x[i], u = 1 - x[i]
      s = s + 100 * t * t + u * u
    }
    return s
  }
}

/// Local terms of several shapes: products, a quotient, a sine of a sum, a
/// term linear in x[last] (no Hessian entry) and an unused input x[1].
struct MixedTerms: ScalarFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
    let n = x.count
    var s = x[0] * x[2] + sin(x[2] + x[3]) + x[3] / (1 + x[4] * x[4]) + 3 * x[n - 1]
    for i in stride(from: 5, to: n - 1, by: 2) { s = s + exp(x[i]) * x[i + 1] }
    return s
  }
}

/// A branch: x[0]·x[1] or x[0]·x[2] by the sign of x[0].
struct SwitchingScalar: ScalarFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { x[0] > 0 ? x[0] * x[1] : x[0] * x[2] + x[2] * x[2] }
}

@Suite("Sparse Hessians (JacobianModule)")
struct SparseHessianTests {
  func expectAgrees<F: ScalarFunction & Sendable>(_ f: F, at x: [Double], _ name: String) {
    let dense = hessian(at: x, of: f)
    let pattern = hessianSparsity(at: x, of: f)
    for i in 0..<dense.rows {
      for j in 0..<dense.columns where dense[i, j] != 0 {
        #expect(pattern.contains(row: i, column: j), "\(name): H[\(i), \(j)] = \(dense[i, j]) outside the pattern")
      }
    }
    let s = sparseHessian(at: x, of: f)
    #expect(matricesAgree(Matrix(s), dense.rowArrays, tolerance: Tolerance.roundoff), "\(name)")
    let sf = sparseHessian(at: x.map { Float($0) }, of: f)
    let df = hessian(at: x.map { Float($0) }, of: f)
    for i in 0..<df.rows {
      for j in 0..<df.columns {
        #expect(abs(sf[i, j] - df[i, j]) <= 1e-3 * max(1, abs(df[i, j])), "\(name) Float (\(i), \(j))")
      }
    }
  }

  @Test func catalogueAgreesWithDenseHessians() {
    expectAgrees(RosenbrockSum(), at: (0..<30).map { 0.5 + 0.03 * Double($0) }, "Rosenbrock")
    expectAgrees(MixedTerms(), at: (0..<12).map { 0.2 + 0.1 * Double($0) }, "mixed terms")
    expectAgrees(SwitchingScalar(), at: [0.5, 1.0, 2.0], "branch")
    // Pairs of inputs more than 64 apart.
    struct FarPairs: ScalarFunction, Sendable {
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
        var s: T = 0
        for i in 0..<(x.count - 100) { s = s + x[i] * x[i + 100] + sin(x[i] + x[i + 70]) }
        return s
      }
    }
    expectAgrees(FarPairs(), at: (0..<130).map { 0.01 * Double($0) }, "pairs far apart")
  }

  /// An arrowhead Hessian (x₀ interacts with every input): a distance-2
  /// colouring needs n colours, a star colouring 2 (3 with the diagonal's
  /// own terms it does not change).
  @Test func arrowheadNeedsFewColoursWithStarColouring() {
    struct Arrow: ScalarFunction {
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
        var s: T = 0
        for i in 1..<x.count { s = s + (x[0] - x[i]) * (x[0] - x[i]) * x[i] }
        return s
      }
    }
    let x = (0..<40).map { 0.1 + 0.05 * Double($0) }
    let plan = SparseHessianPlan(at: x, of: Arrow())
    #expect(plan.colorCount <= 3, "\(plan.colorCount) colours")
    #expect(matricesAgree(Matrix(plan.hessian(at: x)), hessian(at: x, of: Arrow()).rowArrays, tolerance: 1e-12))
  }

  /// Random symmetric patterns: the star colouring's sources recover every
  /// entry (checked against dense Hessians of random sums of products).
  @Test func randomSymmetricPatternsAreRecovered() {
    struct Pairs: ScalarFunction {
      let pairs: [(Int, Int)]
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
        var s: T = 0
        for (i, j) in pairs { s = s + sin(x[i] * x[j]) }
        return s
      }
    }
    var g = SeededRandom(seed: 5)
    for trial in 0..<20 {
      let n = 2 + Int(g.next() % 30)
      let f = Pairs(pairs: (0..<Int(g.next() % UInt64(3 * n))).map { _ in (Int(g.next() % UInt64(n)), Int(g.next() % UInt64(n))) })
      let x = (0..<n).map { 0.3 + 0.07 * Double($0) }
      #expect(matricesAgree(Matrix(sparseHessian(at: x, of: f)), hessian(at: x, of: f).rowArrays, tolerance: 1e-12), "trial \(trial)")
    }
  }

  @Test func patternsOfElementaryInteractions() {
    struct Product: ScalarFunction {
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { x[0] * x[1] + x[2] + x[3] }
    }
    struct Sine: ScalarFunction {
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { sin(x[0]) + x[1] }
    }
    let p = hessianSparsity(at: [1.0, 2, 3, 4], of: Product())
    #expect(p.nonzeros.map { [$0.row, $0.column] } == [[1, 0], [0, 1]])
    let q = hessianSparsity(at: [1.0, 2], of: Sine())
    #expect(q.nonzeros.map { [$0.row, $0.column] } == [[0, 0]])
  }

  @Test func rosenbrockPlanIsTridiagonalWithThreeColours() {
    let n = 2_000
    let x = (0..<n).map { 0.5 + 0.001 * Double($0 % 100) }
    let plan = SparseHessianPlan(at: x, of: RosenbrockSum())
    #expect(plan.colorCount == 3)
    #expect(plan.pattern.nonzeroCount == 3 * n - 2)
    let y = x.map { $0 * 1.1 }
    let H = plan.hessian(at: y)
    // Entries by hand: H[i, i] = 2 + 1200 x_i² − 400 x_{i+1} (+ 200 for i > 0), H[i, i+1] = −400 x_i.
    for i in [0, 1, 777, n - 2] {
      let diagonal = (i > 0 ? 200 : 0) + 2 + 1200 * y[i] * y[i] - 400 * y[i + 1]
      #expect(isClose(H[i, i], diagonal, tolerance: 1e-12) && isClose(H[i, i + 1], -400 * y[i], tolerance: 1e-12))
    }
    #expect(plan.detections == 1)
  }

  /// A long sum's first-order set grows by one index per term: detection
  /// stays linear in memory (a copy per term would take n²/2 indices, 800 MB
  /// at n = 20,000). Measured in a process of its own.
  @Test func detectingALongSumTakesMemoryProportionalToN() async {
    let result = await #expect(processExitsWith: .exitCode(ChildChecks.status),
                               observing: [\.standardErrorContent]) {
      var checks = ChildChecks()
      let n = 20_000
      let x = (0..<n).map { 0.5 + 0.001 * Double($0 % 100) }
      let before = residentBytes() ?? 0
      let pattern = hessianSparsity(at: x, of: RosenbrockSum())
      let peak = peakResidentBytes() ?? 0
      checks.expect(pattern.nonzeroCount == 3 * n - 2, "\(pattern.nonzeroCount) non-zeros")
      checks.expect(underAddressSanitizer || peak - before < 64 << 20, "peak resident memory \(peak - before) bytes above the start")
      checks.end()
    }
    #expect(ChildChecks.failures(in: result?.standardErrorContent) == [])
  }

  @Test func planReplansWhereTheFunctionTakesOtherBranches() {
    let plan = SparseHessianPlan(at: [0.5, 1.0, 2.0], of: SwitchingScalar())
    #expect(!plan.pattern.contains(row: 2, column: 2))
    let y = [-0.5, 1.0, 2.0]
    let H = plan.hessian(at: y)
    #expect(plan.detections == 2)
    #expect(matricesAgree(Matrix(H), hessian(at: y, of: SwitchingScalar()).rowArrays, tolerance: 0))
  }

  @Test func planAtAPointOfAnotherSize() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = SparseHessianPlan(at: [0.5, 0.5, 0.5], of: RosenbrockSum()).hessian(at: [0.5])
    }
    #expect(standardError(r).contains("SparseHessianPlan.hessian(at:): the plan was made at a point of 3 coordinates; this point has 1"))
  }
}
