import DifferentiableModule

// Choosing elements by a mask (`torch.where`) and clamping (`clamp`), built
// from existing operations: `where` reports "IndexBackward", `clamped`
// "MaximumBackward" or "MinimumBackward" as its `gradFunction`.

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
    guard let outShape = _broadcastShapeIfPossible(sa, sb) else {
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
