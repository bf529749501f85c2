import DifferentiableModule

extension Dual: ChainRuleScalar {
  @inlinable @inline(__always)
  public init(constant value: T) { self.init(value, tangent: 0) }

  @inlinable @inline(__always)
  public init(value: T, chaining x: Dual, by dx: T) {
    self.init(value, tangent: x.tangent * dx)
  }

  @inlinable @inline(__always)
  public init(value: T, chaining x: Dual, by dx: T, _ y: Dual, by dy: T) {
    self.init(value, tangent: x.tangent * dx + y.tangent * dy)
  }

  @inlinable @inline(__always)
  public init(value: T, chaining x: Dual, bySingular dx: T) {
    self.init(value, tangent: Dual._singularChain(x.tangent, dx))
  }

  @inlinable @inline(__always)
  public init(value: T, chaining x: Dual, bySingular dx: T, _ y: Dual, bySingular dy: T) {
    self.init(value, tangent: Dual._singularChain(x.tangent, dx) + Dual._singularChain(y.tangent, dy))
  }

  /// `t·d`, except that a zero tangent contributes zero (where `d` may be
  /// infinite or NaN).
  @inlinable @inline(__always)
  static func _singularChain(_ t: T, _ d: T) -> T {
    t.isIdenticallyZero ? 0 : t * d
  }

  @inlinable @inline(__always)
  public var hasZeroDerivative: Bool { tangent.isIdenticallyZero }

  @inlinable @inline(__always)
  public var isIdenticallyZero: Bool { value.isIdenticallyZero && tangent.isIdenticallyZero }

  // MARK: - Linear operations (no local partials needed)

  @inlinable @inline(__always)
  public static func + (lhs: Dual, rhs: Dual) -> Dual {
    Dual(lhs.value + rhs.value, tangent: lhs.tangent + rhs.tangent)
  }
  @inlinable @inline(__always)
  public static func - (lhs: Dual, rhs: Dual) -> Dual {
    Dual(lhs.value - rhs.value, tangent: lhs.tangent - rhs.tangent)
  }
  @inlinable @inline(__always)
  public static prefix func - (operand: Dual) -> Dual {
    Dual(-operand.value, tangent: -operand.tangent)
  }
}
