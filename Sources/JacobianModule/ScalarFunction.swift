import DifferentiableModule

/// A function ℝⁿ → ℝ (a loss, an energy, a log-likelihood) written once,
/// generically, so that Leibniz can evaluate it in every mode.
///
/// ```swift
/// struct Rosenbrock: ScalarFunction {
///   func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
///     (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
///   }
/// }
/// let g = gradient(at: [1.5, 2.0], of: Rosenbrock())     // reverse mode
/// let H = hessian(at: [1.5, 2.0], of: Rosenbrock())      // forward over reverse
/// ```
///
/// See also: `VectorFunction`, `gradient(at:of:)`, `hessian(at:of:)`.
public protocol ScalarFunction {
  /// The value `f(x)`, for any scalar number type of the modes; it may
  /// branch on values (see `VectorFunction` for what each mode returns at a
  /// kink). A conformance may also be written over `T: Differentiable`.
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T
}

/// A scalar function seen as a vector function with one output, so that the
/// Jacobian machinery (a 1×n matrix: the gradient as a row) serves both kinds.
@frozen @usableFromInline
package struct ScalarFunctionAsVector<F: ScalarFunction>: VectorFunction {
  @usableFromInline let function: F
  @inlinable package init(_ function: F) { self.function = function }
  @inlinable @inline(__always)
  package func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { [function(x)] }
}

extension ScalarFunctionAsVector: Sendable where F: Sendable {}
