import DifferentiableModule

// The positions of extrema (`argmax`, `argmin`): indices, not
// differentiable.

// MARK: - Positions of extrema

extension Tensor {
  /// The flat (row-major) index of the largest element (PyTorch's
  /// `argmax()`): the first one at a tie; a NaN counts as the largest, so
  /// the first NaN wins, as in PyTorch. Not differentiable (an index). Traps
  /// on an empty tensor.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).argmax()   // 2
  /// Tensor<Double>([1, .nan, 3]).argmax()       // 1
  /// ```
  ///
  /// See also: `argmax(alongAxis:)`, `max()`.
  @inlinable
  public func argmax() -> Int { _argExtremum(isMax: true, "argmax()") }

  /// The flat (row-major) index of the smallest element: the first one at a
  /// tie; a NaN counts as the smallest (the first NaN wins), as in PyTorch.
  /// Traps on an empty tensor.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).argmin()   // 0
  /// ```
  ///
  /// See also: `argmin(alongAxis:)`, `min()`.
  @inlinable
  public func argmin() -> Int { _argExtremum(isMax: false, "argmin()") }

  /// The index along `axis` of the largest element of each slice across it
  /// (PyTorch's `argmax(dim)`), as plain `[Int]` (indices have no
  /// gradient): row-major over this tensor's shape with `axis` removed. Ties
  /// and NaN as in `argmax()`; a negative axis counts from the end. Traps when
  /// the axis is out of range or has extent 0.
  ///
  /// ```
  /// r[i₀, …, iₖ₋₁, iₖ₊₁, …] = argmaxⱼ x[i₀, …, iₖ₋₁, j, iₖ₊₁, …]   (k = axis)
  /// ```
  ///
  /// ```swift
  /// let m: Tensor<Double> = [[1, 5, 3], [7, 2, 7]]
  /// m.argmax(alongAxis: 1)    // [1, 0]
  /// m.argmax(alongAxis: 0)    // [1, 0, 1]
  /// ```
  ///
  /// See also: `max(alongAxes:)`, `selecting(index:alongAxis:)`.
  @inlinable
  public func argmax(alongAxis axis: Int) -> [Int] {
    _argExtremum(alongAxis: axis, isMax: true, "argmax(alongAxis:)")
  }

  /// The index along `axis` of the smallest element of each slice across
  /// it, row-major over the shape with `axis` removed; ties and NaN as in
  /// `argmin()`.
  ///
  /// ```swift
  /// let m: Tensor<Double> = [[1, 5, 3], [7, 2, 7]]
  /// m.argmin(alongAxis: -1)   // [0, 1]
  /// ```
  ///
  /// See also: `argmax(alongAxis:)`, `min(alongAxes:)`.
  @inlinable
  public func argmin(alongAxis axis: Int) -> [Int] {
    _argExtremum(alongAxis: axis, isMax: false, "argmin(alongAxis:)")
  }

  @inlinable
  func _argExtremum(isMax: Bool, _ operation: String) -> Int {
    guard scalarCount > 0 else { fatalError("Tensor.\(operation): empty tensor of shape \(shape)") }
    return _withScalars { p, n in _argExtremumIndex(p, count: n, stride: 1, isMax: isMax) }
  }

  @inlinable
  func _argExtremum(alongAxis axis: Int, isMax: Bool, _ operation: String) -> [Int] {
    let ax = _normalizedAxes([axis], operation)[0]
    let s = shape
    guard s[ax] > 0 else {
      fatalError("Tensor.\(operation): axis \(axis) of shape \(s) has extent 0")
    }
    let outer = s[..<ax].reduce(1, *), extent = s[ax], inner = s[(ax + 1)...].reduce(1, *)
    var result = [Int](repeating: 0, count: outer * inner)
    _withScalars { p, _ in
      for o in 0..<outer {
        for j in 0..<inner {
          result[o * inner + j] = _argExtremumIndex(
            p + o * extent * inner + j, count: extent, stride: inner, isMax: isMax)
        }
      }
    }
    return result
  }
}

/// The position k < count of the largest (`isMax`) or smallest of
/// `p[0], p[stride], …`: the first at a tie, the first NaN if any (a NaN
/// counts as the extremum, as in PyTorch).
///
/// ```swift
/// [3.0, 9, 9].withUnsafeBufferPointer { _argExtremumIndex($0.baseAddress!, count: 3, stride: 1, isMax: true) }   // 1
/// ```
@inlinable
func _argExtremumIndex<Scalar: DifferentiableScalar>(
  _ p: UnsafePointer<Scalar>, count: Int, stride: Int, isMax: Bool
) -> Int {
  var best = 0
  var value = p[0]
  if value != value { return 0 }
  for k in 1..<Swift.max(count, 1) {
    let v = p[k * stride]
    if v != v { return k }
    if isMax ? v > value : v < value {
      best = k
      value = v
    }
  }
  return best
}
