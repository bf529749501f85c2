import DifferentiableModule

// MARK: - Pairwise summation

// A running sum of n terms can be off by about n·ε relative to the total (in
// Float, 2²⁴ ones sum to 2²⁴ and two million 0.1s lose 1.5 %); summing the
// halves separately and adding them bounds the error by about log₂(n)·ε.
// Blocks of up to `_pairwiseBlock` elements keep the plain loop, so the cost
// is one extra addition per block (the scheme NumPy uses).

/// Elements summed by a plain running loop at the leaves of the pairwise
/// recursion.
@inlinable @inline(__always)
var _pairwiseBlock: Int { 128 }

/// The sum of `count` contiguous elements by pairwise summation: error about
/// log₂(count)·ε instead of count·ε. Up to `_pairwiseBlock` elements, the
/// plain loop `0 + p[0] + p[1] + …`.
///
/// ```swift
/// [Float](repeating: 0.1, count: 4_000_000).withUnsafeBufferPointer {
///   _pairwiseSum($0.baseAddress!, $0.count)   // ≈ 400000 (a running sum: 384524.8)
/// }
/// ```
@inlinable
func _pairwiseSum<Scalar: DifferentiableScalar>(_ p: UnsafePointer<Scalar>, _ count: Int) -> Scalar {
  if count <= _pairwiseBlock {
    var total: Scalar = 0
    for i in 0..<count { total += p[i] }
    return total
  }
  let half = count / 2
  return _pairwiseSum(p, half) + _pairwiseSum(p + half, count - half)
}

/// Sums `rows` contiguous rows of `width` elements into `dst` (written, not
/// added to), pairwise over the rows as `_pairwiseSum` does over elements;
/// `scratch` holds `_pairwiseScratchRows(rows) · width` elements.
///
/// ```swift
/// // Column sums of a rows × width matrix `m`:
/// _pairwiseSumRows(m, rows: rows, width: width, into: sums, scratch: scratch)
/// ```
@inlinable
func _pairwiseSumRows<Scalar: DifferentiableScalar>(
  _ p: UnsafePointer<Scalar>, rows: Int, width: Int, into dst: UnsafeMutablePointer<Scalar>,
  scratch: UnsafeMutablePointer<Scalar>
) {
  if rows <= _pairwiseBlock {
    for k in 0..<width { dst[k] = 0 }
    for i in 0..<rows {
      let row = p + i * width
      for k in 0..<width { dst[k] += row[k] }
    }
    return
  }
  // The first half goes to `dst`, the second to the head of `scratch` (each
  // level of the recursion uses the next `width` elements).
  let half = rows / 2
  _pairwiseSumRows(p, rows: half, width: width, into: dst, scratch: scratch)
  _pairwiseSumRows(p + half * width, rows: rows - half, width: width, into: scratch, scratch: scratch + width)
  for k in 0..<width { dst[k] += scratch[k] }
}

/// The number of `width`-element rows of scratch `_pairwiseSumRows` needs
/// for `rows` rows: the depth of its recursion.
///
/// ```swift
/// _pairwiseScratchRows(100)   // 0
/// _pairwiseScratchRows(1000)  // 3
/// ```
@inlinable
func _pairwiseScratchRows(_ rows: Int) -> Int {
  var depth = 0, r = rows
  while r > _pairwiseBlock {
    r -= r / 2
    depth += 1
  }
  return depth
}

/// Calls `body` with zeroed scratch for `_pairwiseSumRows` over `rows` rows
/// of `width` elements.
///
/// ```swift
/// _withPairwiseScratch(Double.self, rows: 1000, width: 4) { s in … }
/// ```
@inlinable
func _withPairwiseScratch<Scalar: DifferentiableScalar>(
  _: Scalar.Type, rows: Int, width: Int, _ body: (UnsafeMutablePointer<Scalar>) -> Void
) {
  let n = Swift.max(1, _pairwiseScratchRows(rows) * width)
  let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: n)
  scratch.initialize(repeating: 0, count: n)
  defer {
    scratch.deinitialize(count: n)
    scratch.deallocate()
  }
  body(scratch)
}

// MARK: - Plain kernels (no recording)

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

// MARK: - Sums and means

