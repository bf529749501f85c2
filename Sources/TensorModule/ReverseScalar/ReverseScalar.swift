import DifferentiableModule

/// A scalar recorded for reverse mode by the Jacobian verbs (`jacobian` in
/// `.reverse` mode, `vjp`, `gradient`, `hessian`, `hvp`): the value and its
/// derivative as a multiple of a slot on the tape of the verb's recording.
///
/// You do not create these: a `VectorFunction` or `ScalarFunction` receives
/// them as its `T` when evaluated in reverse mode. Every function of the
/// operator set works on them (the derivative rules are those of `Dual`,
/// shared through `ChainRuleScalar`), and they are ordered by value, so functions
/// generic over `DifferentiableScalar` may branch.
///
/// ```swift
/// struct Loss: ScalarFunction {
///   func callAsFunction<T: Differentiable>(_ x: [T]) -> T { x[0] * x[0] + sin(x[1]) }
/// }
/// gradient(at: [1.0, 2.0], of: Loss())      // evaluates Loss on ReverseScalar<Double>
/// ```
///
/// A value is valid only during the call of the verb that created it. A value
/// kept from an earlier call (in a cache the function holds) and used in a
/// later one stops with a message, as does combining values of two different
/// recordings: each recording has an identity that is never reused.
/// For reverse mode with a lifetime of its own, use `Tensor`.
@frozen
public struct ReverseScalar<T: DifferentiableScalar> {
  /// The primal value.
  public var value: T
  /// The slot (the low 32 bits; -1 for a constant) and the
  /// recording's generation (the high 32 bits), which with `tape` identifies
  /// the recording.
  @usableFromInline var identity: UInt64
  /// The factor of the slot's derivative in the value's.
  @usableFromInline var scale: T
  /// The recording's tape (nil for a constant).
  @usableFromInline var tape: UnsafeMutablePointer<ScalarTape<T>>?

  // A recorded value is a multiple of a recorded slot,
  //   d(value) = scale·d(slot),
  // the chain rule applied while recording (preaccumulation): a unary
  // operation scales its operand's factor by its partial and writes no tape
  // entry, nor does a binary one whose operands share a slot (x·x, 2x − x);
  // a binary operation on two slots writes one entry, with its partials
  // times the operands' factors, and its result is that entry's slot.

  /// The slot, or -1 for a constant.
  @inlinable @inline(__always)
  var slot: Int32 { Int32(truncatingIfNeeded: identity) }

  /// The generation of the recording (with `tape`, its identity).
  @inlinable @inline(__always)
  var generation: UInt32 { UInt32(truncatingIfNeeded: identity >> 32) }

  /// An input: the value at `slot` itself.
  @inlinable @inline(__always)
  init(value: T, slot: Int32, generation: UInt32, tape: UnsafeMutablePointer<ScalarTape<T>>?) {
    self.value = value
    self.identity = UInt64(generation) << 32 | UInt64(UInt32(bitPattern: slot))
    self.scale = 1
    self.tape = tape
  }

  /// `value` with the derivative `scale`·d(slot `s`), on the recording that
  /// `x` belongs to.
  @inlinable @inline(__always)
  init(value: T, slot s: Int32, scale: T, of x: ReverseScalar) {
    self.value = value
    self.identity = x.identity & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(bitPattern: s))
    self.scale = scale
    self.tape = x.tape
  }

  /// A constant.
  @inlinable @inline(__always)
  init(constantValue value: T) {
    self.value = value
    self.identity = UInt64(UInt32(bitPattern: -1))
    self.scale = 0
    self.tape = nil
  }
}

extension ReverseScalar: CustomStringConvertible {
  /// The value, and its slot when recorded: `2.5 (slot 3)`, or
  /// `2.5 (0.5·slot 3)` for a multiple of the slot.
  public var description: String {
    if tape == nil { return "\(value)" }
    return scale == 1 ? "\(value) (slot \(slot))" : "\(value) (\(scale)·slot \(slot))"
  }
}

/// Stops for two values of different recordings: with the message for a
/// value kept from an earlier call if one of them is, else for two live
/// recordings (a value of one reverse-mode call reached the function of
/// another).
@usableFromInline @inline(never)
func _combinationFailure<T>(
  _ tx: UnsafeMutablePointer<ScalarTape<T>>, _ gx: UInt32, _ ty: UnsafeMutablePointer<ScalarTape<T>>, _ gy: UInt32
) -> Never {
  if !tx.isRecording(gx) || !ty.isRecording(gy) { recordingEnded() }
  fatalError("ReverseScalar: values from two different recordings were combined (a value of one reverse-mode call reached the function of another)")
}

