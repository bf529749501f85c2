import DifferentiableModule

/// A forward-mode dual number `value + tangent·ε` with `ε² = 0`.
///
/// Evaluating a function on `Dual(x, tangent: 1)` carries its derivative at `x`
/// along with its value. Nesting (`Dual<Dual<Double>>`) gives higher
/// derivatives; each level of nesting is its own type, so perturbations of
/// different levels cannot be confused.
///
/// ```swift
/// let x = Dual(2.0, tangent: 1)
/// let y = x * x + sin(x)      // y.value = 4 + sin 2, y.tangent = 4 + cos 2
/// ```
///
/// Equality and ordering compare values only.
///
/// See also: `derivative(at:of:)`, `MultiDual` (several partials at once).
@frozen
public struct Dual<T: DifferentiableScalar> {
  /// The primal value.
  public var value: T
  /// The derivative part: the directional derivative of `value`.
  public var tangent: T

  /// A dual number; `tangent` defaults to 0, so `Dual(x)` lifts `x` as a constant.
  @inlinable @inline(__always)
  public init(_ value: T, tangent: T = 0) {
    self.value = value
    self.tangent = tangent
  }
}

extension Dual: Sendable where T: Sendable {}
