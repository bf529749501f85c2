import DifferentiableModule

extension Tensor {
  /// The logarithm of the softmax along an axis (default the last), computed
  /// stably as x − logSumExp(x) without forming the softmax (PyTorch's
  /// `log_softmax`): finite for any finite input, e.g. around 1000 where
  /// exp overflows. Backward: g − softmax(x)·Σ g along the axis.
  ///
  /// ```
  /// logSoftmax(x)ᵢ = xᵢ − log Σⱼ exp(xⱼ) = (xᵢ − m) − log Σⱼ exp(xⱼ − m),   m = maxⱼ xⱼ
  /// ```
  ///
  /// As for `softmax(alongAxis:)`, a slice holding +∞, a NaN, or only −∞
  /// gives NaN throughout that slice (as in PyTorch); −∞ next to finite
  /// values gives −∞. A 0-d tensor gives 0 (log of its softmax, 1).
  ///
  /// ```swift
  /// Tensor<Double>([0, 0]).logSoftmax().scalars         // [-log 2, -log 2]
  /// Tensor<Float>([1000, 1000]).logSoftmax().scalars    // [-0.6931472, -0.6931472]
  /// let logits = Tensor<Double>([1, 2, 3, 1, 1, 1], shape: [2, 3], requiresGrad: true)
  /// let nll = -logits.logSoftmax(alongAxis: 1).selecting(index: 2, alongAxis: 1).mean()
  /// ```
  ///
  /// See also: `softmax(alongAxis:)`, `logSumExp(alongAxes:)`.
  @inlinable
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    // x − x: 0, with gradient 0 (NaN at ±∞ and NaN, as x − max is there).
    guard rank > 0 else { return self - self }
    let ax = _normalizedAxes([axis], "logSoftmax(alongAxis:)")
    if scalarCount == 0 { return self - self }
    // Shifting by the maximum m first, as a constant, leaves the function
    // (and so its gradient) unchanged, and makes the subtraction exact where
    // x ≈ m: then logSumExp(x − m) = log Σ exp(x − m), between 0 and log n,
    // whereas logSumExp(x) ≈ m carries m's rounding error (in Float, 6e-5 at
    // m = 1000) into every result.
    let shifted = self - _extremumPlain(ax)
    return shifted - shifted.logSumExp(alongAxes: ax)
  }
}
