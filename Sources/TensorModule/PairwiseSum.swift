import DifferentiableModule

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
