extension Matrix where Scalar: Numeric {
  /// The matrix-vector product `M·v` (for a Jacobian: the JVP along v).
  ///
  /// ```swift
  /// let Jv = J * [1.0, 0.0]      // the first column
  /// ```
  @inlinable
  public static func * (lhs: Matrix, rhs: [Scalar]) -> [Scalar] {
    guard rhs.count == lhs.columns else {
      fatalError("Matrix * vector: a \(lhs.rows)×\(lhs.columns) matrix times a vector of length \(rhs.count)")
    }
    return (0..<lhs.rows).map { i in
      var s: Scalar = 0
      for j in 0..<lhs.columns { s += lhs.elements[i * lhs.columns + j] * rhs[j] }
      return s
    }
  }

  /// The vector-matrix product `uᵀ·M` (for a Jacobian: the VJP with cotangent u).
  ///
  /// ```swift
  /// let uJ = [1.0, 0.0] * J      // the first row
  /// ```
  @inlinable
  public static func * (lhs: [Scalar], rhs: Matrix) -> [Scalar] {
    guard lhs.count == rhs.rows else {
      fatalError("vector * Matrix: a vector of length \(lhs.count) times a \(rhs.rows)×\(rhs.columns) matrix")
    }
    var out = [Scalar](repeating: 0, count: rhs.columns)
    for i in 0..<rhs.rows {
      for j in 0..<rhs.columns { out[j] += lhs[i] * rhs.elements[i * rhs.columns + j] }
    }
    return out
  }
}
