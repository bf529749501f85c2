import DifferentiableModule

// Selecting elements along any axis (PyTorch's `select` and `narrow`, or
// `t[:, i]` and `t[:, a:b]`). Built from indexing, so the results report
// "IndexBackward" (`selecting`) or "SliceBackward" (`slicing`) as their
// `gradFunction`.

// MARK: - Along an axis

extension Tensor {
  /// Element `index` along `axis`, which the result no longer has (PyTorch's
  /// `t.select(axis, index)`, `t[:, index]` for axis 1); negative indices and
  /// axes count from the end. Backward: the gradient is written into zeros of
  /// this tensor's shape at that index. Traps when the axis or the index is
  /// out of range.
  ///
  /// ```
  /// y[i₀, …, iₖ₋₁, iₖ₊₁, …] = x[i₀, …, iₖ₋₁, index, iₖ₊₁, …]   (k = axis)
  /// ```
  ///
  /// ```swift
  /// let m: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
  /// m.selecting(index: 1, alongAxis: 1).scalars    // [2, 5], shape [2]
  /// m.selecting(index: -1, alongAxis: 0).scalars   // [4, 5, 6]
  /// ```
  ///
  /// See also: `slicing(_:alongAxis:)`, `subscript(_:)` (axis 0).
  @inlinable
  public func selecting(index: Int, alongAxis axis: Int) -> Tensor {
    let ax = _normalizedAxes([axis], "selecting(index:alongAxis:)")[0]
    let source = shape
    let extent = source[ax]
    let i = index < 0 ? index + extent : index
    guard i >= 0 && i < extent else {
      fatalError(
        "Tensor.selecting(index:alongAxis:): index \(index) is out of range for axis \(axis) of shape \(source)")
    }
    var outShape = source
    outShape.remove(at: ax)
    let kept = _keptShape([ax])
    return Tensor._recordNode(
      _slicedPlain(axis: ax, i..<i + 1)._reshapedPlain(outShape), [self],
      .custom { g in [g._reshapedPlain(kept)._scatteredPlain(axis: ax, i..<i + 1, into: source)] },
      .index)
  }

  /// The elements `range` along `axis`, which keeps its place with extent
  /// `range.count` (PyTorch's `t.narrow(axis, start, length)`, `t[:, a:b]`
  /// for axis 1); a negative axis counts from the end. Backward: the
  /// gradient is written into zeros of this tensor's shape at `range`. Traps
  /// when the axis or the range is out of range.
  ///
  /// ```
  /// y[…, j, …] = x[…, range.lowerBound + j, …]   (j along axis)
  /// ```
  ///
  /// ```swift
  /// let m: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
  /// m.slicing(1..<3, alongAxis: 1).scalars   // [2, 3, 5, 6], shape [2, 2]
  /// m.slicing(0..<1, alongAxis: -2).shape    // [1, 3]
  /// ```
  ///
  /// See also: `selecting(index:alongAxis:)`, `subscript(_:)` (axis 0).
  @inlinable
  public func slicing(_ range: Range<Int>, alongAxis axis: Int) -> Tensor {
    let ax = _normalizedAxes([axis], "slicing(_:alongAxis:)")[0]
    let source = shape
    guard range.lowerBound >= 0 && range.upperBound <= source[ax] else {
      fatalError("Tensor.slicing(_:alongAxis:): range \(range) is out of range for axis \(axis) of shape \(source)")
    }
    return Tensor._recordNode(
      _slicedPlain(axis: ax, range), [self],
      .custom { g in [g._scatteredPlain(axis: ax, range, into: source)] }, .slice)
  }

  /// The elements of a range expression along `axis` (`1...`, `..<2`,
  /// `0...1`), resolved against the axis' extent; see `slicing(_:alongAxis:)`.
  ///
  /// ```swift
  /// let m: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
  /// m.slicing(1..., alongAxis: 1).scalars   // [2, 3, 5, 6]
  /// ```
  @inlinable
  public func slicing<R: RangeExpression>(_ range: R, alongAxis axis: Int) -> Tensor where R.Bound == Int {
    let ax = _normalizedAxes([axis], "slicing(_:alongAxis:)")[0]
    let extent = shape[ax]
    // Resolved against 0..<Int.max, not 0..<extent: `5...` of an extent of 3
    // would make the invalid range 5..<3 before it could be reported.
    let r = range.relative(to: 0..<Int.max)
    let upper = r.upperBound == Int.max ? extent : r.upperBound
    guard r.lowerBound >= 0 && r.lowerBound <= upper && upper <= extent else {
      let shown = r.upperBound == Int.max ? "\(r.lowerBound)..." : "\(r.lowerBound)..<\(r.upperBound)"
      fatalError("Tensor.slicing(_:alongAxis:): range \(shown) is out of range for axis \(axis) of shape \(shape)")
    }
    return slicing(r.lowerBound..<upper, alongAxis: axis)
  }

  /// Zeros of `target` with `self` written at `range` along axis `ax`
  /// (plain): the gradient of `_slicedPlain(axis:_:)`.
  @inlinable
  func _scatteredPlain(axis ax: Int, _ range: Range<Int>, into target: [Int]) -> Tensor {
    let outer = target[..<ax].reduce(1, *)
    let inner = target[(ax + 1)...].reduce(1, *)
    let total = target[ax] * inner
    let block = range.count * inner
    return _withScalars { p, _ in
      Tensor(_shape: target) { q, n in
        q.initialize(repeating: 0, count: n)
        for o in 0..<outer {
          (q + o * total + range.lowerBound * inner).update(from: p + o * block, count: block)
        }
      }
    }
  }
}
