/// A function of one argument at a point: its value and its derivative there.
///
/// The rule table (`DerivativeRules`) gives one of these per elementary
/// function; every mode applies it in its own way (forward mode scales its
/// tangents by `derivative`, reverse mode records it for the sweep, `Tensor`
/// does either per element).
///
/// ```swift
/// let d = DerivativeRules.sin(0.5)   // d.value = sin 0.5, d.derivative = cos 0.5
/// ```
@frozen
public struct LocalDerivative<T> {
  /// f(x).
  public var value: T
  /// f′(x).
  public var derivative: T
  /// Whether `derivative` can be infinite or NaN at a finite point (`sqrt` and
  /// `log` at 0, `asin` at ±1). A mode then keeps a zero derivative part zero
  /// rather than computing 0·∞ = NaN, so directions that never reach the
  /// singular point stay exact.
  public var isSingular: Bool

  @inlinable @inline(__always)
  public init(value: T, derivative: T, isSingular: Bool = false) {
    self.value = value
    self.derivative = derivative
    self.isSingular = isSingular
  }
}

/// A function of two arguments at a point: its value and its two partial
/// derivatives there (see `LocalDerivative`).
///
/// ```swift
/// let p = DerivativeRules.product(3.0, 4.0)   // value 12, ∂/∂x = 4, ∂/∂y = 3
/// ```
@frozen
public struct LocalPartials<T> {
  /// f(x, y).
  public var value: T
  /// ∂f/∂x.
  public var x: T
  /// ∂f/∂y.
  public var y: T
  /// Whether a partial can be infinite or NaN at a finite point.
  public var isSingular: Bool

  @inlinable @inline(__always)
  public init(value: T, x: T, y: T, isSingular: Bool = false) {
    self.value = value
    self.x = x
    self.y = y
    self.isSingular = isSingular
  }
}

/// Which argument `maximum` or `minimum` picks: one of them (whose derivative
/// the result takes whole), or a tie, whose value takes half of each.
@frozen
public enum Selection<T> {
  case x
  case y
  case tie(T)
}
