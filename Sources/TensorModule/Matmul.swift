import DifferentiableModule

/// The matrix product, `[m, k] · [k, n] → [m, n]`, batched and broadcast as
/// in NumPy and PyTorch:
/// - a 1-d operand is a vector: `[m, k] · [k] → [m]`, `[k] · [k, n] → [n]`
///   and `[k] · [k] → []` (the dot product);
/// - operands with more than 2 axes are stacks of matrices in their last two
///   axes, and the leading (batch) axes broadcast: `[b, m, k] · [k, n] →
///   [b, m, n]`, `[2, 1, m, k] · [3, k, n] → [2, 3, m, n]`.
///
/// Traps with both shapes in the message when the inner extents differ or
/// the batch axes do not broadcast.
///
/// ```swift
/// let y = matmul(X, w) + b       // X: [3, 1], w: [1, 1], b: [1, 1]
/// let v = matmul(A, x)           // A: [2, 3], x: [3] → [2]
/// let h = matmul(batch, W)       // batch: [8, 5, 3], W: [3, 4] → [8, 5, 4]
/// ```
///
/// Backward: `∂/∂a = g·bᵀ`, `∂/∂b = aᵀ·g`, summed over the batch axes an
/// operand was broadcast along. For `Double` and `Float` each product runs a blocked SIMD
/// kernel, on two threads when it is large enough.
@inlinable
public func matmul<Scalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
  let sa = a.shape, sb = b.shape
  let innerB = sb.count == 1 ? 0 : sb.count - 2
  guard !sa.isEmpty, !sb.isEmpty, sa[sa.count - 1] == sb[innerB] else {
    _matmulShapeFailure(sa, sb, "the inner extents differ (need [..., m, k] or [k], and [..., k, n] or [k])")
  }
  if sa.count == 1 || sb.count == 1 {
    // Vectors as one-row / one-column matrices, then the vector axes dropped.
    let a2 = sa.count == 1 ? a.reshaped(to: [1, sa[0]]) : a
    let b2 = sb.count == 1 ? b.reshaped(to: [sb[0], 1]) : b
    let product = matmul(a2, b2)
    var shape = product.shape
    if sb.count == 1 { shape.removeLast() }
    if sa.count == 1 { shape.remove(at: shape.count - (sb.count == 1 ? 1 : 2)) }
    return product.reshaped(to: shape)
  }
  if sa.count == 2 && sb.count == 2 {
    let value = Tensor<Scalar>._matmulPlain(a, b)
    let ac = a._constant, bc = b._constant
    let needA = a._requiresGrad, needB = b._requiresGrad
    return Tensor._recordNode(value, [a, b], .custom { g in
      [needA ? Tensor._matmulPlain(g, bc, transposingB: true) : nil,
       needB ? Tensor._matmulPlain(ac, g, transposingA: true) : nil]
    }, .matmul)
  }
  // Batched: broadcast the batch axes, then one product per matrix.
  let batchA = Array(sa.dropLast(2)), batchB = Array(sb.dropLast(2))
  guard let batch = _broadcastShapeIfPossible(batchA, batchB) else {
    _matmulShapeFailure(sa, sb, "the batch axes \(batchA) and \(batchB) do not broadcast")
  }
  let m = sa[sa.count - 2], k = sa[sa.count - 1], n = sb[sb.count - 1]
  let ae = a._expandedPlain(to: batch + [m, k]), be = b._expandedPlain(to: batch + [k, n])
  let value = Tensor<Scalar>._matmulPlain(ae, be)
  let needA = a._requiresGrad, needB = b._requiresGrad
  return Tensor._recordNode(value, [a, b], .custom { g in
    [needA ? Tensor._matmulPlain(g, be, transposingB: true)._summed(toShape: sa) : nil,
     needB ? Tensor._matmulPlain(ae, g, transposingA: true)._summed(toShape: sb) : nil]
  }, .matmul)
}

@usableFromInline @inline(never)
func _matmulShapeFailure(_ sa: [Int], _ sb: [Int], _ reason: String) -> Never {
  fatalError("matmul: shapes \(sa) and \(sb) do not multiply: \(reason)")
}

extension Tensor {
  /// The products of two stacks of matrices of the same batch shape (or of
  /// two matrices) without recording: `[..., m, k] · [..., k, n]`, with
  /// either operand's matrices read transposed when asked (Aᵀ·B, A·Bᵀ: the
  /// gradients of `matmul` need one of each). A `Double` or `Float` product
  /// reads a transposed operand in place; other scalar types take a
  /// transposed copy.
  @inlinable
  static func _matmulPlain(
    _ a: Tensor, _ b: Tensor, transposingA: Bool = false, transposingB: Bool = false
  ) -> Tensor {
    guard _hasPackedProduct(Scalar.self) || !(transposingA || transposingB) else {
      return _matmulPlain(transposingA ? a._transposedLastTwo() : a, transposingB ? b._transposedLastTwo() : b)
    }
    let sa = a.shape, sb = b.shape, r = sa.count
    let (m, k) = transposingA ? (sa[r - 1], sa[r - 2]) : (sa[r - 2], sa[r - 1])
    let n = transposingB ? sb[r - 2] : sb[r - 1]
    let batch = Array(sa.dropLast(2))
    let count = _elementCount(batch)
    return a._withScalars { pa, _ in
      b._withScalars { pb, _ in
        Tensor(_shape: batch + [m, n]) { pc, _ in
          for i in 0..<count {
            _matmulKernel(
              m, n, k, pa + i * m * k, transposingA: transposingA, pb + i * k * n, transposingB: transposingB,
              pc + i * m * n)
          }
        }
      }
    }
  }

  /// A copy with the last two axes swapped.
  @inlinable
  func _transposedLastTwo() -> Tensor {
    let r = rank
    var perm = Array(0..<r)
    perm.swapAt(r - 2, r - 1)
    return _transposedPlain(perm)
  }
}

/// C = op(A)·op(B) for row-major C: m×n (written, not accumulated), where op
/// reads a matrix transposed when asked (A held k×m, B held n×k); only the
/// packed kernel (Double, Float) is asked to transpose.
@inlinable
func _matmulKernel<Scalar: DifferentiableScalar>(
  _ m: Int, _ n: Int, _ k: Int, _ pa: UnsafePointer<Scalar>, transposingA: Bool,
  _ pb: UnsafePointer<Scalar>, transposingB: Bool, _ pc: UnsafeMutablePointer<Scalar>
) {
  if _gemmIfSupported(m, n, k, pa, transposingA: transposingA, pb, transposingB: transposingB, pc) { return }
  pc.update(repeating: 0, count: m * n)
  _gemmAccumulate(m, n, k, pa, pb, pc)
}
