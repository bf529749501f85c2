import Leibniz
import Testing
import _LeibnizTestSupport

// Sparse Jacobians against dense ones over a catalogue of patterns, in both
// modes and in Float and Double, with the colour counts the patterns allow.

/// The 1-D Bratu residual: −(u[i−1] − 2u[i] + u[i+1])/h² − λ·e^u[i], zero
/// boundary values.
struct Bratu1D: VectorFunction, Sendable {
  var lambda = 1.0
  func callAsFunction<T: DifferentiableScalar>(_ u: [T]) -> [T] {
    let n = u.count, h = 1.0 / Double(n + 1)
    return (0..<n).map { i in
      let left = i > 0 ? u[i - 1] : 0, right = i < n - 1 ? u[i + 1] : 0
      return -(left - 2 * u[i] + right) / T(h * h) - T(lambda) * exp(u[i])
    }
  }
}

/// Block-diagonal: blocks of 3 coupled inputs.
struct BlockDiagonal: VectorFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    x.indices.map { i in
      let b = i / 3 * 3
      return sin(x[b]) * x[min(b + 1, x.count - 1)] + x[i] * x[min(b + 2, x.count - 1)]
    }
  }
}

/// Arrowhead: every output depends on x[0], and output 0 on everything.
struct Arrowhead: VectorFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    var total: T = 0
    for v in x { total = total + v * v }
    return [total] + (1..<x.count).map { i in x[0] * x[i] + exp(x[i]) }
  }
}

/// Random sparse: each output a product of three inputs chosen by a seed.
struct RandomSparse: VectorFunction, Sendable {
  let picks: [[Int]]
  init(inputs: Int, outputs: Int, seed: UInt64) {
    var g = SeededRandom(seed: seed)
    picks = (0..<outputs).map { _ in (0..<3).map { _ in Int(g.next() % UInt64(inputs)) } }
  }
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    picks.map { p in x[p[0]] * cos(x[p[1]]) + x[p[2]] * x[p[2]] * x[p[0]] }
  }
}

/// A 5-point stencil on a k×k grid (the 2-D Bratu residual without λ).
struct Stencil2D: VectorFunction, Sendable {
  let k: Int
  func callAsFunction<T: DifferentiableScalar>(_ u: [T]) -> [T] {
    func at(_ r: Int, _ c: Int) -> T { r < 0 || c < 0 || r >= k || c >= k ? 0 : u[r * k + c] }
    return (0..<k * k).map { i in
      let (r, c) = (i / k, i % k)
      return 4 * at(r, c) - at(r - 1, c) - at(r + 1, c) - at(r, c - 1) - at(r, c + 1) - exp(at(r, c))
    }
  }
}

/// An unused input (x[2]) and a constant output (row 1).
struct UnusedAndConstant: VectorFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { [x[0] * x[1], 3, sin(x[3]) + x[0]] }
}

/// Branches: the dependence of output 0 switches with the sign of x[0].
struct Switching: VectorFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    [x[0] > 0 ? x[0] * x[1] : x[0] * x[2], x[1] + x[2], max(x[0], x[3])]
  }
}

@Suite("Sparse Jacobians (JacobianModule)")
struct SparseJacobianTests {
  /// The sparse Jacobian at x in `mode`, its dense form, the dense Jacobian,
  /// and that no entry outside the pattern is non-zero.
  func expectAgrees<F: VectorFunction & Sendable>(_ f: F, at x: [Double], _ name: String) {
    let dense = jacobian(at: x, mode: .forward, of: f)
    let pattern = jacobianSparsity(at: x, of: f)
    for i in 0..<dense.rows {
      for j in 0..<dense.columns where dense[i, j] != 0 {
        #expect(pattern.contains(row: i, column: j), "\(name): entry (\(i), \(j)) = \(dense[i, j]) outside the pattern")
      }
    }
    for mode in [DifferentiationMode.forward, .reverse, .automatic] {
      let s = sparseJacobian(at: x, mode: mode, of: f)
      #expect(s.pattern == pattern)
      #expect(matricesAgree(Matrix(s), dense.rowArrays, tolerance: Tolerance.roundoff), "\(name) \(mode)")
    }
    let xf = x.map { Float($0) }
    let sf = sparseJacobian(at: xf, of: f)
    let df = jacobian(at: xf, of: f)
    for i in 0..<df.rows {
      for j in 0..<df.columns {
        #expect(abs(sf[i, j] - df[i, j]) <= 1e-4 * max(1, abs(df[i, j])), "\(name) Float (\(i), \(j))")
      }
    }
  }

