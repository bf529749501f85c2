import DifferentiableModule
import TensorModule

/// The gradient of a scalar function f: ℝⁿ → ℝ at x, by reverse mode (one
/// recording, one sweep, whatever n is).
///
/// ```
/// gradient(at: x, of: f) = ∇f(x) = (∂f/∂x₀, …, ∂f/∂xₙ₋₁)
/// ```
///
/// ```swift
/// let g = gradient(at: [1.5, 2.0], of: Rosenbrock())
/// ```
///
/// See also: `valueWithGradient(at:of:)`, `hessian(at:of:)`,
/// `checkDerivatives(at:of:)`; `directionalDerivative(at:along:of:)` for ∇f·v in forward mode.
@inlinable
public func gradient<S: JacobianScalar, F: ScalarFunction>(at x: [S], of f: F) -> [S] {
  valueWithGradient(at: x, of: f).gradient
}

/// The value f(x) and the gradient ∇f(x), from one recording and one reverse sweep.
///
/// ```swift
/// let (loss, g) = valueWithGradient(at: [1.5, 2.0], of: Rosenbrock())
/// ```
@inlinable
public func valueWithGradient<S: JacobianScalar, F: ScalarFunction>(
  at x: [S], of f: F
) -> (value: S, gradient: [S]) {
  let (y, products) = reverseScalarProducts(
    "gradient", at: x, of: { [f($0)] }) { _ in [[1]] }
  return (y[0], products[0])
}
