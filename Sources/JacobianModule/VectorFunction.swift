import DifferentiableModule

/// A function ℝⁿ → ℝᵐ written once, generically, so that Leibniz can evaluate it
/// on plain numbers, forward-mode duals (`MultiDual`, `Dual`) and reverse-mode
/// scalars (`ReverseScalar`).
///
/// `T` is a `DifferentiableScalar`, so the function may branch on values
/// (`if x[0] > 0`, `max(a, b)`, a loop until a tolerance): every mode compares
/// primal values and differentiates the branch taken. At a kink (a value
/// exactly at the branch point) each mode returns the one-sided derivative of
/// the branch the comparison selects; `max`, `min` and `abs` follow the edge
/// conventions of `DerivativeRules` (half to each argument at a tie, 0 for
/// `abs` at 0), and finite differences straddle the kink.
///
/// Swift closures cannot be generic, so a function to be differentiated in
/// several modes is a type with a generic `callAsFunction`:
///
/// ```swift
/// struct Polar: VectorFunction {               // (r, θ) ↦ (r cos θ, r sin θ)
///   func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
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
  /// The value `f(x)`, for any scalar number type of the modes. A
  /// conformance may also be written over `T: Differentiable` (a function
  /// that does not branch), which then runs on `Tensor` too.
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T]
}
