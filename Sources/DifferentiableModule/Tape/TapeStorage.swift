/// The entries of a reverse-mode tape, with one mark beside each (what the
/// tape needs per entry: `Tensor`'s operation codes, the scalar tape's
/// dependency marks). Both `Tensor`'s tape and the scalar tape of the
/// Jacobian verbs record into one.
///
/// The entries live in segments that never move: the first holds a power of
/// two of entries, c, and segment k ≥ 1 holds slots c·2ᵏ⁻¹ ..< c·2ᵏ, so the
/// capacity doubles as the tape grows without copying, and a slot's segment
/// follows from its number. A thread other than the one that appends may
/// therefore read (and mark) entries it knows of while the tape grows: the
/// reading functions (`entry(_:at:)`, `mark(_:at:)`) touch only the segment
/// table, whose rows are written once, when a segment is made and before any
/// of its slots exists. Memory comes from and returns to the thread's
/// `TapeMemory`.
///
/// ```swift
/// var storage = TapeStorage<Double, UInt8>(minimumCapacity: 64)
/// let slot = storage.append(TapeEntry(a: -1, b: -1, da: 0, db: 0), mark: 0)
/// storage.release()
/// ```
@frozen @usableFromInline
package struct TapeStorage<Scalar, Mark> {
  /// The last segment, which appends write to, addressed by slot: slot s of
  /// it is `entries[s]` and `marks[s]` (both pointers are offset back by
  /// `start`, the slot of its first entry).
  @usableFromInline package var entries: UnsafeMutablePointer<TapeEntry<Scalar>>
  @usableFromInline package var marks: UnsafeMutablePointer<Mark>
  @usableFromInline package var start: Int
  @usableFromInline package var count: Int
  /// The slot after the last segment; 0 once released: an append then stops
  /// in `grow` (see `release`).
  @usableFromInline package var capacity: Int
  /// log₂ of the first segment's size.
  @usableFromInline package var firstShift: Int
  /// The first segment (its block as it came from `TapeMemory`).
  @usableFromInline package var first: TapeMemory.Block
  /// Segments 1, 2, …: row k − 1 holds segment k's entries and marks; made
  /// at the first growth.
  @usableFromInline package var table: UnsafeMutablePointer<(UnsafeMutableRawPointer, UnsafeMutableRawPointer)>?

  /// The most segments a tape has (slots are Int32).
  @usableFromInline static var maxSegments: Int { 33 }

  /// An empty tape on the memory this thread's last tape left in its
  /// `TapeMemory` (no fresh pages to fault in), or on new memory for
  /// `minimumCapacity` entries: for a tape that lives for one call.
  @inlinable
  package init(minimumCapacity: Int) {
    let (block, entries) = TapeMemory.take(
      minimumEntries: minimumCapacity, entryStride: MemoryLayout<TapeEntry<Scalar>>.stride,
      markStride: MemoryLayout<Mark>.stride)
    self.init(block, entries)
  }

  /// An empty tape on new memory for `capacity` entries: for a tape that may
  /// live long, which must not hold the thread's kept memory.
  @inlinable
  package init(freshCapacity capacity: Int) {
    let strides = (MemoryLayout<TapeEntry<Scalar>>.stride, MemoryLayout<Mark>.stride)
    let block = TapeMemory.allocate(entries: capacity, entryStride: strides.0, markStride: strides.1)
    self.init(block, Swift.min(block.bytes / strides.0, block.markByteCount / strides.1))
  }

  /// A tape whose first segment is `block`, used for the largest power of
  /// two of entries it holds (at most `entries`).
  @inlinable
  init(_ block: TapeMemory.Block, _ entries: Int) {
    let shift = Int.bitWidth - 1 - entries.leadingZeroBitCount
    let size = 1 << shift
    self.entries = block.entryBytes.bindMemory(to: TapeEntry<Scalar>.self, capacity: size)
    self.marks = block.markBytes.bindMemory(to: Mark.self, capacity: size)
    self.start = 0
    self.count = 0
    self.capacity = size
    self.firstShift = shift
    self.first = block
    self.table = nil
  }

  /// Appends `entry` and returns its slot; its mark is left unset.
  @inlinable @inline(__always)
  package mutating func append(_ entry: TapeEntry<Scalar>) -> Int32 {
    if count == capacity { grow() }
    (entries + count).initialize(to: entry)
    count += 1
    return Int32(truncatingIfNeeded: count - 1)
  }

  /// Appends `entry` with its mark and returns its slot.
  @inlinable @inline(__always)
  package mutating func append(_ entry: TapeEntry<Scalar>, mark: Mark) -> Int32 {
    if count == capacity { grow() }
    (entries + count).initialize(to: entry)
    marks[count] = mark
    count += 1
    return Int32(truncatingIfNeeded: count - 1)
  }

  /// Adds a segment as large as all before it. Releases no Swift object (only
  /// raw buffers), which lets the optimiser keep operands borrowed across the
  /// call.
  @usableFromInline @inline(never) @_effects(releasenone)
  package mutating func grow() {
    if capacity == 0 { recordingEnded() }
    // Slots are Int32: the capacity never passes Int32.max.
    guard capacity <= Int(Int32.max) / 2 else { tapeOverflow() }
    let k = Self.segment(ofSlot: capacity, firstShift: firstShift)
    if table == nil {
      let t = UnsafeMutablePointer<(UnsafeMutableRawPointer, UnsafeMutableRawPointer)>.allocate(
        capacity: Self.maxSegments)
      table = t
    }
    let size = capacity  // segment k holds as many entries as all before it
    let block = TapeMemory.allocate(
      entries: size, entryStride: MemoryLayout<TapeEntry<Scalar>>.stride, markStride: MemoryLayout<Mark>.stride)
    (table.unsafelyUnwrapped + (k - 1)).initialize(to: (block.entryBytes, block.markBytes))
    entries = block.entryBytes.bindMemory(to: TapeEntry<Scalar>.self, capacity: size) - capacity
    marks = block.markBytes.bindMemory(to: Mark.self, capacity: size) - capacity
    start = capacity
    capacity += size
  }

  // MARK: - Reading by slot

  /// The segment that holds slot `s`.
  @inlinable @inline(__always)
  static func segment(ofSlot s: Int, firstShift: Int) -> Int {
    let q = s &>> firstShift
    return q == 0 ? 0 : Int.bitWidth &- q.leadingZeroBitCount
  }

  /// The first slot of segment `k`.
  @inlinable @inline(__always)
  static func segmentStart(_ k: Int, firstShift: Int) -> Int {
    k == 0 ? 0 : 1 &<< (firstShift &+ k &- 1)
  }

  /// Segment `k`'s entries and marks.
  @inlinable @inline(__always)
  static func segmentBase(
    _ storage: UnsafePointer<TapeStorage>, _ k: Int
  ) -> (UnsafeMutablePointer<TapeEntry<Scalar>>, UnsafeMutablePointer<Mark>) {
    let raw = k == 0
      ? (storage.pointee.first.entryBytes, storage.pointee.first.markBytes)
      : storage.pointee.table.unsafelyUnwrapped[k - 1]
    return (raw.0.assumingMemoryBound(to: TapeEntry<Scalar>.self), raw.1.assumingMemoryBound(to: Mark.self))
  }

  /// The entry at slot `s` of the tape at `storage`, read without touching
  /// the fields that appends change (any thread that knows of slot `s`).
  @inlinable @inline(__always)
  package static func entry(_ storage: UnsafePointer<TapeStorage>, at s: Int) -> TapeEntry<Scalar> {
    let shift = storage.pointee.firstShift
    let k = segment(ofSlot: s, firstShift: shift)
    return segmentBase(storage, k).0[s &- segmentStart(k, firstShift: shift)]
  }

  /// The mark of slot `s` of the tape at `storage` (see `entry(_:at:)`).
  @inlinable @inline(__always)
  package static func mark(_ storage: UnsafePointer<TapeStorage>, at s: Int) -> UnsafeMutablePointer<Mark> {
    let shift = storage.pointee.firstShift
    let k = segment(ofSlot: s, firstShift: shift)
    return segmentBase(storage, k).1 + (s &- segmentStart(k, firstShift: shift))
  }

  /// The mark of slot `s` for the appending thread: in the last segment
  /// directly, else through the segment table.
  @inlinable @inline(__always)
  package static func ownMark(_ storage: UnsafeMutablePointer<TapeStorage>, at s: Int) -> UnsafeMutablePointer<Mark> {
    let start = storage.pointee.start
    return s >= start ? storage.pointee.marks + s : mark(storage, at: s)
  }

  /// The entry at slot `s` for the appending thread (see `ownMark`).
  @inlinable @inline(__always)
  package static func ownEntry(_ storage: UnsafeMutablePointer<TapeStorage>, at s: Int) -> TapeEntry<Scalar> {
    s >= storage.pointee.start ? storage.pointee.entries[s] : entry(storage, at: s)
  }

  /// Calls `body(entries, marks, first, hi, lo)` for each segment that
  /// holds part of slots `lo ... hi`, from the top down: the part is slots
  /// `lo ... hi` of that call, and slot s's entry and mark are
  /// `entries[s − first]` and `marks[s − first]`.
  @inlinable @inline(__always)
  package static func forEachSegment(
    _ storage: UnsafePointer<TapeStorage>, from hi: Int, downTo lo: Int,
    _ body: (UnsafePointer<TapeEntry<Scalar>>, UnsafeMutablePointer<Mark>, _ first: Int, _ hi: Int, _ lo: Int) -> Void
  ) {
    guard hi >= lo else { return }
    let shift = storage.pointee.firstShift
    var k = segment(ofSlot: hi, firstShift: shift)
    var top = hi
    while true {
      let first = segmentStart(k, firstShift: shift)
      let (entries, marks) = segmentBase(storage, k)
      body(UnsafePointer(entries), marks, first, top, Swift.max(first, lo))
      if first <= lo || k == 0 { return }
      top = first - 1
      k -= 1
    }
  }

  // MARK: - Ending

  /// Empties the tape, keeping room for as many entries as it had if that is
  /// at most `keptCapacity`, else for 64.
  @inlinable
  package mutating func removeAll(keepingCapacityUpTo keptCapacity: Int) {
    deinitializeEntries()
    count = 0
    if start == 0 && capacity <= keptCapacity { return }
    let total = capacity
    end(keepingMemory: false)
    // One segment as large as the whole tape was, so that the next graph of
    // the same size appends without growing.
    self = TapeStorage(freshCapacity: total <= keptCapacity ? total : 64)
  }

  /// Frees the tape's memory (not kept for another tape); capacity 0 after.
  @inlinable
  package mutating func free() { end(keepingMemory: false) }

  /// Ends the tape: its largest segment goes back to this thread's
  /// `TapeMemory` for the next one. The storage is left with capacity 0, so
  /// that an append (an operation on a value kept from a recording that has
  /// ended) stops in `grow` instead of writing into memory it no longer owns.
  @inlinable
  package mutating func release() { end(keepingMemory: true) }

  @inlinable
  mutating func end(keepingMemory: Bool) {
    deinitializeEntries()
    let last = lastBlock
    let grown = start > 0
    freeSegments(keeping: true)
    if keepingMemory && grown && capacity * MemoryLayout<TapeEntry<Scalar>>.stride <= TapeMemory.keptBytes {
      // The next tape of this thread gets one segment as large as this
      // whole tape.
      TapeMemory.free(last)
      TapeMemory.give(TapeMemory.allocate(
        entries: capacity, entryStride: MemoryLayout<TapeEntry<Scalar>>.stride,
        markStride: MemoryLayout<Mark>.stride))
    } else if keepingMemory {
      TapeMemory.give(last)
    } else {
      TapeMemory.free(last)
    }
    table?.deallocate()
    table = nil
    count = 0
    start = 0
    capacity = 0
  }

  @inlinable
  mutating func deinitializeEntries() {
    guard !_isPOD(Scalar.self) else { return }
    var s = count
    while s > 0 {
      let k = Self.segment(ofSlot: s - 1, firstShift: firstShift)
      let first = Self.segmentStart(k, firstShift: firstShift)
      withUnsafePointer(to: self) { _ = Self.segmentBase($0, k).0.deinitialize(count: s - first) }
      s = first
    }
  }

  /// The last segment's memory.
  @inlinable
  var lastBlock: TapeMemory.Block {
    if start == 0 { return first }
    let size = capacity - start
    return TapeMemory.Block(
      entryBytes: UnsafeMutableRawPointer(entries + start), markBytes: UnsafeMutableRawPointer(marks + start),
      bytes: size * MemoryLayout<TapeEntry<Scalar>>.stride, markByteCount: size * MemoryLayout<Mark>.stride)
  }

  /// Frees every segment but the last (and the last too unless `keeping`),
  /// and the segment table.
  @inlinable
  mutating func freeSegments(keeping: Bool) {
    guard start > 0 || !keeping else { return }
    let lastSegment = Self.segment(ofSlot: start, firstShift: firstShift)
    let end = keeping ? lastSegment : lastSegment + 1
    if end > 0 { TapeMemory.free(first) }
    if end > 1 {
      for k in 1..<end {
        let (e, m) = table.unsafelyUnwrapped[k - 1]
        e.deallocate()
        m.deallocate()
      }
    }
    table?.deallocate()
    table = nil
  }
}

