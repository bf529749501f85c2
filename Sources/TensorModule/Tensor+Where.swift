import DifferentiableModule

// Choosing elements by a mask (`torch.where`); its results report
// "IndexBackward" as their `gradFunction`.

// MARK: - By a mask

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
}
