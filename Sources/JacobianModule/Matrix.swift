/// A dense matrix stored row by row; Jacobians and Hessians are returned as
/// `Matrix` values.
///
/// For a Jacobian, row i is output i and column j is input j:
///
/// ```
/// J[i, j] = ∂fᵢ/∂xⱼ        rows = outputs, columns = inputs
/// ```
///
/// ```swift
/// let J = jacobian(at: [2.0, 0.5], of: polar)
/// J[0, 1]                 // ∂f₀/∂x₁
/// J.row(0)                // the gradient of output 0
/// J.column(1)             // the derivative of every output along x₁
/// let nested = [[Double]](J)
/// print(J)                // aligned rows
/// ```
///
/// See also: `jacobian(at:mode:of:)`, `hessian(at:of:)`.
@frozen
public struct Matrix<Scalar> {
  /// The number of rows (outputs, for a Jacobian).
  public let rows: Int
  /// The number of columns (inputs, for a Jacobian).
  public let columns: Int
  /// The entries, row by row: entry (i, j) is `elements[i * columns + j]`.
  /// Assigning an array of another count than `rows * columns` stops with a
  /// message.
  ///
  /// ```swift
  /// var m = Matrix(rows: 2, columns: 2, repeating: 0.0)
  /// m.elements[3] = 1          // entry (1, 1)
  /// ```
  @inlinable
  public var elements: [Scalar] {
    get { _elements }
    set {
      if newValue.count != rows * columns { _elementCountChanged(newValue.count) }
      _elements = newValue
    }
    _modify {
      yield &_elements
      if _elements.count != rows * columns { _elementCountChanged(_elements.count) }
    }
  }
  @usableFromInline var _elements: [Scalar]

  @usableFromInline @inline(never)
  func _elementCountChanged(_ count: Int) -> Never {
    fatalError("Matrix.elements: a \(rows)×\(columns) matrix needs \(rows * columns) elements, got \(count)")
  }

  /// A matrix from its entries in row-major order.
  ///
  /// ```swift
  /// let m = Matrix(rows: 2, columns: 2, elements: [1.0, 2, 3, 4])
  /// ```
  @inlinable
  public init(rows: Int, columns: Int, elements: [Scalar]) {
    let count = _entryCount("Matrix(rows:columns:elements:)", rows, columns)
    guard elements.count == count else {
      fatalError("Matrix(rows:columns:elements:): \(rows)×\(columns) needs \(count) elements, got \(elements.count)")
    }
    self.rows = rows
    self.columns = columns
    self._elements = elements
  }

  /// A `rows`×`columns` matrix with every entry equal to `value`.
  ///
  /// ```swift
  /// var m = Matrix(rows: 2, columns: 3, repeating: 0.0)
  /// ```
  @inlinable
  public init(rows: Int, columns: Int, repeating value: Scalar) {
    // Before the array: Array(repeating:count:) would trap on a negative or
    // overflowing count without naming the matrix.
    let count = _entryCount("Matrix(rows:columns:repeating:)", rows, columns)
    self.init(rows: rows, columns: columns, elements: Array(repeating: value, count: count))
  }

  /// A matrix from nested arrays, one inner array per row (all the same length).
  ///
  /// ```swift
  /// let m = Matrix([[1.0, 2], [3, 4]])
  /// ```
  @inlinable
  public init(_ rowArrays: [[Scalar]]) {
    let columns = rowArrays.first?.count ?? 0
    for (i, row) in rowArrays.enumerated() where row.count != columns {
      fatalError("Matrix([[Scalar]]): row \(i) has \(row.count) entries, row 0 has \(columns)")
    }
    self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
  }

  /// Entry (i, j): for a Jacobian, ∂fᵢ/∂xⱼ.
  ///
  /// ```swift
  /// J[0, 1] = 2
  /// ```
  @inlinable
  public subscript(row: Int, column: Int) -> Scalar {
    get {
      _checkIndex(row, column)
      return elements[row * columns + column]
    }
    set {
      _checkIndex(row, column)
      elements[row * columns + column] = newValue
    }
  }