extension Tensor {
  /// The sum of all elements, a 0-d tensor, added pairwise (error about
  /// log₂(n)·ε, so long Float sums stay accurate). Backward: the gradient is
  /// spread to every element.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3]).sum().scalar   // 6
  /// ```
  @inlinable
  public func sum() -> Tensor {
    if _storage == nil { return self }
    let total = _withScalars { p, n in _pairwiseSum(p, n) }
    let shape = self.shape
    return Tensor._recordNode(
      Tensor(_value: total), [self], .custom { g in [Tensor.full(g.scalar, shape: shape)] }, .sum)
  }

  /// The mean of all elements, a 0-d tensor; NaN for a tensor without
  /// elements (0/0, as NumPy and PyTorch give), with gradient 0 (there is no
  /// element to receive one).
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3]).mean().scalar  // 2
  /// Tensor<Double>.zeros([0]).mean().scalar  // nan
  /// ```
  @inlinable
  public func mean() -> Tensor {
    if _storage == nil { return self }
    let n = scalarCount
    let total = _withScalars { p, n in _pairwiseSum(p, n) }
    let shape = self.shape
    let scale = 1 / Scalar(Double(n))
    return Tensor._recordNode(
      Tensor(_value: total * scale), [self],
      .custom { g in [Tensor.full(g.scalar * scale, shape: shape)] }, .mean)
  }

  /// Sums along the given axes, keeping them with extent 1 (negative axes
  /// count from the end; an axis named twice traps; no axes is the
  /// identity). Added pairwise, as `sum()`.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).sum(alongAxes: 1).scalars   // [3, 7], shape [2, 1]
  /// ```
  @inlinable
  public func sum(alongAxes axes: Int...) -> Tensor { sum(alongAxes: axes) }

  /// Sums along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// x.sum(alongAxes: [0, 1])
  /// ```
  @inlinable
  public func sum(alongAxes axes: [Int]) -> Tensor {
    let ax = _normalizedAxes(axes, "sum(alongAxes:)")
    let shape = self.shape
    return Tensor._recordNode(
      _sumPlain(keepingAxes: ax), [self], .custom { g in [g._expandedPlain(to: shape)] }, .sum)
  }

  /// Means along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).mean(alongAxes: 0).scalars  // [2, 3], shape [1, 2]
  /// ```
  @inlinable
  public func mean(alongAxes axes: Int...) -> Tensor { mean(alongAxes: axes) }

  /// Means along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// x.mean(alongAxes: [0])
  /// ```
  @inlinable
  public func mean(alongAxes axes: [Int]) -> Tensor {
    let ax = _normalizedAxes(axes, "mean(alongAxes:)")
    var n = 1
    for a in ax { n *= shape[a] }
    let scale = Tensor(_value: 1 / Scalar(Double(n)))
    let shape = self.shape
    let value = _sumPlain(keepingAxes: ax) * scale
    return Tensor._recordNode(
      value, [self], .custom { g in [(g * scale)._expandedPlain(to: shape)] }, .mean)
  }
}

// MARK: - Maxima and minima

