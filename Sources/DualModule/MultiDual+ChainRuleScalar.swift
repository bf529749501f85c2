import DifferentiableModule

extension MultiDual: ChainRuleScalar {
  @inlinable @inline(__always)
  public init(constant value: Partials.Scalar) { self.init(value) }

  @inlinable @inline(__always)
  public init(value: Partials.Scalar, chaining x: MultiDual, by dx: Partials.Scalar) {
    self.init(value, partials: x.partials * dx)
  }

  @inlinable @inline(__always)
  public init(
    value: Partials.Scalar, chaining x: MultiDual, by dx: Partials.Scalar,
    _ y: MultiDual, by dy: Partials.Scalar
  ) {
    self.init(value, partials: x.partials * dx + y.partials * dy)
  }

  @inlinable @inline(__always)
  public init(value: Partials.Scalar, chaining x: MultiDual, bySingular dx: Partials.Scalar) {
    self.init(value, partials: MultiDual._singularChain(x.partials, dx))
  }

  @inlinable @inline(__always)
  public init(
    value: Partials.Scalar, chaining x: MultiDual, bySingular dx: Partials.Scalar,
    _ y: MultiDual, bySingular dy: Partials.Scalar
  ) {
    self.init(value, partials: MultiDual._singularChain(x.partials, dx) + MultiDual._singularChain(y.partials, dy))
  }

  /// `p·d`, except that zero partials stay zero (where `d` may be infinite
  /// or NaN): the columns of inputs that do not reach this value stay exact.
  @inlinable @inline(__always)
  static func _singularChain(_ p: Partials, _ d: Partials.Scalar) -> Partials {
    (p * d).replacing(with: 0, where: p .== 0)
  }

  @inlinable @inline(__always)
  public var hasZeroDerivative: Bool { partials == .zero }

  @inlinable @inline(__always)
  public var isIdenticallyZero: Bool { value == 0 && partials == .zero }

  // MARK: - Linear operations

  @inlinable @inline(__always)
  public static func + (lhs: MultiDual, rhs: MultiDual) -> MultiDual {
    MultiDual(lhs.value + rhs.value, partials: lhs.partials + rhs.partials)
  }
  @inlinable @inline(__always)
  public static func - (lhs: MultiDual, rhs: MultiDual) -> MultiDual {
    MultiDual(lhs.value - rhs.value, partials: lhs.partials - rhs.partials)
  }
  @inlinable @inline(__always)
  public static prefix func - (operand: MultiDual) -> MultiDual {
    MultiDual(-operand.value, partials: -operand.partials)
  }
}
