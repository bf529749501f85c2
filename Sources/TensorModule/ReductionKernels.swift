import DifferentiableModule

// The reductions without recording, shared by the recorded ones and their
// backward rules.

extension Tensor {
  /// Normalises axes (negative counts from the end); traps when one is out
  /// of range or when two name the same axis (`[1, -1]` of a matrix).
  @inlinable
  func _normalizedAxes(_ axes: [Int], _ operation: String) -> [Int] {
    let r = rank
    let normalized = axes.map { a in
      let n = a < 0 ? a + r : a
      guard n >= 0 && n < r else { fatalError("Tensor.\(operation): axis \(a) is out of range for shape \(shape)") }
      return n
    }
    if normalized.count > 1 {
      var seen = [Bool](repeating: false, count: r)
      for n in normalized {
        if seen[n] { _repeatedAxis(n, axes, operation) }
        seen[n] = true
      }
    }
    return normalized
  }

  @usableFromInline @inline(never)
  func _repeatedAxis(_ axis: Int, _ axes: [Int], _ operation: String) -> Never {
    fatalError("Tensor.\(operation): axes \(axes) name axis \(axis) more than once (shape \(shape))")
  }

  /// The shape with the given axes set to 1.
  @inlinable
  func _keptShape(_ axes: [Int]) -> [Int] {
    var s = shape
    for a in axes { s[a] = 1 }
    return s
  }

  /// Sum over the given (normalised, distinct) axes, keeping them with
  /// extent 1; pairwise over each run of reduced axes (see `_pairwiseSum`).
  /// With no axis of extent other than 1 to reduce, a copy.
  @inlinable
  func _sumPlain(keepingAxes axes: [Int]) -> Tensor {
    let src = shape
    let r = src.count
    var reduced = [Bool](repeating: false, count: r)
    for a in axes where src[a] != 1 { reduced[a] = true }
    // The last run of reduced axes, [lo, hi), extended over axes of extent 1.
    var hi = r
    while hi > 0 && !reduced[hi - 1] { hi -= 1 }
    if hi == 0 { return _reshapedPlain(_keptShape(axes)) }
    var lo = hi - 1
    while lo > 0 && (reduced[lo - 1] || src[lo - 1] == 1) { lo -= 1 }
    var outer = 1, count = 1, inner = 1
    for i in 0..<lo { outer *= src[i] }
    for i in lo..<hi { count *= src[i] }
    for i in hi..<r { inner *= src[i] }
    var outShape = src
    for i in lo..<hi { outShape[i] = 1 }
    let out = Tensor(_shape: outShape) { p, n in p.initialize(repeating: 0, count: n) }
    if outer * inner > 0 && count > 0 {
      let dst = out._storage!.base
      _withScalars { p, _ in
        if inner == 1 {
          for j in 0..<outer { dst[j] = _pairwiseSum(p + j * count, count) }
        } else {
          _withPairwiseScratch(Scalar.self, rows: count, width: inner) { scratch in
            for j in 0..<outer {
              _pairwiseSumRows(p + j * count * inner, rows: count, width: inner, into: dst + j * inner, scratch: scratch)
            }
          }
        }
      }
    }
    // Earlier runs of reduced axes (as in axes [0, 2] of a 3-d tensor): one
    // more pass each over the smaller partial sums.
    let rest = axes.filter { $0 < lo && src[$0] != 1 }
    return rest.isEmpty ? out : out._sumPlain(keepingAxes: rest)
  }

  /// This tensor broadcast to `target` (a plain copy).
  @inlinable
  func _expandedPlain(to target: [Int]) -> Tensor {
    if shape == target { return _constant }
    let src = shape
    _ = _broadcastShape(src, target, .broadcast)
    return _withScalars { p, _ in
      Tensor(_shape: target) { q, _ in
        _broadcastLoop(target, target, src) { i, _, ib in q[i] = p[ib] }
      }
    }
  }

  /// Sums a gradient of a broadcast result down to `target` (undoes
  /// broadcasting).
  @inlinable
  func _summed(toShape target: [Int]) -> Tensor {
    let s = shape
    if s == target { return self }
    if target.isEmpty || _elementCount(target) == 1 && target.allSatisfy({ $0 == 1 }) {
      let total = _withScalars { p, n in _pairwiseSum(p, n) }
      return target.isEmpty ? Tensor(_value: total) : Tensor.full(total, shape: target)
    }
    let pad = s.count - target.count
    var axes: [Int] = []
    for i in 0..<s.count where i < pad || (target[i - pad] == 1 && s[i] != 1) { axes.append(i) }
    let kept = _sumPlain(keepingAxes: axes)
    return kept._reshapedPlain(target)
  }

  /// The same elements with another shape of equal count (a plain copy).
  @inlinable
  func _reshapedPlain(_ target: [Int]) -> Tensor {
    if target == shape { return _constant }
    return _withScalars { p, n in Tensor(_shape: target) { q, _ in q.update(from: p, count: n) } }
  }
}
