import DifferentiableModule

// Selecting elements: along any axis (PyTorch's `select` and `narrow`, or
// `t[:, i]` and `t[:, a:b]`), by a mask (`torch.where`, `clamp`), and the
// positions of extrema (`argmax`, `argmin`).
//
// OpCode has no cases of their own yet, so the results report the nearest
// existing `gradFunction`: "IndexBackward" for `selecting` and `where`,
// "SliceBackward" for `slicing`, "MaximumBackward" or "MinimumBackward" for
// `clamped`.

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

// MARK: - By a mask: where and clamp

extension Tensor {
  /// Element-wise choice (PyTorch's `torch.where(condition, a, b)`): `a`
  /// where `condition` is true, `b` where it is false. `a` and `b` broadcast
  /// (NumPy rules) and `condition` holds one flag per element of their
  /// broadcast shape, in row-major order. Backward: the gradient goes to `a`
  /// where the condition is true and to `b` where it is false (summed back
  /// over broadcast axes); the other operand gets exactly 0 there, even
  /// where its value is infinite or NaN.
  ///
  /// ```
  /// where(c, a, b)[i] = c[i] ? a[i] : b[i]
  /// ∂/∂a[i] = c[i] ? 1 : 0,  ∂/∂b[i] = c[i] ? 0 : 1
  /// ```
  ///
  /// ```swift
  /// let x: Tensor<Double> = [-1, 2, -3]
  /// Tensor.where(x.scalars.map { $0 > 0 }, x, Tensor(0)).scalars   // [0, 2, 0]
  /// ```
  ///
  /// See also: `clamped(min:max:)`, `Tensor.maximum(_:_:)`.
  @inlinable
  public static func `where`(_ condition: [Bool], _ a: Tensor, _ b: Tensor) -> Tensor {
    let sa = a.shape, sb = b.shape
    guard let outShape = _broadcastShapeIfCompatible(sa, sb) else {
      fatalError("Tensor.where: shapes \(sa) and \(sb) cannot be broadcast together")
    }
    let n = _elementCount(outShape)
    guard condition.count == n else {
      fatalError(
        "Tensor.where: the condition has \(condition.count) elements, but shapes \(sa) and \(sb) broadcast to \(outShape) (\(n) elements)")
    }
    let value: Tensor = a._withScalars { pa, _ in
      b._withScalars { pb, _ in
        Tensor(_shape: outShape) { q, _ in
          _broadcastLoop(outShape, sa, sb) { i, ia, ib in q[i] = condition[i] ? pa[ia] : pb[ib] }
        }
      }
    }
    let needA = a._requiresGrad, needB = b._requiresGrad
    return _recordNode(value, a, b, .custom { g in
      // The gradient is selected, not multiplied by a 0/1 mask, so that an
      // infinite adjoint gives 0 (not NaN) to the operand not chosen.
      func masked(_ keep: Bool, _ shape: [Int]) -> Tensor {
        g._withScalars { pg, _ in
          Tensor(_shape: outShape) { q, n in for i in 0..<n { q[i] = condition[i] == keep ? pg[i] : 0 } }
        }._summed(toShape: shape)
      }
      return [needA ? masked(true, sa) : nil, needB ? masked(false, sb) : nil]
    }, .index)
  }

  /// Each element limited to `range` (PyTorch's `clamp`); see
  /// `clamped(min:max:)`.
  ///
  /// ```swift
  /// Tensor<Double>([-2, 0.5, 3]).clamped(to: -1...1).scalars   // [-1, 0.5, 1]
  /// ```
  @inlinable
  public func clamped(to range: ClosedRange<Scalar>) -> Tensor {
    _clamped(range.lowerBound, range.upperBound, "clamped(to:)")
  }

  /// Each element limited to `min...max` (PyTorch's `clamp(min, max)`): a
  /// NaN stays NaN. Backward: 1 where min ≤ x ≤ max (bounds included, as in
  /// PyTorch), 0 outside and at NaN. Traps when min > max or a bound is NaN.
  ///
  /// ```
  /// clamp(x) = min(max(x, lo), hi),   clamp′(x) = lo ≤ x ≤ hi ? 1 : 0
  /// ```
  ///
  /// ```swift
  /// let x = Tensor<Double>([-2, -1, 0.5, 3], requiresGrad: true)
  /// x.clamped(min: -1, max: 1).sum().backward()
  /// x.grad!.scalars   // [0, 1, 1, 0]
  /// ```
  ///
  /// See also: `clamped(min:)`, `clamped(max:)`, `clamped(to:)`, `relu()`.
  @inlinable
  public func clamped(min lower: Scalar, max upper: Scalar) -> Tensor {
    _clamped(lower, upper, "clamped(min:max:)")
  }

  /// Each element at least `min` (PyTorch's `clamp(min=…)`); the gradient
  /// is 1 where x ≥ min, as in `clamped(min:max:)`.
  ///
  /// ```swift
  /// Tensor<Double>([-2, 3]).clamped(min: 0).scalars   // [0, 3]
  /// ```
  @inlinable
  public func clamped(min lower: Scalar) -> Tensor { _clamped(lower, nil, "clamped(min:)") }

  /// Each element at most `max` (PyTorch's `clamp(max=…)`); the gradient is
  /// 1 where x ≤ max, as in `clamped(min:max:)`.
  ///
  /// ```swift
  /// Tensor<Double>([-2, 3]).clamped(max: 0).scalars   // [-2, 0]
  /// ```
  @inlinable
  public func clamped(max upper: Scalar) -> Tensor { _clamped(nil, upper, "clamped(max:)") }

  @inlinable
  func _clamped(_ lower: Scalar?, _ upper: Scalar?, _ operation: String) -> Tensor {
    if let lo = lower, lo != lo { _clampBoundsFailure(lower, upper, operation) }
    if let hi = upper, hi != hi { _clampBoundsFailure(lower, upper, operation) }
    if let lo = lower, let hi = upper, lo > hi { _clampBoundsFailure(lower, upper, operation) }
    // Recorded as the outer operation of min(max(x, lo), hi).
    return Tensor._unary(self, lower == nil ? .minimum : .maximum) { v in
      // Clamp′ = 1 on the closed interval (PyTorch's clamp_backward), so a
      // value at a bound passes its gradient; NaN fails both tests and stays.
      if let lo = lower, v < lo { return (lo, 0) }
      if let hi = upper, v > hi { return (hi, 0) }
      return (v, v == v ? 1 : 0)
    }
  }

  @usableFromInline @inline(never)
  func _clampBoundsFailure(_ lower: Scalar?, _ upper: Scalar?, _ operation: String) -> Never {
    let bounds = [lower.map { "min \($0.primalDouble)" }, upper.map { "max \($0.primalDouble)" }]
      .compactMap { $0 }.joined(separator: ", ")
    fatalError("Tensor.\(operation): the bounds (\(bounds)) must not be NaN and min must not exceed max (shape \(shape))")
  }
}

/// The NumPy broadcast of two shapes, or nil when they do not broadcast.
@inlinable
func _broadcastShapeIfCompatible(_ a: [Int], _ b: [Int]) -> [Int]? {
  let n = Swift.max(a.count, b.count)
  var out = [Int](repeating: 1, count: n)
  for i in 0..<n {
    let da = i < n - a.count ? 1 : a[i - (n - a.count)]
    let db = i < n - b.count ? 1 : b[i - (n - b.count)]
    guard da == db || da == 1 || db == 1 else { return nil }
    out[i] = da == 1 ? db : da
  }
  return out
}

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
