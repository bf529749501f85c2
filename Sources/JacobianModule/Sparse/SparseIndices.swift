import DifferentiableModule

/// A small set of input indices, the dependencies of one value during
/// sparsity detection, without reference counting (so that a tracer copies
/// like a number): a 64-bit window `mask` of indices `base ..< base + 64`
/// while they fit one (local terms: stencils, bands, blocks), otherwise a
/// sorted run in the detection's `SparsityArena`.
@frozen @usableFromInline
struct SparseIndices: Sendable {
  /// The first index of the window.
  @usableFromInline var base: Int32
  /// Bit k: index `base + k` (window form).
  @usableFromInline var mask: UInt64
  /// Where the sorted run starts in the arena, or -1 (window form).
  @usableFromInline var start: Int32
  /// The run's length (arena form).
  @usableFromInline var length: Int32
  /// The arena's generation the run belongs to.
  @usableFromInline var generation: UInt32

  @inlinable @inline(__always)
  init(base: Int32, mask: UInt64) {
    self.base = base
    self.mask = mask
    start = -1
    length = 0
    generation = 0
  }

  @inlinable
  static var empty: SparseIndices { SparseIndices(base: 0, mask: 0) }

  /// The set {index}.
  @inlinable @inline(__always)
  init(_ index: Int) { self.init(base: Int32(index), mask: 1) }

  @inlinable
  var isEmpty: Bool { start < 0 && mask == 0 }

  /// Calls `body` with each index, in increasing order.
  @inlinable
  func forEach(_ body: (Int32) -> Void) {
    if start < 0 {
      var m = mask
      while m != 0 {
        body(base + Int32(m.trailingZeroBitCount))
        m &= m - 1
      }
    } else {
      SparsityArena.current.forEach(self, body)
    }
  }

  /// The union of two sets: two shifts and an or while both are windows and
  /// the union fits one.
  @inlinable @inline(__always)
  func union(_ other: SparseIndices) -> SparseIndices {
    if start < 0 && other.start < 0 {
      if other.mask == 0 { return self }
      if mask == 0 { return other }
      let low = Swift.min(base, other.base)
      let top = Swift.max(
        base + Int32(63 - mask.leadingZeroBitCount), other.base + Int32(63 - other.mask.leadingZeroBitCount))
      if top - low < 64 {
        return SparseIndices(base: low, mask: mask << UInt64(base - low) | other.mask << UInt64(other.base - low))
      }
    }
    return SparsityArena.current.union(self, other)
  }
}

/// The sorted runs of index sets that do not fit a window, for one
/// detection on one thread (`SparsityArena.during`).
@usableFromInline
final class SparsityArena {
  @usableFromInline var indices: [Int32] = []
  @usableFromInline let generation: UInt32

  @usableFromInline init(generation: UInt32) { self.generation = generation }

  @usableFromInline static let key = ThreadLocalKey()
  static let generations = Locked<UInt32>(0)

  /// This thread's arena; a tracer used outside its detection stops.
  @usableFromInline static var current: SparsityArena {
    guard let arena = key.object(as: SparsityArena.self) else { outsideDetection() }
    return arena
  }

  /// Runs `body` with a fresh arena on this thread.
  @usableFromInline
  static func during<R>(_ body: () -> R) -> R {
    let generation = generations.withLock { g in
      g &+= 1
      return g
    }
    return key.with(SparsityArena(generation: generation), body)
  }

  @usableFromInline
  func forEach(_ s: SparseIndices, _ body: (Int32) -> Void) {
    if s.start < 0 {
      s.forEach(body)
      return
    }
    if s.generation != generation { SparsityArena.outsideDetection() }
    for k in Int(s.start)..<Int(s.start + s.length) { body(indices[k]) }
  }

  /// The union of two sets, as a window if it fits one, else a new run.
  @usableFromInline @inline(never)
  func union(_ a: SparseIndices, _ b: SparseIndices) -> SparseIndices {
    // A running sum's set grows by a few indices at a time: without these
    // two cases each step would copy it whole (quadratic time and memory).
    if let u = unionWithinOrAfter(a, b) ?? unionWithinOrAfter(b, a) { return u }
    var x = [Int32](), y = [Int32]()
    forEach(a) { x.append($0) }
    forEach(b) { y.append($0) }
    var merged = [Int32]()
    merged.reserveCapacity(x.count + y.count)
    var i = 0, j = 0
    while i < x.count || j < y.count {
      if j == y.count || (i < x.count && x[i] < y[j]) {
        merged.append(x[i])
        i += 1
      } else if i == x.count || y[j] < x[i] {
        merged.append(y[j])
        j += 1
      } else {
        merged.append(x[i])
        i += 1
        j += 1
      }
    }
    if let first = merged.first, let last = merged.last, last - first < 64 {
      var mask: UInt64 = 0
      for v in merged { mask |= 1 << UInt64(v - first) }
      return SparseIndices(base: first, mask: mask)
    }
    var s = SparseIndices.empty
    s.start = Int32(indices.count)
    s.length = Int32(merged.count)
    s.generation = generation
    indices.append(contentsOf: merged)
    return s
  }

  /// `run ∪ other` without a new run when `run` is a run and `other` is
  /// small: `run` itself if it holds all of `other` (found by binary search),
  /// or `run` extended in place if it is the arena's last run and `other`
  /// lies after it (the old run, a prefix of the new one, stays valid).
  @usableFromInline
  func unionWithinOrAfter(_ run: SparseIndices, _ other: SparseIndices) -> SparseIndices? {
    guard run.start >= 0, run.length > 0 else { return nil }
    if run.generation != generation { SparsityArena.outsideDetection() }
    let lo = Int(run.start), hi = Int(run.start + run.length)
    if other.start >= 0 && other.length > 8 { return nil }
    var extra = [Int32]()
    var inside = true
    forEach(other) { v in
      var l = lo, h = hi
      while l < h {
        let mid = (l + h) / 2
        if indices[mid] < v { l = mid + 1 } else { h = mid }
      }
      if l == hi || indices[l] != v {
        inside = false
        extra.append(v)
      }
    }
    if inside { return run }
    guard hi == indices.count, let first = extra.first, first > indices[hi - 1] else { return nil }
    indices.append(contentsOf: extra)
    var u = run
    u.length += Int32(extra.count)
    return u
  }

  @usableFromInline @inline(never)
  static func outsideDetection() -> Never {
    fatalError("""
      sparsity detection: a value traced by one detection was used after it ended (kept in a cache \
      or a property of the function?)
      """)
  }
}
