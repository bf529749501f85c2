import DifferentiableModule
// The machinery shared by every element-wise operation: a 0-d fast path that
// records (operand slots, local partials) onto the tape's contiguous storage,
// and an n-d path with NumPy broadcasting that records the partials as
// tensors.

/// How a binary operation's partial derivatives are obtained on the n-d path.
@usableFromInline
enum _BinaryPartials: Sendable {
  /// From the closure, element by element.
  case computed
  /// ∂(a·b)/∂a = b, ∂(a·b)/∂b = a: the operands themselves.
  case product
  /// ∂(a+b) = 1, 1.
  case sum
  /// ∂(a−b) = 1, −1.
  case difference
}

extension OpCode {
  /// The short name used in error messages ("mul", "sqrt", …).
  @usableFromInline
  var shortName: String {
    var s = gradFunctionName
    if s.hasSuffix("Backward") { s.removeLast(8) }
    return s.lowercased()
  }
}

// MARK: - Broadcasting

/// The NumPy broadcast of two shapes; traps naming the operation otherwise.
@inlinable
func _broadcastShape(_ a: [Int], _ b: [Int], _ op: OpCode) -> [Int] {
  // The common cases return an operand's array: a new array costs an
  // allocation and a metadata lookup, more than a small operation itself.
  if b.isEmpty || a == b { return a }
  if a.isEmpty { return b }
  if _broadcasts(b, into: a) { return a }
  if _broadcasts(a, into: b) { return b }
  let n = Swift.max(a.count, b.count)
  var out = [Int](repeating: 1, count: n)
  for i in 0..<n {
    let da = i < n - a.count ? 1 : a[i - (n - a.count)]
    let db = i < n - b.count ? 1 : b[i - (n - b.count)]
    if da == db || db == 1 {
      out[i] = da
    } else if da == 1 {
      out[i] = db
    } else {
      fatalError("Tensor \(op.shortName): shapes \(a) and \(b) cannot be broadcast together")
    }
  }
  return out
}

/// The NumPy broadcast of two shapes, or nil.
@inlinable
func _broadcastShapeIfPossible(_ a: [Int], _ b: [Int]) -> [Int]? {
  let n = Swift.max(a.count, b.count)
  var out = [Int](repeating: 1, count: n)
  for i in 0..<n {
    let da = i < n - a.count ? 1 : a[i - (n - a.count)]
    let db = i < n - b.count ? 1 : b[i - (n - b.count)]
    guard da == db || da == 1 || db == 1 else { return nil }
    out[i] = da == 1 ? db : da
  }
  return out
}

/// Whether `small` broadcasts to exactly `big` (each extent of `small`,
/// aligned from the right, is 1 or equal, and `small` has no more dimensions).
@inlinable
func _broadcasts(_ small: [Int], into big: [Int]) -> Bool {
  let pad = big.count - small.count
  if pad < 0 { return false }
  for i in 0..<small.count where small[i] != 1 && small[i] != big[i + pad] { return false }
  return true
}

/// Strides of `shape` broadcast to `out` (0 along broadcast dimensions).
@inlinable
func _broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
  let s = _strides(shape)
  let pad = out.count - shape.count
  var r = [Int](repeating: 0, count: out.count)
  for i in 0..<shape.count where shape[i] != 1 { r[i + pad] = s[i] }
  return r
}

/// Calls `body(i, ia, ib)` for every element `i` of `out` with the offsets of
/// the corresponding elements of two operands broadcast to it.
@inlinable @inline(__always)
func _broadcastLoop(
  _ out: [Int], _ a: [Int], _ b: [Int], _ body: (Int, Int, Int) -> Void
) {
  let n = _elementCount(out)
  if n == 0 { return }
  if a == out && b == out {
    for i in 0..<n { body(i, i, i) }
    return
  }
  let ca = _elementCount(a), cb = _elementCount(b)
  if ca == 1 && b == out {
    for i in 0..<n { body(i, 0, i) }
    return
  }
  if cb == 1 && a == out {
    for i in 0..<n { body(i, i, 0) }
    return
  }
  let sa = _broadcastStrides(a, to: out), sb = _broadcastStrides(b, to: out)
  let rank = out.count
  let inner = out[rank - 1], ia1 = sa[rank - 1], ib1 = sb[rank - 1]
  var index = [Int](repeating: 0, count: rank)
  var oa = 0, ob = 0, i = 0
  while i < n {
    for k in 0..<inner { body(i + k, oa + k * ia1, ob + k * ib1) }
    i += inner
    // Advance the outer multi-index.
    var d = rank - 2
    while d >= 0 {
      index[d] += 1
      oa += sa[d]
      ob += sb[d]
      if index[d] < out[d] { break }
      oa -= sa[d] * out[d]
      ob -= sb[d] * out[d]
      index[d] = 0
      d -= 1
    }
  }
}

