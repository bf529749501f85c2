import DifferentiableModule

// Reverse mode through the shared rule table: where forward mode scales its
// tangents by a rule's local partials, a `ReverseScalar` records them on its
// tape, (operand slots, ∂result/∂operands), for the reverse sweep.
extension ReverseScalar: ChainRuleScalar {
  @inlinable @inline(__always)
  public init(constant value: T) { self.init(constantValue: value) }

  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, by dx: T) {
    guard let tape = x.tape else {
      self.init(constantValue: value)
      return
    }
    self.init(value: value, slot: tape.pointee.append(x.slot, dx, -1, 0), of: x)
  }

  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, by dx: T, _ y: ReverseScalar, by dy: T) {
    guard let tx = x.tape else {
      self.init(value: value, chaining: y, by: dy)
      return
    }
    guard let ty = y.tape else {
      self.init(value: value, chaining: x, by: dx)
      return
    }
    if tx != ty || (x.identity ^ y.identity) >> 32 != 0 { _combinationFailure(tx, x.generation, ty, y.generation) }
    self.init(value: value, slot: tx.pointee.append(x.slot, dx, y.slot, dy), of: x)
  }

  @inlinable @inline(__always)
  public var hasZeroDerivative: Bool { tape == nil }

  @inlinable @inline(__always)
  public var isIdenticallyZero: Bool { tape == nil && value.isIdenticallyZero }

  // MARK: - Linear operations

  @inlinable @inline(__always)
  public static func + (lhs: ReverseScalar, rhs: ReverseScalar) -> ReverseScalar {
    ReverseScalar(value: lhs.value + rhs.value, chaining: lhs, by: 1, rhs, by: 1)
  }
  @inlinable @inline(__always)
  public static func - (lhs: ReverseScalar, rhs: ReverseScalar) -> ReverseScalar {
    ReverseScalar(value: lhs.value - rhs.value, chaining: lhs, by: 1, rhs, by: -1)
  }
  @inlinable @inline(__always)
  public static prefix func - (operand: ReverseScalar) -> ReverseScalar {
    ReverseScalar(value: -operand.value, chaining: operand, by: -1)
  }
}

extension ReverseScalar: Hashable where T: Hashable {
  /// Hashing agrees with `==`, which compares values only.
  @inlinable
  public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