extension Tensor {
  /// The largest (`isMax`) or smallest elements along the given
  /// (normalised, distinct) axes, kept with extent 1, or as a 0-d tensor when
  /// `keepingAxes` is false (all axes).
  ///
  /// NaN propagates as in PyTorch: a NaN anywhere among the reduced elements
  /// makes the result NaN. Backward: the gradient goes to the elements equal
  /// to the result, split evenly among ties; when the result is NaN, to the
  /// NaN elements (as PyTorch's `evenly_distribute_backward`).
  @inlinable
  func _extremum(_ axes: [Int], _ isMax: Bool, _ op: OpCode, keepingAxes: Bool = true) -> Tensor {
    guard scalarCount > 0 else { fatalError("Tensor.\(isMax ? "max" : "min"): empty tensor of shape \(shape)") }
    let ax = axes
    let outShape = _keptShape(ax)
    let src = shape
    var best = Tensor(_shape: outShape) { _, _ in }
    var firstSeen = [Bool](repeating: false, count: _elementCount(outShape))
    // A tie between elements whose derivative parts differ (dual scalars).
    var tiedParts = false
    _withScalars { p, _ in
      best._withMutable { q in
        _broadcastLoop(src, src, outShape) { _, ia, ib in
          let v = p[ia]
          // `v != v` is NaN; once the result is NaN, no comparison replaces it.
          if !firstSeen[ib] || (isMax ? v > q[ib] : v < q[ib]) || v != v {
            q[ib] = v
            firstSeen[ib] = true
          } else if v == q[ib] && !(v - q[ib]).isIdenticallyZero {
            tiedParts = true
          }
        }
        // As the gradient splits evenly among ties, a tied result carries the
        // mean of the tied elements' derivative parts (as `Dual`'s max does):
        // best + Σ (tied − best)/k, whose value part is exactly best's. Plain
        // scalars never get here, so they keep the first tied value (−0 too).
        if tiedParts {
          var counts = [Int](repeating: 0, count: firstSeen.count)
          var excess = [Scalar](repeating: 0, count: firstSeen.count)
          _broadcastLoop(src, src, outShape) { _, ia, ib in
            if p[ia] == q[ib] {
              counts[ib] += 1
              excess[ib] += p[ia] - q[ib]
            }
          }
          for i in 0..<counts.count where counts[i] > 1 { q[i] += excess[i] / Scalar(Double(counts[i])) }
        }
      }
    }
    let input = self._constant
    let value = keepingAxes ? best : best._reshapedPlain([])
    let reshapedBest = best
    return Tensor._recordNode(value, [self], .custom { g in
      // The gradient goes to the extremal elements, split evenly among ties
      // (to the NaN elements when the extremum is NaN). Ties are counted in
      // Int: a Float count stops at 2²⁴.
      let gk = g._reshapedPlain(outShape)
      var mask = Tensor(_shape: src) { _, _ in }
      var counts = [Int](repeating: 0, count: _elementCount(outShape))
      input._withScalars { p, _ in
        reshapedBest._withScalars { b, _ in
          mask._withMutable { m in
            _broadcastLoop(src, src, outShape) { i, ia, ib in
              let v = p[ia], e = b[ib]
              let hit = v == e || (e != e && v != v)
              m[i] = hit ? 1 : 0
              if hit { counts[ib] += 1 }
            }
          }
        }
      }
      let share = Tensor(_shape: outShape) { q, n in
        for i in 0..<n { q[i] = Scalar(Double(counts[i])) }
      }
      return [mask * (gk / share)._expandedPlain(to: src)]
    }, op)
  }

  /// Calls `body` with the elements for writing (the storage is unique: it
  /// was just created by a kernel).
  @inlinable
  mutating func _withMutable(_ body: (UnsafeMutablePointer<Scalar>) -> Void) {
    if let s = _storage { body(s.base) } else { body(&_value) }
  }

  /// The largest element, a 0-d tensor; the gradient goes to the largest
  /// elements, split evenly among ties. A NaN anywhere gives NaN (as in
  /// PyTorch), and then the gradient goes to the NaN elements.
  ///
  /// ```swift
  /// Tensor<Double>([1, 5, 3]).max().scalar     // 5
  /// Tensor<Double>([1, .nan, 3]).max().scalar  // nan
  /// ```
  @inlinable
  public func max() -> Tensor {
    _storage == nil ? self : _extremum(Array(0..<rank), true, .max, keepingAxes: false)
  }

  /// The smallest element, a 0-d tensor; ties split the gradient. A NaN
  /// anywhere gives NaN, as for `max()`.
  ///
  /// ```swift
  /// Tensor<Double>([1, 5, 3]).min().scalar   // 1
  /// ```
  @inlinable
  public func min() -> Tensor {
    _storage == nil ? self : _extremum(Array(0..<rank), false, .min, keepingAxes: false)
  }

  /// The largest elements along the given axes, kept with extent 1 (negative
  /// axes count from the end); NaN propagates as in `max()`.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).max(alongAxes: 1).scalars   // [5, 7]
  /// ```
  @inlinable
  public func max(alongAxes axes: Int...) -> Tensor { max(alongAxes: axes) }

  /// The largest elements along the given axes, kept with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).max(alongAxes: [0, 1]).scalars   // [7], shape [1, 1]
  /// ```
  @inlinable
  public func max(alongAxes axes: [Int]) -> Tensor {
    _extremum(_normalizedAxes(axes, "max(alongAxes:)"), true, .max)
  }

  /// The smallest elements along the given axes, kept with extent 1 (negative
  /// axes count from the end); NaN propagates as in `max()`.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).min(alongAxes: 1).scalars   // [1, 2]
  /// ```
  @inlinable
  public func min(alongAxes axes: Int...) -> Tensor { min(alongAxes: axes) }

  /// The smallest elements along the given axes, kept with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).min(alongAxes: [-1]).scalars   // [1, 2], shape [2, 1]
  /// ```
  @inlinable
  public func min(alongAxes axes: [Int]) -> Tensor {
    _extremum(_normalizedAxes(axes, "min(alongAxes:)"), false, .min)
  }
}
