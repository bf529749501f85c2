import DifferentiableModule

// MARK: - A sparse Jacobian against finite differences on its pattern
//
// The finite differences are compressed the same way as forward mode: the
// columns of one colour of a distance-2 colouring of the pattern move
// together, each by its own step hⱼ (chosen as `finiteDifferenceJacobian`
// chooses it), so that row i of the difference is Σⱼ Jᵢⱼ·hⱼ over the colour's
// columns, of which at most one is in row i's pattern: one Richardson-
// extrapolated central difference per colour (4 evaluations of f), not per
// input. A row with no entry among the colour's columns must not change at
// all: f then does not read those inputs for it, so its two evaluations are
// identical; a change there is a derivative the pattern misses.

/// Compares the sparse Jacobian of f (a `SparseJacobianPlan`'s, at `x`) with
/// Richardson-extrapolated central finite differences on its pattern, entry
/// by entry, and reports entries that disagree and derivatives outside the
/// pattern. The finite differences are compressed by a column colouring: 4
/// evaluations of f per colour, so the check runs at sizes where a dense
/// Jacobian cannot (memory O(non-zeros + n)).
///
/// ```swift
/// let report = checkSparseJacobian(at: u, of: Bratu1D())
/// print(report)   // sparse derivative check, 1000×1000, 2998 non-zeros, 3 colours: agree …
/// assert(report.agrees)
/// ```
///
/// See also: `checkDerivatives(at:of:)` (dense), `sparseJacobian(at:mode:of:)`.
@inlinable
public func checkSparseJacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], mode: DifferentiationMode = .automatic,
  tolerances: DerivativeCheckTolerances = .init(for: S.self), of f: F
) -> SparseDerivativeCheckReport {
  let plan = SparseJacobianPlan(at: x, mode: mode, of: f)
  let jacobian = plan.jacobian(at: x)
  let (fd, missed) = _compressedFiniteDifferences(at: x.map { Double($0) }, pattern: plan.pattern) {
    (y: [Double]) in f(y)
  }
  return SparseDerivativeCheckReport(
    automatic: SparseMatrix(pattern: jacobian.pattern, values: jacobian.values.map { Double($0) }),
    finiteDifferences: fd, missed: missed, colorCount: plan.colorCount,
    tolerance: tolerances.againstFiniteDifferences)
}

/// Finite differences of f on `pattern`, compressed by a distance-2 column
/// colouring, and the derivatives seen outside the pattern.
@usableFromInline
func _compressedFiniteDifferences(
  at point: [Double], pattern: SparsityPattern, _ f: ([Double]) -> [Double]
) -> (SparseMatrix<Double>, [SparseDerivativeCheckReport.MissedDerivative]) {
  let n = point.count, m = pattern.rows
  guard n == pattern.columns else {
    fatalError("checkSparseJacobian: the point has \(n) entries but the pattern has \(pattern.columns) columns")
  }
  let coloring = Coloring(columnsOf: pattern)
  var members = [[Int]](repeating: [], count: coloring.count)
  for j in 0..<n { members[coloring.colors[j]].append(j) }
  let byRow = pattern.transposed()  // columnStarts by row, rowIndices = columns
  var values = [Double](repeating: 0, count: pattern.nonzeroCount)
  var missed: [SparseDerivativeCheckReport.MissedDerivative] = []
  var probe = point
  for columns in members where !columns.isEmpty {
    func central(_ c: Double) -> ([Double], [Double]) {
      let steps = columns.map { j in (point[j] + c * Swift.max(point[j].magnitude, 0.01)) - point[j] }
      for (k, j) in columns.enumerated() { probe[j] = point[j] + steps[k] }
      let plus = f(probe)
      for (k, j) in columns.enumerated() { probe[j] = point[j] - steps[k] }
      let minus = f(probe)
      for j in columns { probe[j] = point[j] }
      if plus.count != m || minus.count != m {
        _outputCountChanged("checkSparseJacobian", m, plus.count == m ? minus.count : plus.count)
      }
      return ((0..<m).map { (plus[$0] - minus[$0]) / 2 }, steps)
    }
    let (coarse, coarseSteps) = central(1e-3), (fine, fineSteps) = central(5e-4)
    var stepOf: [Int: Int] = [:]
    for (k, j) in columns.enumerated() { stepOf[j] = k }
    for i in 0..<m {
      // The colour's column in row i's pattern, if any.
      var column: Int? = nil
      for q in byRow.columnStarts[i]..<byRow.columnStarts[i + 1] where stepOf[byRow.rowIndices[q]] != nil {
        column = byRow.rowIndices[q]
      }
      if let j = column, let k = stepOf[j], let e = pattern.index(row: i, column: j) {
        let a = coarse[i] / coarseSteps[k], b = fine[i] / fineSteps[k]
        values[e] = b + (b - a) / 3
      } else if coarse[i] != 0 || fine[i] != 0 {
        // A derivative of row i along the colour's inputs, none in its pattern.
        let h = fineSteps.map(\.magnitude).min() ?? 1
        missed.append(.init(row: i, columns: columns, difference: fine[i] / h))
      }
    }
  }
  return (SparseMatrix(pattern: pattern, values: values), missed)
}

