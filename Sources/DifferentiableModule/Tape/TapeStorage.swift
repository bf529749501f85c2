/// The entries of a reverse-mode tape, with one mark beside each (what the
/// tape needs per entry: `Tensor`'s operation codes, the scalar tape's
/// dependency marks), contiguous and grown by doubling. Its memory comes from
/// and returns to the thread's `TapeMemory`. Both `Tensor`'s tape and the
/// scalar tape of the Jacobian verbs record into one.
///
/// ```swift
/// var storage = TapeStorage<Double, UInt8>(minimumCapacity: 64)
/// let slot = storage.append(TapeEntry(a: -1, b: -1, da: 0, db: 0), mark: 0)
/// storage.release()
/// ```
@frozen @usableFromInline
package struct TapeStorage<Scalar, Mark> {
  @usableFromInline package var entries: UnsafeMutablePointer<TapeEntry<Scalar>>
  @usableFromInline package var marks: UnsafeMutablePointer<Mark>
  @usableFromInline package var count: Int
  /// 0 once released: an append then stops in `grow` (see `release`).
  @usableFromInline package var capacity: Int

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

  @inlinable
  init(_ block: TapeMemory.Block, _ entries: Int) {
    self.entries = block.entryBytes.bindMemory(to: TapeEntry<Scalar>.self, capacity: entries)
    self.marks = block.markBytes.bindMemory(to: Mark.self, capacity: entries)
    self.capacity = entries
    self.count = 0
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

  /// Doubles the capacity. Releases no Swift object (only raw buffers), which
  /// lets the optimiser keep operands borrowed across the call.
  @usableFromInline @inline(never) @_effects(releasenone)
  package mutating func grow() {
    if capacity == 0 { recordingEnded() }
    // Slots are Int32: the capacity never passes Int32.max.
    guard capacity < Int(Int32.max) else { tapeOverflow() }
    let entryStride = MemoryLayout<TapeEntry<Scalar>>.stride, markStride = MemoryLayout<Mark>.stride
    let block = TapeMemory.allocate(
      entries: Swift.min(capacity * 2, Int(Int32.max)), entryStride: entryStride, markStride: markStride)
    let newCapacity = Swift.min(block.bytes / entryStride, block.markByteCount / markStride)
    let e = block.entryBytes.bindMemory(to: TapeEntry<Scalar>.self, capacity: newCapacity)
    e.moveInitialize(from: entries, count: count)
    let m = block.markBytes.bindMemory(to: Mark.self, capacity: newCapacity)
    m.update(from: marks, count: count)
    TapeMemory.free(currentBlock)
    entries = e
    marks = m
    capacity = newCapacity
  }

  /// Empties the tape; if it holds room for more than `keptCapacity`
  /// entries, its memory is freed for room for 64.
  @inlinable
  package mutating func removeAll(keepingCapacityUpTo keptCapacity: Int) {
    entries.deinitialize(count: count)
    count = 0
    if capacity > keptCapacity {
      free()
      self = TapeStorage(freshCapacity: 64)
    }
  }

  /// Frees the tape's memory (not kept for another tape); capacity 0 after.
  @inlinable
  package mutating func free() { end(keepingMemory: false) }

  /// Ends the tape: its memory goes back to this thread's `TapeMemory` for the
  /// next one. The storage is left with capacity 0, so that an append (an
  /// operation on a value kept from a recording that has ended) stops in
  /// `grow` instead of writing into memory it no longer owns.
  @inlinable
  package mutating func release() { end(keepingMemory: true) }

  @inlinable
  mutating func end(keepingMemory: Bool) {
    entries.deinitialize(count: count)
    if keepingMemory { TapeMemory.give(currentBlock) } else { TapeMemory.free(currentBlock) }
    count = 0
    capacity = 0
  }

  @inlinable
  var currentBlock: TapeMemory.Block {
    TapeMemory.Block(
      entryBytes: UnsafeMutableRawPointer(entries), markBytes: UnsafeMutableRawPointer(marks),
      bytes: capacity * MemoryLayout<TapeEntry<Scalar>>.stride,
      markByteCount: capacity * MemoryLayout<Mark>.stride)
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
