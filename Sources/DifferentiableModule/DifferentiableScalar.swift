/// A `Differentiable` type whose values are single numbers, so they are
/// ordered: generic code constrained to it may branch (`if x > 0`) and use
/// `min`/`max`.
///
/// `Float`, `Double` and the dual numbers conform; an array-valued `Tensor`
/// does not (it is `Differentiable` only).
///
/// ```swift
/// func relu<T: DifferentiableScalar>(_ x: T) -> T { x > 0 ? x : 0 }
/// derivative(at: 2.0, of: relu)            // 1
/// ```
///
/// Equality and ordering compare values only (for dual numbers, the tangents
/// are ignored), like `==` on ForwardDiff.jl's duals.
public protocol DifferentiableScalar: Differentiable, Comparable {
  /// The larger of two values; at a tie, a dual number splits the derivative
  /// evenly between the arguments (as PyTorch and JAX do).
  static func maximum(_ x: Self, _ y: Self) -> Self
  /// The smaller of two values; ties split the derivative evenly.
  static func minimum(_ x: Self, _ y: Self) -> Self
  /// The value as a `Double`, dropping any derivative parts.
  var primalDouble: Double { get }
  /// Whether the value and every derivative part it carries are exactly zero
  /// (a rule uses it to skip a term whose coefficient is identically zero).
  var isIdenticallyZero: Bool { get }
}
