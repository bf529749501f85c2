import DifferentiableModule

extension Tensor {
  /// The sum of all elements, a 0-d tensor, added pairwise (error about
  /// log₂(n)·ε, so long Float sums stay accurate). Backward: the gradient is
  /// spread to every element.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3]).sum().scalar   // 6
  /// ```
  @inlinable
  public func sum() -> Tensor {
    if _storage == nil { return self }
    let total = _withScalars { p, n in _pairwiseSum(p, n) }
    let shape = self.shape
    return Tensor._recordNode(
      Tensor(_value: total), [self], .custom { g in [Tensor.full(g.scalar, shape: shape)] }, .sum)
  }

  /// The mean of all elements, a 0-d tensor; NaN for a tensor without
  /// elements (0/0, as NumPy and PyTorch give), with gradient 0 (there is no
  /// element to receive one).
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3]).mean().scalar  // 2
  /// Tensor<Double>.zeros([0]).mean().scalar  // nan
  /// ```
  @inlinable
  public func mean() -> Tensor {
    if _storage == nil { return self }
    let n = scalarCount
    let total = _withScalars { p, n in _pairwiseSum(p, n) }
    let shape = self.shape
    let scale = 1 / Scalar(Double(n))
    return Tensor._recordNode(
      Tensor(_value: total * scale), [self],
      .custom { g in [Tensor.full(g.scalar * scale, shape: shape)] }, .mean)
  }

  /// Sums along the given axes, keeping them with extent 1 (negative axes
  /// count from the end; an axis named twice traps; no axes is the
  /// identity). Added pairwise, as `sum()`.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).sum(alongAxes: 1).scalars   // [3, 7], shape [2, 1]
  /// ```
  @inlinable
  public func sum(alongAxes axes: Int...) -> Tensor { sum(alongAxes: axes) }

  /// Sums along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// x.sum(alongAxes: [0, 1])
  /// ```
  @inlinable
  public func sum(alongAxes axes: [Int]) -> Tensor {
    let ax = _normalizedAxes(axes, "sum(alongAxes:)")
    let shape = self.shape
    return Tensor._recordNode(
      _sumPlain(keepingAxes: ax), [self], .custom { g in [g._expandedPlain(to: shape)] }, .sum)
  }

  /// Means along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).mean(alongAxes: 0).scalars  // [2, 3], shape [1, 2]
  /// ```
  @inlinable
  public func mean(alongAxes axes: Int...) -> Tensor { mean(alongAxes: axes) }

  /// Means along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// x.mean(alongAxes: [0])
  /// ```
  @inlinable
  public func mean(alongAxes axes: [Int]) -> Tensor {
    let ax = _normalizedAxes(axes, "mean(alongAxes:)")
    var n = 1
    for a in ax { n *= shape[a] }
    let scale = Tensor(_value: 1 / Scalar(Double(n)))
    let shape = self.shape
    let value = _sumPlain(keepingAxes: ax) * scale
    return Tensor._recordNode(
      value, [self], .custom { g in [(g * scale)._expandedPlain(to: shape)] }, .mean)
  }
}
