import DifferentiableModule

// Clamping (PyTorch's `clamp`): each element limited to a closed interval,
// recorded as one element-wise operation, "ClampBackward".

extension Tensor {
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
    return Tensor._unary(self, .clamp) { v in
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
