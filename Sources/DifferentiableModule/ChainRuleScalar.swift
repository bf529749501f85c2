/// A number that carries derivative information through the chain rule: a
/// primal value plus derivative parts (one tangent for `Dual`, a SIMD vector of
/// partials for `MultiDual`, a slot on a reverse-mode tape for `ReverseScalar`).
///
/// Every function of the operator set comes from the rule table
/// (`DerivativeRules`) through the chain-rule initialisers, which receive each
/// rule's local partial derivatives; a conformer only says what to do with
/// them (forward mode scales and adds its derivative parts; reverse mode
/// records the partials on its tape). Functions that users add (`UnaryRule`,
/// `BinaryRule`) take the same path.
///
/// ```swift
/// // value e^x, derivative parts x.parts · e^x
/// let e = exp(x.value)
/// let y = Dual(value: e, chaining: x, by: e)
/// ```
public protocol ChainRuleScalar: DifferentiableScalar {
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

  /// `init(value:chaining:by:)` for a local derivative that may be infinite
  /// or NaN at a finite point (`sqrt` and `log` at 0, `asin` at 1): a
  /// derivative part that is zero contributes zero, where the plain product
  /// 0·∞ would be NaN and would poison directions that never reach the
  /// singular point. Reverse sweeps skip zero adjoints, which is the same
  /// rule, so forward and reverse mode agree there.
  init(value: Primal, chaining x: Self, bySingular dx: Primal)

  /// The two-operand form of `init(value:chaining:bySingular:)`.
  init(value: Primal, chaining x: Self, bySingular dx: Primal, _ y: Self, bySingular dy: Primal)

  /// Whether every derivative part is exactly zero (at every level of nesting).
  var hasZeroDerivative: Bool { get }
}

extension ChainRuleScalar {
  /// Records the local derivative as it is: for a conformer whose zero
  /// derivative parts are skipped anyway (reverse mode's zero adjoints).
  @inlinable @inline(__always)
  public init(value: Primal, chaining x: Self, bySingular dx: Primal) {
    self.init(value: value, chaining: x, by: dx)
  }

  @inlinable @inline(__always)
  public init(value: Primal, chaining x: Self, bySingular dx: Primal, _ y: Self, bySingular dy: Primal) {
    self.init(value: value, chaining: x, by: dx, y, by: dy)
  }
}

/// The former name of `ChainRuleScalar`.
@available(*, deprecated, renamed: "ChainRuleScalar")
public typealias DualNumber = ChainRuleScalar
