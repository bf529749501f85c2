import DifferentiableModule

/// The matrix product, `[m, k] · [k, n] → [m, n]`. As in NumPy and PyTorch a
/// 1-d operand is a vector: `[m, k] · [k] → [m]`, `[k] · [k, n] → [n]` and
/// `[k] · [k] → []` (the dot product). Traps when the inner extents differ or
/// an operand has more than 2 axes (no batched products).
///
/// ```swift
/// let y = matmul(X, w) + b       // X: [3, 1], w: [1, 1], b: [1, 1]
/// let v = matmul(A, x)           // A: [2, 3], x: [3] → [2]
/// ```
///
/// Backward: `∂/∂a = g·bᵀ`, `∂/∂b = aᵀ·g`. For `Double` the product runs a
/// blocked SIMD kernel on two threads when it is large enough.
@inlinable
public func matmul<Scalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
  let sa = a.shape, sb = b.shape
  guard (1...2).contains(sa.count), (1...2).contains(sb.count), sa[sa.count - 1] == sb[0] else {
    fatalError("matmul: shapes \(sa) and \(sb) do not multiply (need [m, k] or [k], and [k, n] or [k])")
  }
  if sa.count == 1 || sb.count == 1 {
    // Vectors as one-row / one-column matrices, then the vector axes dropped.
    let a2 = sa.count == 1 ? a.reshaped(to: [1, sa[0]]) : a
    let b2 = sb.count == 1 ? b.reshaped(to: [sb[0], 1]) : b
    return matmul(a2, b2).reshaped(to: (sa.count == 2 ? [sa[0]] : []) + (sb.count == 2 ? [sb[1]] : []))
  }
  let value = Tensor<Scalar>._matmulPlain(a, b)
  let ac = a._constant, bc = b._constant
  let needA = a._requiresGrad, needB = b._requiresGrad
  return Tensor._recordNode(value, [a, b], .custom { g in
    [needA ? Tensor._matmulPlain(g, bc._transposedPlain([1, 0])) : nil,
     needB ? Tensor._matmulPlain(ac._transposedPlain([1, 0]), g) : nil]
  }, .matmul)
}

extension Tensor {
  /// The product of two 2-d tensors without recording.
  @inlinable
  static func _matmulPlain(_ a: Tensor, _ b: Tensor) -> Tensor {
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    return a._withScalars { pa, _ in
      b._withScalars { pb, _ in
        Tensor(_shape: [m, n]) { pc, _ in
          if Scalar.self == Double.self {
            _gemmDouble(
              m, n, k, UnsafeRawPointer(pa).assumingMemoryBound(to: Double.self),
              UnsafeRawPointer(pb).assumingMemoryBound(to: Double.self),
              UnsafeMutableRawPointer(pc).assumingMemoryBound(to: Double.self))
            return
          }
          pc.update(repeating: 0, count: m * n)
          for i in 0..<m {
            let row = pc + i * n
            for p in 0..<k {
              let aip = pa[i * k + p]
              let brow = pb + p * n
              for j in 0..<n { row[j] += aip * brow[j] }
            }
          }
        }
      }
    }
  }
}
