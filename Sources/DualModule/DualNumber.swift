import DifferentiableModule

/// A number that carries derivative information through the chain rule: a
/// primal value plus derivative parts (one tangent for `Dual`, a SIMD vector of
/// partials for `MultiDual`, a slot on a reverse-mode tape for `ReverseScalar`).
///
/// The derivative rules of the whole operator set are written once, in an
/// extension of this protocol, in terms of the two chain-rule initialisers,
/// which receive each rule's local partial derivatives; a conformer only says
/// what to do with them (forward mode scales and adds its derivative parts;
/// reverse mode records the partials on its tape).
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
