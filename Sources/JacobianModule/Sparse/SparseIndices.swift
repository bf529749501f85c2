/// A small sorted set of input indices, the dependencies of one value during
/// sparsity detection: up to four inline (no allocation, the common case for
/// local terms), more in an array.
@frozen @usableFromInline
struct SparseIndices: Sendable, Equatable {
  @usableFromInline var count: Int32
  @usableFromInline var inline: SIMD4<Int32>
  @usableFromInline var spill: [Int32]?

  @inlinable
  static var empty: SparseIndices { SparseIndices(count: 0, inline: .zero, spill: nil) }

  @inlinable
  init(count: Int32, inline: SIMD4<Int32>, spill: [Int32]?) {
    self.count = count
    self.inline = inline
    self.spill = spill
  }

  /// The set {index}.
  @inlinable
  init(_ index: Int) {
    self.init(count: 1, inline: SIMD4(Int32(index), 0, 0, 0), spill: nil)
  }

  @inlinable
  var isEmpty: Bool { count == 0 }

  /// Calls `body` with each index, in increasing order.
  @inlinable
  func forEach(_ body: (Int32) -> Void) {
    if let spill {
      for i in spill { body(i) }
    } else {
      for k in 0..<Int(count) { body(inline[k]) }
    }
  }

  @inlinable
  subscript(k: Int) -> Int32 { spill?[k] ?? inline[k] }

  /// The union of two sets: merged in registers while both are inline and
  /// the union has at most four indices.
  @inlinable @inline(__always)
  func union(_ other: SparseIndices) -> SparseIndices {
    if other.count == 0 { return self }
    if count == 0 { return other }
    guard spill == nil && other.spill == nil else { return unionSpilling(other) }
    let n = Int(count), m = Int(other.count)
    var x = inline, y = other.inline, out = SIMD4<Int32>.zero
    // Through pointers: a SIMD vector indexed by a variable goes through memory anyway.
    let t: Int = withUnsafeBytes(of: &x) { rx in
      withUnsafeBytes(of: &y) { ry in
        withUnsafeMutableBytes(of: &out) { ro in
          let px = rx.assumingMemoryBound(to: Int32.self).baseAddress.unsafelyUnwrapped
          let py = ry.assumingMemoryBound(to: Int32.self).baseAddress.unsafelyUnwrapped
          let po = ro.assumingMemoryBound(to: Int32.self).baseAddress.unsafelyUnwrapped
          var t = 0, i = 0, j = 0
          while i < n || j < m {
            let v: Int32
            if j == m || (i < n && px[i] < py[j]) {
              v = px[i]
              i += 1
            } else if i == n || py[j] < px[i] {
              v = py[j]
              j += 1
            } else {
              v = px[i]
              i += 1
              j += 1
            }
            if t == 4 { return 5 }
            po[t] = v
            t += 1
          }
          return t
        }
      }
    }
    if t > 4 { return unionSpilling(other) }
    return SparseIndices(count: Int32(t), inline: out, spill: nil)
  }

  /// The union as an array of indices.
  @usableFromInline @inline(never)
  func unionSpilling(_ other: SparseIndices) -> SparseIndices {
    let n = Int(count), m = Int(other.count)
    var merged = [Int32]()
    merged.reserveCapacity(n + m)
    var i = 0, j = 0
    while i < n || j < m {
      if j == m || (i < n && self[i] < other[j]) {
        merged.append(self[i])
        i += 1
      } else if i == n || other[j] < self[i] {
        merged.append(other[j])
        j += 1
      } else {
        merged.append(self[i])
        i += 1
        j += 1
      }
    }
    if merged.count <= 4 {
      var inline = SIMD4<Int32>.zero
      for k in merged.indices { inline[k] = merged[k] }
      return SparseIndices(count: Int32(merged.count), inline: inline, spill: nil)
    }
    return SparseIndices(count: Int32(merged.count), inline: .zero, spill: merged)
  }
}
