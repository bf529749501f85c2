import DifferentiableModule

/// A scalar recorded for reverse mode by the Jacobian verbs (`jacobian` in
/// `.reverse` mode, `vjp`, `gradient`, `hessian`, `hvp`): the value and its slot
/// on the tape of the verb's recording.
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
  /// The slot on the tape (the low 32 bits; -1 for a constant) and the
  /// recording's generation (the high 32 bits), which with `tape` identifies
  /// the recording. One word, so that a value is three registers.
  @usableFromInline var identity: UInt64
  /// The recording's tape (nil for a constant).
  @usableFromInline var tape: UnsafeMutablePointer<ScalarTape<T>>?

  /// The slot on the tape, or -1 for a constant.
  @inlinable @inline(__always)
  var slot: Int32 { Int32(truncatingIfNeeded: identity) }

  /// The generation of the recording (with `tape`, its identity).
  @inlinable @inline(__always)
  var generation: UInt32 { UInt32(truncatingIfNeeded: identity >> 32) }

  @inlinable @inline(__always)
  init(value: T, slot: Int32, generation: UInt32, tape: UnsafeMutablePointer<ScalarTape<T>>?) {
    self.value = value
    self.identity = UInt64(generation) << 32 | UInt64(UInt32(bitPattern: slot))
    self.tape = tape
  }

  /// A value recorded at `slot` of the recording that `x` belongs to.
  @inlinable @inline(__always)
  init(value: T, slot: Int32, of x: ReverseScalar) {
    self.value = value
    self.identity = x.identity & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(bitPattern: slot))
    self.tape = x.tape
  }

  /// A constant.
  @inlinable @inline(__always)
  init(constantValue value: T) {
    self.init(value: value, slot: -1, generation: 0, tape: nil)
  }
}

extension ReverseScalar: CustomStringConvertible {
  /// The value, and the slot when recorded: `2.5 (slot 3)`.
  public var description: String { slot < 0 ? "\(value)" : "\(value) (slot \(slot))" }
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

