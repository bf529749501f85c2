import DifferentiableModule

extension Tensor {
  @inlinable
  public static func -= (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "-=") { $0 - $1 }
  }

  /// `lhs += rhs`, an in-place update of a leaf inside `withoutGradients`
  /// (see `-=`).
  ///
  /// ```swift
  /// withoutGradients { w += 0.01 * direction }
  /// ```
  @inlinable
  public static func += (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "+=") { $0 + $1 }
  }

  /// `lhs *= rhs`, an in-place update of a leaf inside `withoutGradients`
  /// (see `-=`).
  ///
  /// ```swift
  /// withoutGradients { w *= 0.9 }
  /// ```
  @inlinable
  public static func *= (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "*=") { $0 * $1 }
  }

  /// `lhs /= rhs`, an in-place update of a leaf inside `withoutGradients`
  /// (see `-=`).
  ///
  /// ```swift
  /// withoutGradients { w /= 2 }
  /// ```
  @inlinable
  public static func /= (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "/=") { $0 / $1 }
  }
}


extension Tensor {
  // The same four with a number on the right. Without them, a decimal
  // literal on the right would select the protocol's general `*=`
  // (`lhs = lhs * rhs`, since the literal's default type Double matches that
  // overload's literal first), and `withoutGradients { w *= 0.9 }` would turn
  // the leaf into a constant and drop its `grad`.

  /// `lhs -= rhs` with a number (see the `Tensor` version).
  @inlinable
  public static func -= (lhs: inout Tensor, rhs: Double) { lhs -= Tensor(rhs) }

  /// `lhs += rhs` with a number (see the `Tensor` version).
  @inlinable
  public static func += (lhs: inout Tensor, rhs: Double) { lhs += Tensor(rhs) }

  /// `lhs *= rhs` with a number (see the `Tensor` version).
  ///
  /// ```swift
  /// withoutGradients { w *= 0.9 }   // w stays the same leaf
  /// ```
  @inlinable
  public static func *= (lhs: inout Tensor, rhs: Double) { lhs *= Tensor(rhs) }

  /// `lhs /= rhs` with a number (see the `Tensor` version).
  @inlinable
  public static func /= (lhs: inout Tensor, rhs: Double) { lhs /= Tensor(rhs) }
}

extension Tensor {
  /// `lhs = op(lhs, rhs)`, keeping `lhs` the same leaf when it is a leaf that
  /// requires gradients and nothing was recorded (inside `withoutGradients`).
  /// Such an in-place update cannot change the leaf's shape (as in PyTorch):
  /// the tapes that recorded the leaf know its shape.
  @inlinable
  static func _updateInPlace(
    _ lhs: inout Tensor, _ rhs: Tensor, _ name: StaticString, _ op: (Tensor, Tensor) -> Tensor
  ) {
    let leaf = lhs._leaf
    let result = op(lhs, rhs)
    guard let leaf, result._node == nil else {
      lhs = result
      return
    }
    if result.shape != lhs.shape {
      fatalError("""
        Tensor \(name): an in-place update of a leaf that requires gradients cannot change its \
        shape \(lhs.shape) (the result of \(lhs.shape) \(name) \(rhs.shape) has shape \(result.shape))
        """)
    }
    lhs = result
    lhs._leaf = leaf
  }
}