  @inlinable @inline(__always)
  internal func _checkIndex(_ row: Int, _ column: Int) {
    if row < 0 || row >= rows || column < 0 || column >= columns {
      _indexOutOfRange(row, column)
    }
  }

  @inline(never) @usableFromInline
  internal func _indexOutOfRange(_ row: Int, _ column: Int) -> Never {
    fatalError("Matrix subscript: index (\(row), \(column)) is outside a \(rows)×\(columns) matrix")
  }

  /// Row `i` (for a Jacobian: the gradient of output i).
  ///
  /// ```swift
  /// let g0 = J.row(0)
  /// ```
  @inlinable
  public func row(_ i: Int) -> [Scalar] {
    guard i >= 0 && i < rows else { fatalError("Matrix.row: row \(i) is outside 0..<\(rows)") }
    return Array(elements[i * columns ..< (i + 1) * columns])
  }

  /// Column `j` (for a Jacobian: the derivative of every output along xⱼ).
  ///
  /// ```swift
  /// let c1 = J.column(1)
  /// ```
  @inlinable
  public func column(_ j: Int) -> [Scalar] {
    guard j >= 0 && j < columns else { fatalError("Matrix.column: column \(j) is outside 0..<\(columns)") }
    return (0..<rows).map { elements[$0 * columns + j] }
  }

  /// The rows as nested arrays (`[[Scalar]](matrix)` spells the same).
  ///
  /// ```swift
  /// let nested: [[Double]] = J.rowArrays
  /// ```
  @inlinable
  public var rowArrays: [[Scalar]] { (0..<rows).map { row($0) } }

  /// The transpose: rows become columns.
  ///
  /// ```swift
  /// let Jt = J.transposed()
  /// ```
  @inlinable
  public func transposed() -> Matrix {
    var out = [Scalar]()
    out.reserveCapacity(elements.count)
    for j in 0..<columns { for i in 0..<rows { out.append(elements[i * columns + j]) } }
    return Matrix(rows: columns, columns: rows, elements: out)
  }

  /// The matrix with `transform` applied to each entry.
  ///
  /// ```swift
  /// let asDouble = floatJacobian.map { Double($0) }
  /// ```
  @inlinable
  public func map<T>(_ transform: (Scalar) throws -> T) rethrows -> Matrix<T> {
    Matrix<T>(rows: rows, columns: columns, elements: try elements.map(transform))
  }
}

@inline(never) @usableFromInline
func _negativeShape(_ verb: StaticString, _ rows: Int, _ columns: Int) -> Never {
  fatalError("\(verb): \(rows)×\(columns) is not a shape: rows and columns must not be negative")
}

/// rows·columns, stopping with a message naming `verb` and the shape if a
/// count is negative or the product overflows `Int`.
@inlinable
func _entryCount(_ verb: StaticString, _ rows: Int, _ columns: Int) -> Int {
  if rows < 0 || columns < 0 { _negativeShape(verb, rows, columns) }
  let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
  if overflow { _shapeOverflow(verb, rows, columns) }
  return count
}

@usableFromInline @inline(never)
func _shapeOverflow(_ verb: StaticString, _ rows: Int, _ columns: Int) -> Never {
  fatalError("\(verb): a \(rows)×\(columns) matrix has more entries than Int can count")
}

extension Array {
  /// The rows of a matrix as nested arrays.
  ///
  /// ```swift
  /// let nested = [[Double]](jacobian(at: x, of: f))
  /// ```
  @inlinable
  public init<Scalar>(_ matrix: Matrix<Scalar>) where Element == [Scalar] {
    self = matrix.rowArrays
  }
}

extension Matrix: Sendable where Scalar: Sendable {}
extension Matrix: Equatable where Scalar: Equatable {}
extension Matrix: Hashable where Scalar: Hashable {}
