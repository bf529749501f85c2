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
    self.init(value: value, x, dx, singular: false)
  }

  /// A zero factor stays zero, where 0·∞ would be NaN (as a zero tangent
  /// does in forward mode and a zero adjoint in a sweep).
  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, bySingular dx: T) {
    self.init(value: value, x, dx, singular: true)
  }

  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, by dx: T, _ y: ReverseScalar, by dy: T) {
    self.init(value: value, x, dx, y, dy, singular: false)
  }

  @inlinable @inline(__always)
  public init(value: T, chaining x: ReverseScalar, bySingular dx: T, _ y: ReverseScalar, bySingular dy: T) {
    self.init(value: value, x, dx, y, dy, singular: true)
  }

  /// `x` scaled by the partial `dx` (`singular`: see `bySingular`).
  @inlinable @inline(__always)
  init(value: T, _ x: ReverseScalar, _ dx: T, singular: Bool) {
    guard let tape = x.tape else {
      self.init(constantValue: value)
      return
    }
    if !tape.isRecording(x.generation) { recordingEnded() }
    self.init(value: value, slot: x.slot, scale: Self.factor(x.scale, dx, singular: singular), of: x)
  }

  /// `dx`·x + `dy`·y: one slot's multiple when x and y share their slot,
  /// else a new entry with the partials times their factors.
  @inlinable @inline(__always)
  init(value: T, _ x: ReverseScalar, _ dx: T, _ y: ReverseScalar, _ dy: T, singular: Bool) {
    guard let tape = x.tape else {
      self.init(value: value, y, dy, singular: singular)
      return
    }
    guard let ty = y.tape else {
      self.init(value: value, x, dx, singular: singular)
      return
    }
    if tape != ty || (x.identity ^ y.identity) >> 32 != 0 { _combinationFailure(tape, x.generation, ty, y.generation) }
    let cx = Self.factor(x.scale, dx, singular: singular), cy = Self.factor(y.scale, dy, singular: singular)
    if x.slot == y.slot {
      if !tape.isRecording(x.generation) { recordingEnded() }
      self.init(value: value, slot: x.slot, scale: cx + cy, of: x)
    } else {
      // (An ended recording's tape has no capacity: the append stops.)
      self.init(value: value, slot: tape.pointee.append(x.slot, cx, y.slot, cy), scale: 1, of: x)
    }
  }

  /// A factor times a partial; with `singular`, zero when the factor is zero.
  @inlinable @inline(__always)
  static func factor(_ scale: T, _ d: T, singular: Bool) -> T {
    singular && scale.isIdenticallyZero ? 0 : scale * d
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