/// The result of `checkSparseJacobian`: the sparse Jacobian by automatic
/// differentiation and by finite differences on the same pattern, the worst
/// disagreement, and any derivative that finite differences see outside the
/// pattern.
///
/// ```swift
/// let report = checkSparseJacobian(at: u, of: f)
/// report.agrees                 // true
/// report.worst?.relative        // 3e-11
/// ```
public struct SparseDerivativeCheckReport: Sendable, CustomStringConvertible {
  /// A derivative outside the pattern: row `row` changes when the inputs
  /// `columns` (one colour, none of them in the row's pattern) move;
  /// `difference` is the change over the smallest step.
  public struct MissedDerivative: Sendable, Hashable {
    public let row: Int
    public let columns: [Int]
    public let difference: Double
  }

  /// The sparse Jacobian by automatic differentiation.
  public let automatic: SparseMatrix<Double>
  /// The same entries by finite differences.
  public let finiteDifferences: SparseMatrix<Double>
  /// Derivatives the pattern misses (should be empty).
  public let missed: [MissedDerivative]
  /// The colours of the finite differences' column colouring.
  public let colorCount: Int
  /// The tolerance every entry is held to.
  public let tolerance: AgreementTolerance
  /// Entries outside the tolerance.
  public let failures: Int
  /// The entry with the largest relative difference (nil without entries).
  public let worst: DerivativeCheckReport.Disagreement?

  /// Whether every entry agrees and no derivative lies outside the pattern.
  public var agrees: Bool { failures == 0 && missed.isEmpty }

  /// A report from the two sparse matrices (of one pattern).
  ///
  /// ```swift
  /// let r = SparseDerivativeCheckReport(automatic: J, finiteDifferences: Jfd, missed: [],
  ///                                     colorCount: 3, tolerance: .init(absolute: 1e-6, relative: 1e-6))
  /// ```
  public init(
    automatic: SparseMatrix<Double>, finiteDifferences: SparseMatrix<Double>, missed: [MissedDerivative],
    colorCount: Int, tolerance: AgreementTolerance
  ) {
    guard automatic.pattern == finiteDifferences.pattern else {
      fatalError("""
        SparseDerivativeCheckReport: patterns of \(automatic.nonzeroCount) and \
        \(finiteDifferences.nonzeroCount) non-zeros (\(automatic.rows)×\(automatic.columns) and \
        \(finiteDifferences.rows)×\(finiteDifferences.columns)) differ
        """)
    }
    self.automatic = automatic
    self.finiteDifferences = finiteDifferences
    self.missed = missed
    self.colorCount = colorCount
    self.tolerance = tolerance
    let a = automatic.values, b = finiteDifferences.values
    var scale = 1.0
    for k in a.indices where a[k].isFinite && b[k].isFinite { scale = Swift.max(scale, a[k].magnitude, b[k].magnitude) }
    var failures = 0
    var worst: (Int, Double, Double)? = nil
    for k in a.indices {
      if !tolerance.accepts(a[k], b[k], scale: scale) { failures += 1 }
      let d = a[k] == b[k] ? 0 : (a[k] - b[k]).magnitude
      let r = d == 0 ? 0 : d.isNaN ? .infinity : d / Swift.max(a[k].magnitude, b[k].magnitude, .leastNormalMagnitude)
      if worst == nil || r > worst!.2 { worst = (k, d, r) }
    }
    self.failures = failures
    let nonzeros = automatic.pattern.nonzeros
    self.worst = worst.map { k, d, r in
      DerivativeCheckReport.Disagreement(
        row: nonzeros[k].row, column: nonzeros[k].column, absolute: d, relative: r, values: [a[k], b[k]])
    }
  }

  /// One paragraph: the verdict, the sizes, the worst entry and the first
  /// missed derivatives.
  public var description: String {
    let p = automatic.pattern
    var lines = ["""
      sparse derivative check, \(p.rows)×\(p.columns), \(p.nonzeroCount) non-zeros, \
      \(colorCount) colours: \(agrees ? "agree" : "DISAGREE")
      """]
    if let w = worst {
      lines.append("""
        worst entry (\(w.row), \(w.column)): automatic \(w.values[0]), finite differences \(w.values[1]), \
        relative \(w.relative); \(failures) of \(p.nonzeroCount) outside \(tolerance.relative) relative
        """)
    }
    for miss in missed.prefix(5) {
      lines.append("row \(miss.row) changes by \(miss.difference) along inputs \(miss.columns.prefix(8)) outside its pattern")
    }
    if missed.count > 5 { lines.append("… \(missed.count - 5) more derivatives outside the pattern") }
    return lines.joined(separator: "\n")
  }
}
