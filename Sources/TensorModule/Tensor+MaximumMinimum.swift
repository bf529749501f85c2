import DifferentiableModule

extension Tensor {
  /// Element-wise maximum with broadcasting; at a tie the gradient is split
  /// evenly (as for `Dual`, PyTorch and JAX). A NaN element loses to a
  /// number, as in `Double.maximum` and forward mode (PyTorch's
  /// `torch.maximum` would give NaN), and the gradient goes to the number.
  ///
  /// ```swift
  /// Tensor.maximum(Tensor([1, 5]), Tensor([3, 2])).scalars   // [3, 5]
  /// ```
  @inlinable
  public static func maximum(_ x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .maximum, .computed) { a, b in _selecting(DerivativeRules.maximum(a, b), a, b) }
  }

  /// Element-wise minimum with broadcasting; ties split the gradient evenly,
  /// and a NaN element loses to a number (see `maximum`).
  ///
  /// ```swift
  /// Tensor.minimum(Tensor([1, 5]), Tensor([3, 2])).scalars   // [1, 2]
  /// ```
  @inlinable
  public static func minimum(_ x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .minimum, .computed) { a, b in _selecting(DerivativeRules.minimum(a, b), a, b) }
  }

  /// `lhs -= rhs`. Inside `withoutGradients` on a leaf that requires gradients
  /// this is an in-place update: the result stays the same leaf (its `grad`
  /// and `requiresGrad` are kept), as for PyTorch's `w -= lr * w.grad`.
  /// Elsewhere it is `lhs = lhs - rhs`.
  ///
  /// ```swift
  /// withoutGradients { w -= 0.01 * w.grad! }
  /// ```
}

extension Tensor {
  /// The value and partials of the argument that `DerivativeRules.maximum`
  /// or `.minimum` selected.
  @inlinable @inline(__always)
  static func _selecting(_ selection: Selection<Scalar>, _ a: Scalar, _ b: Scalar) -> (Scalar, Scalar, Scalar) {
    switch selection {
    case .x: return (a, 1, 0)
    case .y: return (b, 0, 1)
    case .tie(let v): return (v, 0.5, 0.5)
    }
  }
}

/// Element-wise maximum of two tensors (broadcasting); ties split the gradient.
///
/// ```swift
/// max(Tensor<Double>([1, 5]), Tensor([3, 2])).scalars   // [3, 5]
/// ```
@inlinable
public func max<S>(_ x: Tensor<S>, _ y: Tensor<S>) -> Tensor<S> { Tensor.maximum(x, y) }

/// Element-wise minimum of two tensors (broadcasting); ties split the gradient.
///
/// ```swift
/// min(Tensor<Double>([1, 5]), Tensor([3, 2])).scalars   // [1, 2]
/// ```
@inlinable
public func min<S>(_ x: Tensor<S>, _ y: Tensor<S>) -> Tensor<S> { Tensor.minimum(x, y) }
