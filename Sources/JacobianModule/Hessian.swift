import DifferentiableModule
import TensorModule
import DualModule

/// The Hessian matrix of a scalar function f: ℝⁿ → ℝ at x, by forward over
/// reverse mode: the reverse-mode gradient evaluated on dual numbers, whose
/// tangents are columns of the Hessian.
///
/// ```
/// H[i, j] = ∂²f/∂xᵢ∂xⱼ        (symmetric)
/// ```
///
/// ```swift
/// let H = hessian(at: [1.5, 2.0], of: Rosenbrock())    // 2×2
/// ```
///
/// Eight columns per pass: the gradient is recorded once on 8-partial duals
/// (`ReverseScalar<MultiDual<SIMD8<S>>>`) seeded with eight unit directions,
/// and one reverse sweep gives eight Hessian-vector products.
///
/// See also: `hvp(at:direction:of:)`, `gradient(at:of:)`.
@inlinable
public func hessian<S: JacobianScalar, F: ScalarFunction>(at x: [S], of f: F) -> Matrix<S> {
  typealias D = MultiDual<SIMD8<S>>
  let n = x.count
  var elements = [S](repeating: 0, count: n * n)
  var start = 0
  while start < n {
    let point = (0..<n).map { j in
      j >= start && j < start + 8 ? D.variable(x[j], index: j - start) : D(x[j])
    }
    let (_, products) = reverseScalarProducts(
      "hessian", at: point, of: { [f($0)] }) { _ in [[D(1)]] }
    for i in 0..<n {
      let partials = products[0][i].partials
      for k in 0..<Swift.min(8, n - start) { elements[i * n + start + k] = partials[k] }
    }
    start += 8
  }
  return Matrix(rows: n, columns: n, elements: elements)
}

/// The Hessian-vector product H·v of a scalar function at x, by forward over
/// reverse mode (one recording on `Dual` numbers, one sweep; no Hessian is formed).
///
/// ```
/// hvp(at: x, direction: v, of: f) = ∇²f(x)·v = d/dε ∇f(x + εv) at ε = 0
/// ```
///
/// ```swift
/// let Hv = hvp(at: [1.5, 2.0], direction: [1, 0], of: Rosenbrock())   // column 0 of H
/// ```
///
/// Stops with a message if `direction` and `x` differ in length.
@inlinable
public func hvp<S: JacobianScalar, F: ScalarFunction>(
  at x: [S], direction v: [S], of f: F
) -> [S] {
  if x.count != v.count { _hvpSizeMismatch(x.count, v.count) }
  let point = (0..<x.count).map { Dual(x[$0], tangent: v[$0]) }
  let (_, products) = reverseScalarProducts(
    "hvp", at: point, of: { [f($0)] }) { _ in [[Dual<S>(1)]] }
  return products[0].map(\.tangent)
}

@inline(never) @usableFromInline
func _hvpSizeMismatch(_ n: Int, _ k: Int) -> Never {
  fatalError("hvp: the point has \(n) coordinates but the direction has \(k)")
}