  @Test func catalogueAgreesWithDenseJacobians() {
    let point = { (n: Int) in (0..<n).map { 0.3 + 0.1 * Double($0 % 7) } }
    expectAgrees(Bratu1D(), at: point(50), "Bratu 1-D")
    expectAgrees(BlockDiagonal(), at: point(30), "block diagonal")
    expectAgrees(Arrowhead(), at: point(20), "arrowhead")
    expectAgrees(RandomSparse(inputs: 40, outputs: 35, seed: 7), at: point(40), "random sparse")
    expectAgrees(Stencil2D(k: 6), at: point(36), "2-D stencil")
    expectAgrees(UnusedAndConstant(), at: point(4), "unused input, constant output")
    // Index sets wider than 64 inputs (the arena form of the tracer's sets).
    expectAgrees(Arrowhead(), at: point(150), "arrowhead, n = 150")
    expectAgrees(RandomSparse(inputs: 300, outputs: 200, seed: 9), at: point(300), "random sparse, n = 300")
  }

  /// Every entry of the pattern against central finite differences (an
  /// independent reference), and zeros off the pattern in the finite
  /// differences too.
  func expectMatchesFiniteDifferences<F: VectorFunction & Sendable>(_ f: F, at x: [Double], _ name: String) {
    let s = sparseJacobian(at: x, of: f)
    let fd = finiteDifferenceJacobian(at: x, of: f)
    for (k, entry) in s.pattern.nonzeros.enumerated() {
      let expected = fd[entry.row, entry.column]
      #expect(isClose(s.values[k], expected, tolerance: Tolerance.finiteDifference), "\(name) \(entry)")
    }
    for i in 0..<fd.rows {
      for j in 0..<fd.columns where !s.pattern.contains(row: i, column: j) {
        #expect(abs(fd[i, j]) <= 1e-9, "\(name): finite differences see (\(i), \(j)) = \(fd[i, j]) off the pattern")
      }
    }
  }

  @Test func sparseJacobiansAgreeWithFiniteDifferencesOnTheirPattern() {
    let bratu: [Double] = (0..<40).map { 0.1 * sin(Double($0)) }
    let grid: [Double] = (0..<25).map { 0.05 * cos(Double($0)) }
    let random: [Double] = (0..<30).map { 0.2 + 0.03 * Double($0) }
    expectMatchesFiniteDifferences(Bratu1D(), at: bratu, "Bratu")
    expectMatchesFiniteDifferences(Stencil2D(k: 5), at: grid, "stencil")
    expectMatchesFiniteDifferences(RandomSparse(inputs: 30, outputs: 25, seed: 3), at: random, "random")
  }

  @Test func colourCounts() {
    let x = [Double](repeating: 0.5, count: 1000)
    #expect(SparseJacobianPlan(at: x, mode: .forward, of: Bratu1D()).colorCount == 3)
    let plan = SparseJacobianPlan(at: x, of: Bratu1D())
    #expect(plan.colorCount == 3 && plan.mode == .forward)
    #expect(plan.pattern.nonzeroCount == 3 * 1000 - 2)
    // 5-point stencil: 5 colours.
    #expect(SparseJacobianPlan(at: [Double](repeating: 0.1, count: 100), of: Stencil2D(k: 10)).colorCount <= 6)
    // Arrowhead: both one-sided colourings need n colours (no bidirectional
    // colouring yet); the plan still works.
    let arrow = SparseJacobianPlan(at: [Double](repeating: 0.2, count: 12), of: Arrowhead())
    #expect(arrow.colorCount == 12)
  }

  @Test func patternsOfSimpleFunctions() {
    let p = jacobianSparsity(at: [1.0, 2.0, 3.0, 4.0], of: UnusedAndConstant())
    #expect(p.rows == 3 && p.columns == 4 && p.nonzeroCount == 4)
    #expect(p.nonzeros.map { [$0.row, $0.column] } == [[0, 0], [2, 0], [0, 1], [2, 3]])
    #expect(!p.contains(row: 1, column: 0) && p.contains(row: 2, column: 3))
  }

  @Test func planAtManyPoints() {
    let plan = SparseJacobianPlan(at: [Double](repeating: 0.5, count: 200), of: Bratu1D())
    for s in [0.1, 0.7, 1.3] {
      let y = (0..<200).map { s * sin(Double($0)) }
      #expect(matricesAgree(Matrix(plan.jacobian(at: y)), jacobian(at: y, of: Bratu1D()).rowArrays, tolerance: 1e-9))
    }
    #expect(plan.detections == 1)
  }

  @Test func planReplansWhereTheFunctionTakesOtherBranches() {
    for mode in [DifferentiationMode.forward, .reverse] {
      let plan = SparseJacobianPlan(at: [1.0, 2.0, 3.0, 0.5], mode: mode, of: Switching())
      #expect(!plan.pattern.contains(row: 0, column: 2))
      let y = [-1.0, 2.0, 3.0, 0.5]
      let J = plan.jacobian(at: y)
      #expect(plan.detections == 2, "\(mode)")
      #expect(J[0, 2] == -1 && J[0, 1] == 0, "\(mode): \(Matrix(J))")
      #expect(matricesAgree(Matrix(J), jacobian(at: y, of: Switching()).rowArrays, tolerance: 0))
      // max(x₀, x₃) depends on both wherever it is taken.
      #expect(plan.pattern.contains(row: 2, column: 0) && plan.pattern.contains(row: 2, column: 3))
    }
  }

