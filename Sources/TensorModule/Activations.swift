import DifferentiableModule

extension Tensor {
  /// Each element squared. Backward: 2x.
  ///
  /// ```swift
  /// Tensor<Double>([1, -2]).squared().scalars   // [1, 4]
  /// ```
  @inlinable
  public func squared() -> Tensor {
    Tensor._unary(self, .square) { v in (v * v, 2 * v) }
  }

  /// The rectified linear unit `max(x, 0)` element-wise; derivative 1 for
  /// x > 0 and 0 otherwise (0 at 0, as in PyTorch). NaN stays NaN, as in
  /// PyTorch and `clamped(min: 0)`, with derivative 0.
  ///
  /// ```swift
  /// Tensor<Double>([-1, 2]).relu().scalars   // [0, 2]
  /// ```
  @inlinable
  public func relu() -> Tensor {
    // v != v: NaN (a comparison with 0 would be false and give 0).
    Tensor._unary(self, .relu) { v in v > 0 ? (v, 1) : v != v ? (v, 0) : (0, 0) }
  }

  /// The logistic function 1/(1 + e⁻ˣ) element-wise; derivative s·(1 − s).
  ///
  /// ```swift
  /// Tensor<Double>(0).sigmoid().scalar   // 0.5
  /// ```
  @inlinable
  public func sigmoid() -> Tensor {
    Tensor._unary(self, .sigmoid) { v in
      // Evaluated on the side where the exponential cannot overflow, with
      // e = e^(−|x|): σ = 1/(1 + e) or e/(1 + e), and σ' = σ(1 − σ) as
      // e/(1 + e)², which keeps its digits where σ(1 − σ) cancels (x = 40).
      let e = Scalar.exp(v >= 0 ? -v : v)
      let r = 1 / (1 + e)
      return (v >= 0 ? r : e * r, e * r * r)
    }
  }

  /// The softmax along an axis (default the last): exp(x − max) normalised
  /// to sum 1. Backward: y·(g − Σ g·y).
  ///
  /// A slice holding +∞, a NaN, or only −∞ gives NaN throughout that slice,
  /// as in PyTorch (exp(x − max) is then ∞ − ∞ or NaN): no finite value is
  /// made up, and other slices are unaffected. −∞ next to finite values gives 0.
  /// An empty tensor gives an empty tensor of its shape.
  ///
  /// ```swift
  /// Tensor<Double>([1, 1]).softmax().scalars             // [0.5, 0.5]
  /// Tensor<Double>([-.infinity, 0]).softmax().scalars    // [0, 1]
  /// Tensor<Double>([.infinity, 0]).softmax().scalars     // [nan, nan]
  /// ```
  @inlinable
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    guard rank > 0 else { return Tensor._recordNode(Tensor(_value: 1), [self], .custom { _ in [Tensor(_value: 0)] }, .softmax) }
    let ax = _normalizedAxes([axis], "softmax(alongAxis:)")
    // No elements: an empty result (as logSoftmax gives), not the trap of
    // the maximum below.
    if scalarCount == 0 { return self - self }
    let shape = self.shape
    let c = _constant
    let m = c._extremumPlain(ax)
    let e = Tensor.exp(c - m)
    let y = e / e._sumPlain(keepingAxes: ax)
    return Tensor._recordNode(y, [self], .custom { g in
      [y * (g - (g * y)._sumPlain(keepingAxes: ax))._expandedPlain(to: shape)]
    }, .softmax)
  }

  /// log Σ exp(x) over all elements (a 0-d tensor), computed stably.
  /// Backward: softmax(x)·g.
  ///
  /// Infinities give the limits, as in PyTorch: +∞ anywhere gives +∞, only −∞
  /// (or no element at all) gives −∞; a NaN gives NaN.
  ///
  /// ```swift
  /// Tensor<Double>([0, 0]).logSumExp().scalar           // log 2
  /// Tensor<Double>([.infinity, 0]).logSumExp().scalar   // +∞
  /// ```
  @inlinable
  public func logSumExp() -> Tensor {
    if _storage == nil { return self }
    return _logSumExp(Array(0..<rank), keepingAxes: false)
  }

  /// log Σ exp(x) along the given axes, kept with extent 1 (negative axes
  /// count from the end).
  ///
  /// ```swift
  /// Tensor<Double>([[0, 0], [1, 1]]).logSumExp(alongAxes: 1)   // [log 2, 1 + log 2], shape [2, 1]
  /// ```
  @inlinable
  public func logSumExp(alongAxes axes: Int...) -> Tensor { logSumExp(alongAxes: axes) }

  /// log Σ exp(x) along the given axes, kept with extent 1; infinities give
  /// the limits, as in `logSumExp()`.
  ///
  /// ```swift
  /// x.logSumExp(alongAxes: [1])      // shape [n, 1]
  /// ```
  @inlinable
  public func logSumExp(alongAxes axes: [Int]) -> Tensor {
    _logSumExp(_normalizedAxes(axes, "logSumExp(alongAxes:)"), keepingAxes: true)
  }

  /// log Σ exp(x) along the normalized axes `ax`, kept with extent 1 or (for
  /// all axes) dropped to a 0-d result, recorded as one node, so that the
  /// result's `gradFunction` is "LogsumexpBackward" either way.
  @inlinable
  func _logSumExp(_ ax: [Int], keepingAxes: Bool) -> Tensor {
    let shape = self.shape
    let c = _constant
    // Shifted by the maximum m when it is finite, so that no exponential
    // overflows; by 0 otherwise, since x − m would be ∞ − ∞ = NaN: then
    // exp(+∞) = ∞ gives log Σ = +∞, a slice of −∞ gives log 0 = −∞, and a
    // NaN maximum stays NaN. (`m - m == 0` is false exactly for ±∞ and NaN.)
    // No elements have no maximum: shifted by 0, the sum over none gives
    // log 0 = −∞, as in PyTorch.
    let m = scalarCount == 0
      ? Tensor.zeros(_keptShape(ax)) : c._extremumPlain(ax)._mappedPlain { m in m - m == 0 ? m : 0 }
    let e = Tensor.exp(c - m)
    let s = e._sumPlain(keepingAxes: ax)
    let kept = Tensor.log(s) + m
    let value = keepingAxes ? kept : kept._reshapedPlain([])
    let softmax = e / s
    // (A 0-d g broadcasts to the input's shape as a kept one does.)
    return Tensor._recordNode(value, [self], .custom { g in
      [softmax * g._expandedPlain(to: shape)]
    }, .logSumExp)
  }

  /// The maximum along axes (kept), without recording; NaN if a reduced
  /// element is NaN.
  @inlinable
  func _extremumPlain(_ axes: [Int]) -> Tensor {
    withoutGradients { _constant._extremum(axes, true, .max) }
  }

  /// `f` applied to each element, without recording.
  @inlinable
  func _mappedPlain(_ f: (Scalar) -> Scalar) -> Tensor {
    _withScalars { p, _ in Tensor(_shape: shape) { q, n in for i in 0..<n { q[i] = f(p[i]) } } }
  }
}