// MARK: - Recording

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

  // The 0-d recording below reaches the tape unretained: a reference-count
  // update is an atomic operation, which costs more than recording the
  // operation itself. The result's reference is a plain copy of a recorded
  // operand's field where there is one, so that the optimiser can hand a
  // dying operand's reference over to the result (no retain, no release);
  // only results of leaves and constants retain the tape.

  /// Records a unary 0-d operation.
  @inlinable @inline(__always)
  static func _record(_ v: Scalar, _ x: Tensor, _ d: Scalar, _ op: OpCode) -> Tensor {
    let tapeRef = x._unretainedTape ?? Tape.currentUnretained()
    return tapeRef._withUnsafeGuaranteedRef { tape in
      let flags = tape.modeFlags
      if flags != 0 {
        // No operand is passed to an opaque call, so none needs a retain.
        if flags & _noGradientsBit != 0 { return Tensor(_value: v) }
        tape._noteAnomalyCheck(v, op, operands: 1)
      }
      let slot = tape.append(tape.slot(of: x), d, -1, 0, op)
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
    let tapeRef = a._unretainedTape ?? b._unretainedTape ?? Tape.currentUnretained()
    return tapeRef._withUnsafeGuaranteedRef { tape in
      let flags = tape.modeFlags
      if flags != 0 {
        if flags & _noGradientsBit != 0 { return Tensor(_value: v) }
        tape._noteAnomalyCheck(v, op, operands: 2)
      }
      let sa = tape.slot(of: a), sb = tape.slot(of: b)
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

  /// Recording with a mode flag set: nothing under `withoutGradients`, checks
  /// under anomaly detection.
  @usableFromInline @inline(never)
  static func _recordSlow(
    _ v: Scalar, _ a: Tensor, _ da: Scalar, _ b: Tensor, _ db: Scalar, _ op: OpCode, _ flags: Int
  ) -> Tensor {
    if flags & _noGradientsBit != 0 { return Tensor(_value: v) }
    _checkFinite(v, op, shapes: [a.shape, b.shape])
    let tape = a._tape ?? b._tape ?? Tape.current()
    tape.checksAnomalies = true
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
    var tape: Tape<Scalar>? = nil
    for t in operands where t._tape != nil {
      tape = t._tape
      break
    }
    let theTape = tape ?? Tape.current()
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
    let theTape = x._tape ?? y?._tape ?? Tape.current()
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
    tape.checksAnomalies = true
    result._withScalars { p, n in
      for i in 0..<n { _checkFinite(p[i], op, shapes: shapes) }
    }
  }

  // MARK: Element-wise kernels

  /// A unary element-wise operation; `f` returns the value and the derivative.
  @inlinable @inline(__always)
  static func _unary(_ x: Tensor, _ op: OpCode, _ f: (Scalar) -> (Scalar, Scalar)) -> Tensor {
    if x._storage == nil {
      let (v, d) = f(x._value)
      if x._node == nil { return Tensor(_value: v) }
      return _record(v, x, d, op)
    }
    return _unaryND(x, op, f)
  }

  @inlinable
  static func _unaryND(_ x: Tensor, _ op: OpCode, _ f: (Scalar) -> (Scalar, Scalar)) -> Tensor {
    let s = x._storage!
    if x._node != nil && s.count > 0 && s.count <= _scalarizeLimit, let r = _unaryElementwise(x, s, op, f) {
      return r
    }
    let recording = x._requiresGrad && _modeFlags & _noGradientsBit == 0
    let out: TensorStorage<Scalar> = _unrecordedStorage(shape: s.shape, count: s.count)
    let n = s.count, src = s.base, dst = out.base
    if !recording {
      for i in 0..<n { dst[i] = f(src[i]).0 }
      return Tensor(_storage: out)
    }
    let part = TensorStorage<Scalar>.make(uninitializedShape: s.shape)
    let dp = part.base
    for i in 0..<n {
      let (v, d) = f(src[i])
      dst[i] = v
      dp[i] = d
    }
    return _recordNode(
      Tensor(_storage: out), x, nil, .elementwise(.tensor(Tensor(_storage: part)), .one), op)
  }

  /// Records a small unary operation element by element on the 0-d fast path
  /// (nil: not applicable, take the node path).
  @inlinable
  static func _unaryElementwise(
    _ x: Tensor, _ s: TensorStorage<Scalar>, _ op: OpCode, _ f: (Scalar) -> (Scalar, Scalar)
  ) -> Tensor? {
    let tape = x._tape ?? Tape.current()
    if tape.modeFlags != 0 { return nil }
    guard let sx = tape.elementSlots(of: x), sx >= 0 else { return nil }
    let out = tape.storagePool.storage(like: s)
    let n = s.count, src = s.base, dst = out.base
    let first = tape.count
    for i in 0..<n {
      let (v, d) = f(src[i])
      dst[i] = v
      _ = tape.append(sx + Int32(i), d, -1, 0, op)
    }
    return Tensor(_storage: out, tape: tape, firstSlot: first)
  }

  /// Records a small binary operation element by element on the 0-d fast
  /// path (nil: not applicable, take the node path). `shapeA`, `shapeB` and
  /// `outShape` are the operands' shapes and their broadcast.
  @inlinable
  static func _binaryElementwise(
    _ a: Tensor, _ b: Tensor, _ shapeA: [Int], _ shapeB: [Int], _ outShape: [Int], _ op: OpCode,
    _ f: (Scalar, Scalar) -> (Scalar, Scalar, Scalar)
  ) -> Tensor? {
    let tape = a._tape ?? b._tape ?? Tape.current()
    if tape.modeFlags != 0 { return nil }
    guard let sa = tape.elementSlots(of: a), let sb = tape.elementSlots(of: b) else { return nil }
    let out = tape.storagePool.storage(shape: outShape)
    let dst = out.base, n = out.count
    let first = tape.count
    @inline(__always)
    func record(_ i: Int, _ x: Scalar, _ y: Scalar, _ ia: Int, _ ib: Int) {
      let (v, da, db) = f(x, y)
      dst[i] = v
      if sa < 0 {
        _ = tape.append(sb + Int32(ib), db, -1, 0, op)
      } else if sb < 0 {
        _ = tape.append(sa + Int32(ia), da, -1, 0, op)
      } else {
        _ = tape.append(sa + Int32(ia), da, sb + Int32(ib), db, op)
      }
    }
    // The common cases without index arithmetic: equal shapes, or one
    // operand a single element (a 0-d literal, say).
    let pa = a._storage?.base, pb = b._storage?.base
    let countA = a._storage?.count ?? 1, countB = b._storage?.count ?? 1
    if countA == n && countB == n {
      for i in 0..<n { record(i, pa?[i] ?? a._value, pb?[i] ?? b._value, i, i) }
    } else if countB == 1 && countA == n {
      let y = pb?[0] ?? b._value
      for i in 0..<n { record(i, pa.unsafelyUnwrapped[i], y, i, 0) }
    } else if countA == 1 && countB == n {
      let x = pa?[0] ?? a._value
      for i in 0..<n { record(i, x, pb.unsafelyUnwrapped[i], 0, i) }
    } else {
      a._withScalars { pa, _ in
        b._withScalars { pb, _ in
          _broadcastLoop(outShape, shapeA, shapeB) { i, ia, ib in record(i, pa[ia], pb[ib], ia, ib) }
        }
      }
    }
    return Tensor(_storage: out, tape: tape, firstSlot: first)
  }

  /// A binary element-wise operation with broadcasting; `f` returns the value
  /// and the two partial derivatives.
  @inlinable @inline(__always)
  static func _binary(
    _ a: Tensor, _ b: Tensor, _ op: OpCode, _ kind: _BinaryPartials,
    _ f: (Scalar, Scalar) -> (Scalar, Scalar, Scalar)
  ) -> Tensor {
    if a._storage == nil && b._storage == nil {
      let (v, da, db) = f(a._value, b._value)
      if a._node == nil && b._node == nil { return Tensor(_value: v) }
      return _record(v, a, da, b, db, op)
    }
    // A small recorded vector and a 0-d operand (a literal, say): no
    // broadcasting to work out.
    if b._storage == nil, let s = a._storage, a._node != nil, s.count > 0, s.count <= _scalarizeLimit,
      let r = _binaryElementwise(a, s, b, op, f)
    {
      return r
    }
    if a._storage == nil, let s = b._storage, b._node != nil, s.count > 0, s.count <= _scalarizeLimit,
      let r = _binaryElementwise(b, s, a, op, { x, y in let (v, dy, dx) = f(y, x); return (v, dx, dy) })
    {
      return r
    }
    return _binaryND(a, b, op, kind, f)
  }

  /// Records `f(x, c)` element by element on the 0-d fast path, for a small
  /// recorded `x` (storage `s`) and a 0-d `c`; nil: not applicable.
  @inlinable @inline(__always)
  static func _binaryElementwise(
    _ x: Tensor, _ s: TensorStorage<Scalar>, _ c: Tensor, _ op: OpCode,
    _ f: (Scalar, Scalar) -> (Scalar, Scalar, Scalar)
  ) -> Tensor? {
    let tape: Tape<Scalar>
    if let t = x._tape {
      tape = t
    } else if let t = c._tape {
      tape = t
    } else {
      tape = Tape.current()
    }
    if tape.modeFlags != 0 { return nil }
    guard let sx = tape.elementSlots(of: x), let sc = tape.elementSlots(of: c) else { return nil }
    let out = tape.storagePool.storage(like: s)
    let src = s.base, dst = out.base, n = s.count, y = c._value
    let first = tape.count
    for i in 0..<n {
      let (v, dx, dy) = f(src[i], y)
      dst[i] = v
      if sc < 0 {
        _ = tape.append(sx + Int32(i), dx, -1, 0, op)
      } else {
        _ = tape.append(sx + Int32(i), dx, sc, dy, op)
      }
    }
    return Tensor(_storage: out, tape: tape, firstSlot: first)
  }

  @inlinable
  static func _binaryND(
    _ a: Tensor, _ b: Tensor, _ op: OpCode, _ kind: _BinaryPartials,
    _ f: (Scalar, Scalar) -> (Scalar, Scalar, Scalar)
  ) -> Tensor {
    let sa = a.shape, sb = b.shape
    let outShape = _broadcastShape(sa, sb, op)
    let needA = a._requiresGrad, needB = b._requiresGrad
    let outCount = _elementCount(outShape)
    if (needA || needB) && outCount > 0 && outCount <= _scalarizeLimit && !outShape.isEmpty,
      let r = _binaryElementwise(a, b, sa, sb, outShape, op, f)
    {
      return r
    }
    let recording = (needA || needB) && _modeFlags & _noGradientsBit == 0
    let outStorage: TensorStorage<Scalar> = _unrecordedStorage(shape: outShape, count: outCount)
    let dst = outStorage.base
    let result: Tensor = a._withScalars { pa, _ in
      b._withScalars { pb, _ in
        if !recording || kind != .computed {
          _broadcastLoop(outShape, sa, sb) { i, ia, ib in dst[i] = f(pa[ia], pb[ib]).0 }
          return outShape.isEmpty ? Tensor(_value: dst[0]) : Tensor(_storage: outStorage)
        }
        let partA = TensorStorage<Scalar>.make(uninitializedShape: needA ? outShape : [0])
        let partB = TensorStorage<Scalar>.make(uninitializedShape: needB ? outShape : [0])
        let qa = partA.base, qb = partB.base
        _broadcastLoop(outShape, sa, sb) { i, ia, ib in
          let (v, da, db) = f(pa[ia], pb[ib])
          dst[i] = v
          if needA { qa[i] = da }
          if needB { qb[i] = db }
        }
        let value = outShape.isEmpty ? Tensor(_value: dst[0]) : Tensor(_storage: outStorage)
        return _recordNode(
          value, a, b,
          .elementwise(.tensor(Tensor(_storage: partA)), .tensor(Tensor(_storage: partB))), op)
      }
    }
    if !recording || kind == .computed { return result }
    switch kind {
    case .product:
      return _recordNode(result, a, b, .elementwise(.tensor(b._constant), .tensor(a._constant)), op)
    case .sum:
      return _recordNode(result, a, b, .elementwise(.one, .one), op)
    case .difference:
      return _recordNode(result, a, b, .elementwise(.one, .minusOne), op)
    case .computed:
      return result
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