  @Test func sparseMatrixProductAndDenseForm() {
    let J = sparseJacobian(at: [0.2, 0.4, 0.6, 0.8, 1.0], of: Bratu1D())
    let v = [1.0, -1, 2, 0.5, 3]
    let dense = Matrix(J)
    let expected = (0..<5).map { i in (0..<5).map { dense[i, $0] * v[$0] }.reduce(0, +) }
    #expect(zip(J * v, expected).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
    #expect(J[0, 4] == 0 && J.nonzeroCount == 13)
  }

  @Test func planAtAPointOfAnotherSize() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let plan = SparseJacobianPlan(at: [0.5, 0.5, 0.5], of: Bratu1D())
      _ = plan.jacobian(at: [0.5, 0.5])
    }
    #expect(standardError(r).contains("SparseJacobianPlan.jacobian(at:): the plan was made at a point of 3 coordinates; this point has 2"))
  }

  @Test func sparseMatrixOfTheWrongValueCountAndPatternEntriesOutsideTheShape() async {
    let values = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let p = SparsityPattern(rows: 2, columns: 2, nonzeros: [(0, 0), (1, 1)])
      _ = SparseMatrix(pattern: p, values: [1.0])
    }
    #expect(standardError(values).contains("SparseMatrix: a pattern of 2 non-zeros needs as many values, got 1"))
    let outside = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = SparsityPattern(rows: 2, columns: 3, nonzeros: [(0, 0), (2, 1)])
    }
    #expect(standardError(outside).contains("SparsityPattern: entry (2, 1) is outside the 2×3 shape"))
    let index = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let J = sparseJacobian(at: [0.5, 0.5], of: Bratu1D())
      _ = J[2, 0]
    }
    #expect(standardError(index).contains("SparseMatrix: index (2, 0) is outside the 2×2 matrix"))
  }

  @Test func sparseMatrixProductWithAVectorOfAnotherSize() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let J = sparseJacobian(at: [0.5, 0.5, 0.5], of: Bratu1D())
      _ = J * [1.0, 2.0]
    }
    #expect(standardError(r).contains("SparseMatrix * vector: the matrix has 3 columns but the vector has 2 entries"))
  }
}

@testable import JacobianModule

@Suite("Colourings for compressed evaluation (JacobianModule)")
struct ColoringTests {
  /// Whether no two columns of `p` that share a row have the same colour.
  func isDistance2(_ c: Coloring, _ p: SparsityPattern) -> Bool {
    let rows = p.transposed()
    for i in 0..<rows.columns {
      var seen = Set<Int>()
      for k in rows.columnStarts[i]..<rows.columnStarts[i + 1] {
        if !seen.insert(c.colors[rows.rowIndices[k]]).inserted { return false }
      }
    }
    return c.colors.allSatisfy { $0 >= 0 && $0 < c.count }
  }

  @Test func randomPatternsGetValidColourings() {
    var g = SeededRandom(seed: 11)
    for trial in 0..<40 {
      let m = 1 + Int(g.next() % 60), n = 1 + Int(g.next() % 60)
      let count = Int(g.next() % UInt64(3 * (m + n)))
      let entries = (0..<count).map { _ in (Int(g.next() % UInt64(m)), Int(g.next() % UInt64(n))) }
      let p = SparsityPattern(rows: m, columns: n, nonzeros: entries)
      #expect(isDistance2(Coloring(columnsOf: p), p), "trial \(trial): columns")
      #expect(isDistance2(Coloring(rowsOf: p), p.transposed()), "trial \(trial): rows")
    }
  }

  @Test func knownColourCounts() {
    let tridiagonal = SparsityPattern(
      rows: 100, columns: 100, nonzeros: (0..<100).flatMap { i in [(i, i), (i, max(i - 1, 0)), (i, min(i + 1, 99))] })
    #expect(Coloring(columnsOf: tridiagonal).count == 3)
    let k = 20
    let stencil = jacobianSparsity(at: [Double](repeating: 0.1, count: k * k), of: Stencil2D(k: k))
    let c = Coloring(columnsOf: stencil)
    #expect(isDistance2(c, stencil) && c.count >= 5 && c.count <= 6, "\(c.count) colours")
    let diagonal = SparsityPattern(rows: 10, columns: 10, nonzeros: (0..<10).map { ($0, $0) })
    #expect(Coloring(columnsOf: diagonal).count == 1)
  }
}
