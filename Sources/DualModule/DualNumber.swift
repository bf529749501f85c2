import DifferentiableModule

/// A forward-mode number: a primal value carried with derivative parts (one
/// tangent for `Dual`, a SIMD vector of partials for `MultiDual`).
///
/// The derivative rules of the whole operator set are written once, in an
/// extension of this protocol, in terms of the two chain-rule initialisers; a
/// conformer only says how its derivative parts scale and add.
///
/// ```swift
/// // value e^x, derivative parts x.parts · e^x
/// let e = exp(x.value)
/// let y = Dual(value: e, chaining: x, by: e)
/// ```
public protocol DualNumber: DifferentiableScalar {
  /// The type of the primal value (and of each local derivative).
  associatedtype Primal: DifferentiableScalar

  /// The primal value.
  var value: Primal { get }

  /// A constant: `value` with zero derivative parts.
  init(constant value: Primal)

  /// The number with primal `value` whose derivative parts are `x`'s times `dx`.
  init(value: Primal, chaining x: Self, by dx: Primal)

  /// The number with primal `value` whose derivative parts are
  /// `x`'s times `dx` plus `y`'s times `dy`.
  init(value: Primal, chaining x: Self, by dx: Primal, _ y: Self, by dy: Primal)

  /// Whether every derivative part is exactly zero (at every level of nesting).
  var hasZeroDerivative: Bool { get }
}
