import DifferentiableModule

/// The sparsity pattern of f's Jacobian at x: which outputs depend on which
/// inputs, found by one evaluation of f on tracer scalars (values plus the
/// set of inputs each depends on). f may branch; the pattern is that of the
/// branches f takes at x (see `SparseJacobianPlan` for other points).
///
/// ```swift
/// let p = jacobianSparsity(at: [Double](repeating: 0.5, count: 1000), of: Bratu1D())
/// p.nonzeroCount        // 2,998: tridiagonal
/// ```
@inlinable
public func jacobianSparsity<S: JacobianScalar, F: VectorFunction>(at x: [S], of f: F) -> SparsityPattern {
  _detectJacobianSparsity(at: x, of: f).pattern
}

/// The pattern at x and the outcomes of f's comparisons there.
@inlinable
func _detectJacobianSparsity<S: JacobianScalar, F: VectorFunction>(
  at x: [S], of f: F
) -> (pattern: SparsityPattern, branches: [Bool]) {
  return SparsityArena.during {
  let inputs = x.indices.map { SparsityTracer<S, RecordedComparisons>(value: x[$0], indices: SparseIndices($0)) }
  let (outputs, branches) = ComparisonLog.recording { f(inputs) }
  // Rows to columns: count the entries of each column, then place them.
  let n = x.count, m = outputs.count
  var starts = [Int](repeating: 0, count: n + 1)
  for y in outputs { y.indices.forEach { starts[Int($0) + 1] += 1 } }
  for j in 0..<n { starts[j + 1] += starts[j] }
  var next = starts
  var rowIndices = [Int](repeating: 0, count: starts[n])
  for (i, y) in outputs.enumerated() {
    y.indices.forEach { j in
      rowIndices[next[Int(j)]] = i
      next[Int(j)] += 1
    }
  }
  return (SparsityPattern(rows: m, columns: n, columnStarts: starts, rowIndices: rowIndices), branches)
  }
}
