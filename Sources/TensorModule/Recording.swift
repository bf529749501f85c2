import DifferentiableModule

// Recording results on the tape: 0-d results as tape entries, n-d results
// as nodes, with anomaly detection.

extension Tensor {
  /// Whether gradients flow to this tensor (a leaf requiring gradients or a
  /// recorded result).
  @inlinable @inline(__always)
  var _requiresGrad: Bool { _node != nil }

  /// The tape of a recorded result, not retained (the result holds it).
  @inlinable @inline(__always)
  var _unretainedTape: Unmanaged<Tape<Scalar>>? {
    _slot >= 0 ? Unmanaged.passUnretained(unsafeDowncast(_node.unsafelyUnwrapped, to: Tape<Scalar>.self)) : nil
  }

  /// The storage of an n-d tensor, not retained (the tensor holds it): read
  /// by its bits, since binding the optional would copy the reference.
  @inlinable
  var _unretainedStorage: Unmanaged<TensorStorage<Scalar>> {
    Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: unsafeBitCast(_storage, to: UInt.self)).unsafelyUnwrapped)
  }

  // The 0-d recording below reaches the tape unretained: a reference-count
  // update is an atomic operation, which costs more than recording the
  // operation itself. The result's reference is a plain copy of a recorded
  // operand's field where there is one, so that the optimiser can hand a
  // dying operand's reference over to the result (no retain, no release);
  // only results of leaves and constants retain the tape.

  /// Records a unary 0-d operation.
  @inlinable @inline(__always)
  static func _record(_ v: Scalar, _ x: Tensor, _ d: Scalar, _ op: OpCode) -> Tensor {
    if x._slot >= 0 && x._unretainedTape.unsafelyUnwrapped._withUnsafeGuaranteedRef({ $0.owner }) != currentThreadIdentity() {
      return _recordLinked(v, x._nodeBits, x._slot, d, 0, -2, 0, op)
    }
    let tapeRef = x._unretainedTape ?? Tape.currentUnretained()
    return tapeRef._withUnsafeGuaranteedRef { tape in
      let flags = tape.modeFlags
      if flags != 0 {
        // No operand is passed to an opaque call, so none needs a retain.
        if flags & _noGradientsBit != 0 { return Tensor(_value: v) }
        tape._noteAnomalyCheck(v, op, operands: 1)
      }
      let slot = tape.append(tape.localSlot(of: x), d, -1, 0, op)
      var r = Tensor(_value: v)
      r._slot = slot
      r._node = x._slot >= 0 ? x._node : tapeRef.retain().takeRetainedValue()
      return r
    }
  }

  /// Records a binary 0-d operation (at least one operand requires gradients).
  @inlinable @inline(__always)
  static func _record(
    _ v: Scalar, _ a: Tensor, _ da: Scalar, _ b: Tensor, _ db: Scalar, _ op: OpCode
  ) -> Tensor {
    let ta = a._unretainedTape, tb = b._unretainedTape
    if let t = ta ?? tb {
      // Operands recorded on two tapes, or on a tape of another thread.
      if (ta != nil && tb != nil && ta.unsafelyUnwrapped.toOpaque() != tb.unsafelyUnwrapped.toOpaque())
        || t._withUnsafeGuaranteedRef({ $0.owner }) != currentThreadIdentity()
      {
        return _recordLinked(v, a._nodeBits, a._slot, da, b._nodeBits, b._slot, db, op)
      }
    }
    let tapeRef = ta ?? tb ?? Tape.currentUnretained()
    return tapeRef._withUnsafeGuaranteedRef { tape in
      let flags = tape.modeFlags
      if flags != 0 {
        if flags & _noGradientsBit != 0 { return Tensor(_value: v) }
        tape._noteAnomalyCheck(v, op, operands: 2)
      }
      let sa = tape.localSlot(of: a), sb = tape.localSlot(of: b)
      let slot = sa < 0 ? tape.append(sb, db, -1, 0, op) : tape.append(sa, da, sb, db, op)
      // The result's reference is a copy of a recorded operand's field where
      // there is one, which the optimiser can forward from a dying operand.
      var r = Tensor(_value: v)
      r._slot = slot
      if a._slot >= 0 { r._node = a._node } else if b._slot >= 0 { r._node = b._node } else {
        r._node = tapeRef.retain().takeRetainedValue()
      }
      return r
    }
  }

  /// The bits of `_node` (0 for nil), read without a retain.
  @inlinable @inline(__always)
  var _nodeBits: UInt { unsafeBitCast(_node, to: UInt.self) }

  /// A 0-d operand rebuilt from the bits of its `_node` and its slot (the
  /// caller holds the original alive).
  @inlinable
  init(_nodeBits bits: UInt, slot: Int32) {
    self.init(_value: 0)
    if bits != 0 {
      _node = Unmanaged<_AutogradNode>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).takeUnretainedValue()
      _slot = slot
    }
  }

  /// Records a 0-d operation whose recorded operands are on a tape of
  /// another thread or on two tapes: onto `Tape.home`, with links. The
  /// operands come as the bits of their `_node` and their slots (`b`'s slot
  /// -2 for a unary operation), so that the fast paths pass no reference.
  @usableFromInline @inline(never)
  static func _recordLinked(
    _ v: Scalar, _ aBits: UInt, _ aSlot: Int32, _ da: Scalar, _ bBits: UInt, _ bSlot: Int32, _ db: Scalar,
    _ op: OpCode
  ) -> Tensor {
    let a = Tensor(_nodeBits: aBits, slot: aSlot)
    let b: Tensor? = bSlot == -2 ? nil : Tensor(_nodeBits: bBits, slot: bSlot)
    let tape = Tape.home(a, b).takeUnretainedValue()
    let flags = tape.modeFlags
    if flags & _noGradientsBit != 0 { return Tensor(_value: v) }
    if flags != 0 { tape._noteAnomalyCheck(v, op, operands: b == nil ? 1 : 2) }
    let sa = tape.slot(of: a), sb = b.map { tape.slot(of: $0) } ?? -1
    let slot = sa < 0 ? tape.append(sb, db, -1, 0, op) : tape.append(sa, da, sb, db, op)
    return Tensor(_value: v, tape: tape, slot: slot)
  }

  /// Recording with a mode flag set: nothing under `withoutGradients`, checks
  /// under anomaly detection.
  @usableFromInline @inline(never)
  static func _recordSlow(
    _ v: Scalar, _ a: Tensor, _ da: Scalar, _ b: Tensor, _ db: Scalar, _ op: OpCode, _ flags: Int
  ) -> Tensor {
    if flags & _noGradientsBit != 0 { return Tensor(_value: v) }
    _checkFinite(v, op, shapes: [a.shape, b.shape])
    let tape = Tape.home(a, b).takeUnretainedValue()
    tape.checksAnomaliesFlag.store(true, ordering: .relaxed)
    let sa = tape.slot(of: a), sb = tape.slot(of: b)
    let slot = sa < 0 ? tape.append(sb, db, -1, 0, op) : tape.append(sa, da, sb, db, op)
    return Tensor(_value: v, tape: tape, slot: slot)
  }

  /// Records an n-d node whose result is `result`, if any operand requires
  /// gradients and recording is on; returns the result (recorded or not).
  @inlinable
  static func _recordNode(
    _ result: Tensor, _ operands: [Tensor], _ backward: @autoclosure () -> NodeBackward<Scalar>,
    _ op: OpCode
  ) -> Tensor {
    var any = false
    for t in operands where t._requiresGrad { any = true }
    if !any { return result }
    if operands.count == 1 { return _recordNode(result, operands[0], nil, backward(), op) }
    if operands.count == 2 { return _recordNode(result, operands[0], operands[1], backward(), op) }
    let flags = _modeFlags
    if flags & _noGradientsBit != 0 { return result }
    let theTape = Tape.home(of: operands)
    if flags & _anomalyBit != 0 { _checkAnomaly(result, theTape, op, operands.map(\.shape)) }
    let slots = operands.map { theTape.slot(of: $0) }
    let shapes = operands.map(\.shape)
    let node = TapeNode(
      a: slots[0], shapeA: shapes[0], b: slots[1], shapeB: shapes[1], rest: Array(slots[2...]),
      restShapes: Array(shapes[2...]), operandCount: operands.count, shape: result.shape,
      backward: backward())
    var r = result
    r._slot = theTape.append(node: node, op)
    r._node = theTape
    return r
  }

  /// Records a node with one or two operands (no arrays).
  @inlinable
  static func _recordNode(
    _ result: Tensor, _ x: Tensor, _ y: Tensor?, _ backward: @autoclosure () -> NodeBackward<Scalar>,
    _ op: OpCode
  ) -> Tensor {
    guard x._requiresGrad || (y?._requiresGrad ?? false) else { return result }
    let flags = _modeFlags
    if flags & _noGradientsBit != 0 { return result }
    let theTape = Tape.home(x, y).takeUnretainedValue()
    if flags & _anomalyBit != 0 {
      _checkAnomaly(result, theTape, op, y.map { [x.shape, $0.shape] } ?? [x.shape])
    }
    let sa = theTape.slot(of: x)
    let sb: Int32 = y.map { theTape.slot(of: $0) } ?? -1
    let node = TapeNode(
      a: sa, shapeA: x.shape, b: sb, shapeB: y?.shape ?? [], rest: [], restShapes: [],
      operandCount: y == nil ? 1 : 2, shape: result.shape, backward: backward())
    var r = result
    r._slot = theTape.append(node: node, op)
    r._node = theTape
    return r
  }

  @usableFromInline @inline(never)
  static func _checkAnomaly(_ result: Tensor, _ tape: Tape<Scalar>, _ op: OpCode, _ shapes: [[Int]]) {
    tape.checksAnomaliesFlag.store(true, ordering: .relaxed)
    result._withScalars { p, n in
      for i in 0..<n { _checkFinite(p[i], op, shapes: shapes) }
    }
  }
}

/// Traps if `v` is NaN or infinite (anomaly detection), naming the operation.
@inlinable
func _checkFinite<Scalar: DifferentiableScalar>(_ v: Scalar, _ op: OpCode, shapes: [[Int]]) {
  if !v.primalDouble.isFinite {
    _anomaly("anomaly: \(op.gradFunctionName.dropLast(8)) produced \(v.primalDouble) in the forward pass (operand shapes \(shapes))")
  }
}

@usableFromInline @inline(never)
func _anomaly(_ message: String) -> Never { fatalError(message) }
