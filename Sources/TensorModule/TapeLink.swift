import DifferentiableModule

/// A value of an older tape used by an operation recorded on this one: the
/// linked tape (held, so that its record lives as long as this one), the
/// value's slot there and its shape. The link occupies one slot here (an
/// entry with a = -3, b = the link's index), or one per element for a value
/// with scalar adjoints; a backward pass hands the adjoint that reaches it
/// to the linked tape.
@usableFromInline
struct TapeLink<Scalar: DifferentiableScalar> {
  @usableFromInline let tape: Tape<Scalar>
  @usableFromInline let slot: Int32
  @usableFromInline let shape: [Int]
  /// The first local slot of the link.
  @usableFromInline let localSlot: Int32
  @usableFromInline let isScalarSlot: Bool

  @inlinable
  init(tape: Tape<Scalar>, slot: Int32, shape: [Int], localSlot: Int32, isScalarSlot: Bool) {
    self.tape = tape
    self.slot = slot
    self.shape = shape
    self.localSlot = localSlot
    self.isScalarSlot = isScalarSlot
  }
}

/// A linked value's tape and slot.
@usableFromInline
struct TapeLinkKey: Hashable {
  @usableFromInline let tape: ObjectIdentifier
  @usableFromInline let slot: Int32

  @inlinable
  init(tape: ObjectIdentifier, slot: Int32) {
    self.tape = tape
    self.slot = slot
  }
}

extension Tape {
  /// The local slot of `t`, a result recorded on another (older) tape: a
  /// link entry, made on first use.
  @usableFromInline @inline(never)
  func linkedSlot(of t: Tensor<Scalar>) -> Int32 {
    let source = t._tape!
    guard source.sequence < sequence else {
      fatalError("Tensor internal error: a link from tape \\(sequence) to the newer tape \\(source.sequence)")
    }
    let key = TapeLinkKey(tape: ObjectIdentifier(source), slot: t._slot)
    if let s = linkSlots[key] { return s }
    let scalar = source.isScalarSlot(Int(t._slot))
    let index = Int32(links.count)
    let first = Int32(count)
    let elements = scalar ? Swift.max(_elementCount(t.shape), 1) : 1
    for _ in 0..<elements { _ = append(-3, 0, index, 0, .link) }
    if elements > 1 { markElements(from: Int(first), count: elements) }
    links.append(TapeLink(tape: source, slot: t._slot, shape: t.shape, localSlot: first, isScalarSlot: scalar))
    linkSlots[key] = first
    return first
  }

  /// The tape an operation on `operands` records onto: the newest of their
  /// tapes if this thread owns it, else this thread's current tape if it is
  /// newer than all of them, else a new current tape.
  @usableFromInline
  static func home(of operands: [Tensor<Scalar>]) -> Tape {
    var newest: Tape? = nil
    for t in operands {
      if let tape = t._tape, newest.map({ tape.sequence > $0.sequence }) ?? true { newest = tape }
    }
    guard let newest else { return current() }
    return home(newest: newest)
  }

  @usableFromInline
  static func home(newest: Tape) -> Tape {
    if newest.owner == currentThreadIdentity() { return newest }
    let tape = current()
    return tape.sequence > newest.sequence ? tape : startCurrent()
  }

  /// `home(of:)` for the tapes of two recorded operands (not retained: the
  /// operands or the thread's registry hold the tape).
  @usableFromInline @inline(never)
  static func home(_ ta: Unmanaged<Tape>?, _ tb: Unmanaged<Tape>?) -> Unmanaged<Tape> {
    let a = ta?.takeUnretainedValue(), b = tb?.takeUnretainedValue()
    let newest = a.map { a in b.map { $0.sequence > a.sequence ? $0 : a } ?? a } ?? b!
    return Unmanaged.passUnretained(home(newest: newest))
  }

  /// The tape for an operation on `a` and `b` (nil for a unary one): the
  /// operands' tape when they share one this thread owns, the thread's
  /// current tape when neither was recorded, else `home(of:)`.
  @inlinable @inline(__always)
  static func home(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>?) -> Unmanaged<Tape> {
    let ta = a._unretainedTape, tb = b?._unretainedTape
    guard let t = ta ?? tb else { return currentUnretained() }
    if t._withUnsafeGuaranteedRef({ $0.owner }) == currentThreadIdentity()
      && (ta == nil || tb == nil || ta.unsafelyUnwrapped.toOpaque() == tb.unsafelyUnwrapped.toOpaque())
    {
      return t
    }
    return home(ta, tb)
  }
}
