import DifferentiableModule

// PyTorch's `flatten`, `squeeze` and `unsqueeze`. Each is `reshaped(to:)` to
// the shape it computes (the elements keep their row-major order), so each
// records one `ReshapeBackward` node whose rule reshapes the gradient back.

// MARK: - Flatten

extension Tensor {
  /// The elements as a 1-d tensor, in row-major order (PyTorch's
  /// `flatten()`); a 0-d tensor gives one element. Backward: the gradient
  /// reshaped back.
  ///
  /// ```
  /// flattened(x).shape = [x.scalarCount]
  /// ```
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).flattened().scalars   // [1, 2, 3, 4], shape [4]
  /// ```
  ///
  /// See also: `reshaped(to:)`, `squeezed()`.
  @inlinable
  public func flattened() -> Tensor {
    reshaped(to: [scalarCount])
  }
}

// MARK: - Squeeze and unsqueeze

extension Tensor {
  /// The tensor without its axes of extent 1 (PyTorch's `squeeze()`); a
  /// tensor whose axes all have extent 1 becomes 0-d.
  ///
  /// ```
  /// squeezed(x).shape = x.shape without its 1s
  /// ```
  ///
  /// ```swift
  /// Tensor<Double>.zeros([1, 3, 1, 2]).squeezed().shape   // [3, 2]
  /// ```
  ///
  /// See also: `squeezed(axis:)`, `unsqueezed(axis:)`.
  @inlinable
  public func squeezed() -> Tensor {
    reshaped(to: shape.filter { $0 != 1 })
  }

  /// The tensor without axis `axis`, which must have extent 1 (negative axes
  /// count from the end). Unlike PyTorch's `squeeze(dim)`, which leaves other
  /// extents alone, an extent other than 1 traps, naming the axis and shape.
  ///
  /// ```
  /// squeezed(x, axis: k).shape = x.shape with element k (= 1) removed
  /// ```
  ///
  /// ```swift
  /// Tensor<Double>.zeros([2, 1, 3]).squeezed(axis: 1).shape    // [2, 3]
  /// Tensor<Double>.zeros([2, 3, 1]).squeezed(axis: -1).shape   // [2, 3]
  /// ```
  ///
  /// See also: `squeezed()`, `unsqueezed(axis:)`.
  @inlinable
  public func squeezed(axis: Int) -> Tensor {
    let ax = _normalizedAxes([axis], "squeezed(axis:)")[0]
    var target = shape
    guard target[ax] == 1 else { _squeezeExtentFailure(axis) }
    target.remove(at: ax)
    return reshaped(to: target)
  }

  @usableFromInline @inline(never)
  func _squeezeExtentFailure(_ axis: Int) -> Never {
    let ax = axis < 0 ? axis + rank : axis
    fatalError("Tensor.squeezed(axis:): axis \(axis) of shape \(shape) has extent \(shape[ax]), not 1")
  }

  /// The tensor with a new axis of extent 1 at position `axis` of the result
  /// (PyTorch's `unsqueeze(dim)`): `axis` is in `-(rank + 1)...rank`, and a
  /// negative axis counts from the end of the result (-1 appends).
  ///
  /// ```
  /// unsqueezed(x, axis: k).shape = x.shape with 1 inserted at k
  /// ```
  ///
  /// ```swift
  /// let v = Tensor<Double>([1, 2, 3])
  /// v.unsqueezed(axis: 0).shape    // [1, 3]
  /// v.unsqueezed(axis: -1).shape   // [3, 1]
  /// ```
  ///
  /// See also: `squeezed(axis:)`, `reshaped(to:)`.
  @inlinable
  public func unsqueezed(axis: Int) -> Tensor {
    let r = rank
    let ax = axis < 0 ? axis + r + 1 : axis
    guard ax >= 0 && ax <= r else { _unsqueezeAxisFailure(axis) }
    var target = shape
    target.insert(1, at: ax)
    return reshaped(to: target)
  }

  @usableFromInline @inline(never)
  func _unsqueezeAxisFailure(_ axis: Int) -> Never {
    fatalError(
      "Tensor.unsqueezed(axis:): axis \(axis) is out of range for shape \(shape) (the axis must be in \(-(rank + 1))...\(rank))")
  }
}
