import DifferentiableModule

/// A function ℝⁿ → ℝᵐ written once, generically, so that Leibniz can evaluate it
/// on plain numbers, forward-mode duals (`MultiDual`, `Dual`) and reverse-mode
/// scalars (`ReverseScalar`); it also runs on `Tensor`.
///
/// Swift closures cannot be generic, so a function to be differentiated in
/// several modes is a type with a generic `callAsFunction`:
///
/// ```swift
/// struct Polar: VectorFunction {               // (r, θ) ↦ (r cos θ, r sin θ)
///   func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
///     [x[0] * cos(x[1]), x[0] * sin(x[1])]
///   }
/// }
/// let J = jacobian(at: [2.0, 0.5], of: Polar())   // 2×2
/// ```
///
/// The output length must not depend on the point. A conforming type that is
/// also `Sendable` (structs of `Sendable` properties are, implicitly) lets a
/// large Jacobian be computed on several cores.
///
/// See also: `ScalarFunction`, `jacobian(at:mode:of:)`, `checkDerivatives(at:of:)`.
public protocol VectorFunction {
  /// The value `f(x)`, for any `Differentiable` number type.
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T]
}
