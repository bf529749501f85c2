import DifferentiableModule

// Reverse mode through the shared rule table: where forward mode scales its
// tangents by a rule's local partials, a `ReverseScalar` scales its factor by
// them (see `ReverseScalar`), and writes the partials on its tape, (operand
// slots, ∂result/∂operands), only for an operation on two slots.
extension ReverseScalar: ChainRuleScalar {
  @inlinable @inline(__always)
  public init(constant value: T) { self.init(constantValue: value) }

  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, by dx: T) {
    guard let tape = x.tape else {
      self.init(constantValue: value)
      return
    }
    if !tape.isRecording(x.generation) { recordingEnded() }
    self.init(value: value, slot: x.slot, scale: x.scale * dx, of: x)
  }

  /// A zero factor stays zero, where 0·∞ would be NaN (as a zero tangent
  /// does in forward mode and a zero adjoint in a sweep).
  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, bySingular dx: T) {
    guard let tape = x.tape else {
      self.init(constantValue: value)
      return
    }
    if !tape.isRecording(x.generation) { recordingEnded() }
    self.init(value: value, slot: x.slot, scale: Self.singularProduct(x.scale, dx), of: x)
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
    self.init(value: value, x, x.scale * dx, y, y.scale * dy, tape: tx)
  }

  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, bySingular dx: T, _ y: ReverseScalar, bySingular dy: T) {
    guard let tx = x.tape else {
      self.init(value: value, chaining: y, bySingular: dy)
      return
    }
    guard let ty = y.tape else {
      self.init(value: value, chaining: x, bySingular: dx)
      return
    }
    if tx != ty || (x.identity ^ y.identity) >> 32 != 0 { _combinationFailure(tx, x.generation, ty, y.generation) }
    self.init(
      value: value, x, Self.singularProduct(x.scale, dx), y, Self.singularProduct(y.scale, dy), tape: tx)
  }

  /// `cx`·d(x's slot) + `cy`·d(y's slot), two values of the recording on
  /// `tape`: one slot's multiple when they share it, else a new entry.
  @inlinable @inline(__always)
  init(value: T, _ x: ReverseScalar, _ cx: T, _ y: ReverseScalar, _ cy: T, tape: UnsafeMutablePointer<ScalarTape<T>>) {
    if x.slot == y.slot {
      if !tape.isRecording(x.generation) { recordingEnded() }
      self.init(value: value, slot: x.slot, scale: cx + cy, of: x)
    } else {
      // (An ended recording's tape has no capacity: the append stops.)
      self.init(value: value, slot: tape.pointee.append(x.slot, cx, y.slot, cy), scale: 1, of: x)
    }
  }

  /// `factor · d`, zero when the factor is zero.
  @inlinable @inline(__always)
  static func singularProduct(_ factor: T, _ d: T) -> T { factor.isIdenticallyZero ? 0 : factor * d }

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
