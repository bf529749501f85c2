import DifferentiableModule
internal import _LeibnizKernels

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

extension Tensor {
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
    if x._node != nil {
      let s = x._unretainedStorage
      let n = s._withUnsafeGuaranteedRef { $0.count }
      if n > 0 && n <= _scalarizeLimit, let r = _unaryElementwise(x, s, op, f) { return r }
    }
    return _unaryNDBulk(x, op) { n, src, dst, part in
      guard let part else {
        for i in 0..<n { dst[i] = f(src[i]).0 }
        return
      }
      for i in 0..<n {
        let (v, d) = f(src[i])
        dst[i] = v
        part[i] = d
      }
    }
  }

  /// The n-d path of a unary operation, with a kernel that writes the values
  /// of `n` elements and, when the partials pointer is not nil (the result
  /// is recorded), their partials.
  @inlinable
  static func _unaryNDBulk(
    _ x: Tensor, _ op: OpCode,
    _ kernel: (Int, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>?) -> Void
  ) -> Tensor {
    let s = x._storage!
    let recording = x._requiresGrad && _modeFlags & _noGradientsBit == 0
    let out: TensorStorage<Scalar> = _unrecordedStorage(shape: s.shape, count: s.count)
    if !recording {
      kernel(s.count, s.base, out.base, nil)
      return Tensor(_storage: out)
    }
    let part = TensorStorage<Scalar>.make(uninitializedShape: s.shape)
    kernel(s.count, s.base, out.base, part.base)
    return _recordNode(
      Tensor(_storage: out), x, nil, .elementwise(.tensor(Tensor(_storage: part)), .one), op)
  }

  /// Records a small unary operation element by element on the 0-d fast path
  /// (nil: not applicable, take the node path).
  @inlinable
  static func _unaryElementwise(
    _ x: Tensor, _ storage: Unmanaged<TensorStorage<Scalar>>, _ op: OpCode, _ f: (Scalar) -> (Scalar, Scalar)
  ) -> Tensor? {
    // The tape and the operand's storage are borrowed (the operand or the
    // thread's registry holds them): only the result retains the tape.
    Tape.home(x, nil)._withUnsafeGuaranteedRef { tape in
      if tape.modeFlags != 0 { return nil }
      guard let sx = tape.elementSlots(of: x), sx >= 0 else { return nil }
      let (out, src, n) = storage._withUnsafeGuaranteedRef { s in (tape.storagePool.storage(like: s), s.base, s.count) }
      let dst = out.base
      let first = tape.count
      for i in 0..<n {
        let (v, d) = f(src[i])
        dst[i] = v
        _ = tape.append(sx + Int32(i), d, -1, 0, op)
      }
      return Tensor(_storage: out, tape: tape, firstSlot: first)
    }
  }

  /// Records a small binary operation element by element on the 0-d fast
  /// path (nil: not applicable, take the node path). `shapeA`, `shapeB` and
  /// `outShape` are the operands' shapes and their broadcast.
  @inlinable
  static func _binaryElementwise(
    _ a: Tensor, _ b: Tensor, _ shapeA: [Int], _ shapeB: [Int], _ outShape: [Int], _ op: OpCode,
    _ f: (Scalar, Scalar) -> (Scalar, Scalar, Scalar)
  ) -> Tensor? {
    let tape = Tape.home(a, b).takeUnretainedValue()
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
    // broadcasting to work out. (The storage is borrowed from its tensor,
    // without a retain; no closure captures `f`, which would keep the 0-d
    // path above from inlining it.)
    if b._storage == nil && a._node != nil {
      let s = a._unretainedStorage
      let n = s._withUnsafeGuaranteedRef { $0.count }
      if n > 0 && n <= _scalarizeLimit, let r = _binaryElementwise(a, s, b, op, f) { return r }
    }
    if a._storage == nil && b._node != nil {
      let s = b._unretainedStorage
      let n = s._withUnsafeGuaranteedRef { $0.count }
      if n > 0 && n <= _scalarizeLimit,
        let r = _binaryElementwise(b, s, a, op, { x, y in let (v, dy, dx) = f(y, x); return (v, dx, dy) })
      {
        return r
      }
    }
    return _binaryND(a, b, op, kind, f)
  }

  /// Records `f(x, c)` element by element on the 0-d fast path, for a small
  /// recorded `x` (storage `s`) and a 0-d `c`; nil: not applicable.
  @inlinable @inline(__always)
  static func _binaryElementwise(
    _ x: Tensor, _ storage: Unmanaged<TensorStorage<Scalar>>, _ c: Tensor, _ op: OpCode,
    _ f: (Scalar, Scalar) -> (Scalar, Scalar, Scalar)
  ) -> Tensor? {
    Tape.home(x, c)._withUnsafeGuaranteedRef { tape in
      if tape.modeFlags != 0 { return nil }
      guard let sx = tape.elementSlots(of: x), let sc = tape.elementSlots(of: c) else { return nil }
      let (out, src, n) = storage._withUnsafeGuaranteedRef { s in (tape.storagePool.storage(like: s), s.base, s.count) }
      let dst = out.base, y = c._value
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

/// The fewest elements for which an element-wise operation uses a bulk
/// kernel (below, the per-element path costs less than the call).
@usableFromInline let _bulkKernelMinimum = 64

/// `tanh` of a `Double` tensor by the AVX2 + FMA kernel (the values and
/// partials of `DerivativeRules.tanh`, tested against it to a few ulp), or
/// nil where the CPU lacks the kernel's features.
@usableFromInline
func _tanhKernel(_ x: Tensor<Double>) -> Tensor<Double>? {
  guard _cpuHasAVX2FMA else { return nil }
  return Tensor<Double>._unaryNDBulk(x, .tanh) { n, src, dst, part in leibniz_tanh_f64(n, src, dst, part) }
}
