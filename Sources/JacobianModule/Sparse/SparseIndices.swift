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

  /// The union of two sets.
  @inlinable
  func union(_ other: SparseIndices) -> SparseIndices {
    if other.count == 0 { return self }
    if count == 0 { return other }
    if self == other { return self }
    let n = Int(count), m = Int(other.count)
    var out = SparseIndices.empty
    var spill: [Int32] = []
    var total = 0
    @inline(__always) func put(_ v: Int32) {
      if total < 4 && spill.isEmpty {
        out.inline[total] = v
      } else {
        if spill.isEmpty {
          spill.reserveCapacity(n + m)
          for k in 0..<4 { spill.append(out.inline[k]) }
        }
        spill.append(v)
      }
      total += 1
    }
    var i = 0, j = 0
    while i < n || j < m {
      if j == m || (i < n && self[i] < other[j]) {
        put(self[i]); i += 1
      } else if i == n || other[j] < self[i] {
        put(other[j]); j += 1
      } else {
        put(self[i]); i += 1; j += 1
      }
    }
    out.count = Int32(total)
    if !spill.isEmpty { out.spill = spill }
    return out
  }
}
