/// A sparse matrix (a Jacobian or a Hessian) in compressed sparse column form:
/// the values of the entries of `pattern`, column by column, and zero
/// elsewhere.
///
/// ```swift
/// let J = sparseJacobian(at: x, of: f)
/// J[3, 4]                 // zero outside the pattern
/// let y = J * v           // matrix-vector product
/// let dense = Matrix(J)
/// ```
public struct SparseMatrix<Scalar> {
  /// Where the entries are.
  public let pattern: SparsityPattern
  /// The entries' values, in the pattern's (column-major) order.
  public var values: [Scalar]

  /// A sparse matrix from a pattern and one value per entry.
  ///
  /// ```swift
  /// let m = SparseMatrix(pattern: p, values: [1.0, 2.0])
  /// ```
  public init(pattern: SparsityPattern, values: [Scalar]) {
    guard values.count == pattern.nonzeroCount else {
      fatalError("SparseMatrix: a pattern of \(pattern.nonzeroCount) non-zeros needs as many values, got \(values.count)")
    }
    self.pattern = pattern
    self.values = values
  }

  /// The number of rows.
  public var rows: Int { pattern.rows }
  /// The number of columns.
  public var columns: Int { pattern.columns }
  /// The number of stored entries.
  public var nonzeroCount: Int { pattern.nonzeroCount }
}

extension SparseMatrix where Scalar: Numeric {
  /// Entry (row, column): its value in the pattern, zero outside it.
  public subscript(row: Int, column: Int) -> Scalar {
    guard row >= 0 && row < rows && column >= 0 && column < columns else {
      fatalError("SparseMatrix: index (\(row), \(column)) is outside the \(rows)×\(columns) matrix")
    }
    guard let k = pattern.index(row: row, column: column) else { return 0 }
    return values[k]
  }

  /// The product with a vector of `columns` entries.
  ///
  /// ```swift
  /// let Jv = J * [1.0, 0, 0]
  /// ```
  public static func * (m: SparseMatrix, v: [Scalar]) -> [Scalar] {
    guard v.count == m.columns else {
      fatalError("SparseMatrix * vector: the matrix has \(m.columns) columns but the vector has \(v.count) entries")
    }
    var out = [Scalar](repeating: 0, count: m.rows)
    let starts = m.pattern.columnStarts, rowIndices = m.pattern.rowIndices
    for j in 0..<m.columns {
      let x = v[j]
      for k in starts[j]..<starts[j + 1] { out[rowIndices[k]] += m.values[k] * x }
    }
    return out
  }
}

extension SparseMatrix: Sendable where Scalar: Sendable {}
extension SparseMatrix: Equatable where Scalar: Equatable {}

extension SparseMatrix: CustomStringConvertible {
  /// The shape and the number of stored entries: `"3×3 sparse matrix, 7 non-zeros"`.
  public var description: String {
    "\(rows)×\(columns) sparse matrix, \(nonzeroCount) non-zeros"
  }
}

extension Matrix where Scalar: Numeric {
  /// The dense form of a sparse matrix.
  ///
  /// ```swift
  /// let dense = Matrix(sparseJacobian(at: x, of: f))
  /// ```
  public init(_ sparse: SparseMatrix<Scalar>) {
    var m = Matrix(rows: sparse.rows, columns: sparse.columns, repeating: 0)
    let p = sparse.pattern
    for j in 0..<p.columns {
      for k in p.columnStarts[j]..<p.columnStarts[j + 1] { m[p.rowIndices[k], j] = sparse.values[k] }
    }
    self = m
  }
}
