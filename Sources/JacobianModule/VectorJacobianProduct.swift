import DifferentiableModule
import TensorModule

/// The vector-Jacobian product uᵀ·J of f: ℝⁿ → ℝᵐ at x, from one recording of
/// f and one reverse sweep (no Jacobian is formed).
///
/// ```
/// vjp(at: x, cotangent: u, of: f) = uᵀ·J(x),   (uᵀJ)ⱼ = Σᵢ uᵢ · ∂fᵢ/∂xⱼ
/// ```
///
/// ```swift
/// let uJ = vjp(at: [2.0, 0.5], cotangent: [1, 0], of: Polar())   // row 0 of J
/// ```
///
/// Stops with a message if `cotangent` does not have one entry per output.
///
/// See also: `valueWithVJP(at:cotangent:of:)`, `jvp(at:direction:of:)`,
/// `gradient(at:of:)` (the VJP of a scalar function with cotangent 1).
@inlinable
public func vjp<S: JacobianScalar, F: VectorFunction>(
  at x: [S], cotangent u: [S], of f: F
) -> [S] {
  valueWithVJP(at: x, cotangent: u, of: f).vjp
}

/// The value f(x) and the vector-Jacobian product uᵀ·J, from one recording and
/// one reverse sweep.
///
/// ```swift
/// let (y, uJ) = valueWithVJP(at: [2.0, 0.5], cotangent: [1, 1], of: Polar())
/// ```
@inlinable
public func valueWithVJP<S: JacobianScalar, F: VectorFunction>(
  at x: [S], cotangent u: [S], of f: F
) -> (value: [S], vjp: [S]) {
  let (y, products) = reverseScalarProducts("vjp", at: x, of: { f($0) }) { _ in [u] }
  return (y, products[0])
}
