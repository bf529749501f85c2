/// Where a sparse matrix (a Jacobian, a Hessian) may have non-zero entries,
/// in compressed sparse column form (CSC): column j's rows are
/// `rowIndices[columnStarts[j] ..< columnStarts[j + 1]]`, in increasing
/// order.
///
/// ```swift
/// let p = jacobianSparsity(at: x, of: f)
/// p.nonzeroCount; p.contains(row: 0, column: 1)
/// for (i, j) in p.nonzeros { … }      // column-major order
/// ```
public struct SparsityPattern: Sendable, Equatable, CustomStringConvertible {
  /// The number of rows (outputs, for a Jacobian).
  public let rows: Int
  /// The number of columns (inputs).
  public let columns: Int
  /// Where each column's entries start in `rowIndices` (`columns + 1` values).
  public let columnStarts: [Int]
  /// The row of each entry, column by column.
  public let rowIndices: [Int]

  /// A pattern from its (row, column) pairs, in any order (repeats count once).
  ///
  /// ```swift
  /// let p = SparsityPattern(rows: 2, columns: 2, nonzeros: [(0, 0), (1, 1)])
  /// ```
  public init(rows: Int, columns: Int, nonzeros: [(Int, Int)]) {
    if rows < 0 || columns < 0 {
      fatalError("SparsityPattern: \(rows)×\(columns) is not a shape: rows and columns must not be negative")
    }
    var perColumn = [[Int]](repeating: [], count: columns)
    for (i, j) in nonzeros {
      guard i >= 0 && i < rows && j >= 0 && j < columns else {
        fatalError("SparsityPattern: entry (\(i), \(j)) is outside the \(rows)×\(columns) shape")
      }
      perColumn[j].append(i)
    }
    var starts = [0]
    starts.reserveCapacity(columns + 1)
    var indices = [Int]()
    indices.reserveCapacity(nonzeros.count)
    for var c in perColumn {
      c.sort()
      var last = -1
      for i in c where i != last {
        indices.append(i)
        last = i
      }
      starts.append(indices.count)
    }
    self.init(rows: rows, columns: columns, columnStarts: starts, rowIndices: indices)
  }

  @usableFromInline
  init(rows: Int, columns: Int, columnStarts: [Int], rowIndices: [Int]) {
    self.rows = rows
    self.columns = columns
    self.columnStarts = columnStarts
    self.rowIndices = rowIndices
  }

  /// The number of entries that may be non-zero.
  public var nonzeroCount: Int { rowIndices.count }

  /// Whether entry (row, column) may be non-zero.
  public func contains(row: Int, column: Int) -> Bool { index(row: row, column: column) != nil }

  /// The position of entry (row, column) among the entries, if it is one.
  public func index(row: Int, column: Int) -> Int? {
    guard column >= 0 && column < columns && row >= 0 && row < rows else { return nil }
    var lo = columnStarts[column], hi = columnStarts[column + 1]
    while lo < hi {
      let mid = (lo + hi) / 2
      if rowIndices[mid] < row { lo = mid + 1 } else { hi = mid }
    }
    return lo < columnStarts[column + 1] && rowIndices[lo] == row ? lo : nil
  }

  /// The (row, column) pairs that may be non-zero, in column-major order (the
  /// order of the values of a `SparseMatrix` with this pattern).
  public var nonzeros: [(row: Int, column: Int)] {
    var out = [(row: Int, column: Int)]()
    out.reserveCapacity(nonzeroCount)
    for j in 0..<columns {
      for k in columnStarts[j]..<columnStarts[j + 1] { out.append((rowIndices[k], j)) }
    }
    return out
  }

  /// The same pattern with rows and columns exchanged.
  public func transposed() -> SparsityPattern {
    var counts = [Int](repeating: 0, count: rows + 1)
    for i in rowIndices { counts[i + 1] += 1 }
    for i in 0..<rows { counts[i + 1] += counts[i] }
    var next = counts
    var indices = [Int](repeating: 0, count: nonzeroCount)
    for j in 0..<columns {
      for k in columnStarts[j]..<columnStarts[j + 1] {
        let i = rowIndices[k]
        indices[next[i]] = j
        next[i] += 1
      }
    }
    return SparsityPattern(rows: columns, columns: rows, columnStarts: counts, rowIndices: indices)
  }

  /// The shape and the number of entries: `"3×3 sparsity pattern, 7 non-zeros"`.
  public var description: String {
    "\(rows)×\(columns) sparsity pattern, \(nonzeroCount) non-zeros"
  }
}