extension TapeStorage where Scalar: DifferentiableScalar {
  /// Sweeps slots `hi` down to `lo` with `reverseSweep`, segment by segment.
  @inlinable @inline(__always)
  package static func sweep(
    _ storage: UnsafePointer<TapeStorage>, from hi: Int, downTo lo: Int,
    adjoint: (Int32) -> UnsafeMutablePointer<Scalar>,
    visit: (Int, Scalar) -> Void, other: (Int, TapeEntry<Scalar>) -> Void
  ) {
    forEachSegment(storage, from: hi, downTo: lo) { e, _, first, hi, lo in
      reverseSweep(e, firstSlot: first, from: hi, downTo: lo, adjoint: adjoint, visit: visit, other: other)
    }
  }

  /// Sweeps slots `hi` down to `lo` with `reverseSweep8`, segment by segment.
  @inlinable @inline(__always)
  package static func sweep8(
    _ storage: UnsafePointer<TapeStorage>, from hi: Int, downTo lo: Int,
    row: (Int32) -> UnsafeMutablePointer<Scalar>, visit: (Int) -> Void
  ) {
    forEachSegment(storage, from: hi, downTo: lo) { e, _, first, hi, lo in
      reverseSweep8(e, firstSlot: first, from: hi, downTo: lo, row: row, visit: visit)
    }
  }
}

/// Stops for a value of a reverse-mode recording that has ended, used in a
/// later call.
@usableFromInline @inline(never)
package func recordingEnded() -> Never {
  fatalError("""
    ReverseScalar: a value from an earlier reverse-mode call was used in a later one (kept in a cache \
    or a property of the function?); a reverse-mode value is valid only during the call that made it
    """)
}

@usableFromInline @inline(never)
func tapeOverflow() -> Never {
  fatalError("reverse mode: a tape cannot hold more than 2³¹ − 1 operations")
}
