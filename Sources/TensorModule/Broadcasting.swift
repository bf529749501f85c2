import DifferentiableModule

// NumPy broadcasting: the shape two operands broadcast to, and loops over
// the elements of a broadcast.

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
