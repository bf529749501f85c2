import DifferentiableModule

/// The tape of one reverse-mode recording by a Jacobian verb: contiguous
/// entries in the order they were computed. Slots `0..<leafCount` are the
/// inputs. The verb that records owns the tape and ends it when it returns;
/// the `ReverseScalar` values reach it through a plain pointer, so recording an
/// operation costs no reference counting. Its memory is reused by the thread's
/// next recording (`_RecordingMemory`).
///
/// `low[e]` is the first non-input entry that entry `e` depends on, so that a
/// sweep for a few outputs visits only the stretch of the tape they need (the
/// rows of a Jacobian are usually recorded one after another). It is filled
/// by `computeLow()` when a verb sweeps more than once, not while recording.
@frozen @usableFromInline
struct ScalarTape<T: DifferentiableScalar> {
  @usableFromInline var entries: UnsafeMutablePointer<TapeEntry<T>>
  @usableFromInline var low: UnsafeMutablePointer<Int32>
  @usableFromInline var count: Int
  @usableFromInline var capacity: Int
  @usableFromInline var leafCount: Int

  /// A tape on the memory that this thread's last recording left behind (no
  /// fresh pages to fault in), or on new memory for `capacity` entries.
  @inlinable
  init(capacity: Int) {
    let memory = _RecordingMemory.take(minimumEntries: capacity, entryStride: MemoryLayout<TapeEntry<T>>.stride)
    self.capacity = memory.entries
    entries = memory.entryBytes.bindMemory(to: TapeEntry<T>.self, capacity: memory.entries)
    low = memory.lowBytes.bindMemory(to: Int32.self, capacity: memory.entries)
    count = 0
    leafCount = 0
  }

  /// Ends the recording; its memory goes back to this thread for the next
  /// one. The tape is left idle, with capacity 0: an operation on a value kept
  /// from this recording then reaches `_grow`, which stops with a message,
  /// instead of writing into memory the tape no longer owns.
  @inlinable
  mutating func deallocate() {
    entries.deinitialize(count: count)
    _RecordingMemory.give(
      entryBytes: UnsafeMutableRawPointer(entries), lowBytes: UnsafeMutableRawPointer(low),
      entries: capacity, entryStride: MemoryLayout<TapeEntry<T>>.stride)
    count = 0
    capacity = 0
  }

  /// Appends an input (leaf) slot; all inputs come before any operation.
  @inlinable
  mutating func appendLeaf() -> Int32 {
    let slot = _append(TapeEntry(a: -1, b: -1, da: 0, db: 0))
    leafCount = count
    return slot
  }

  /// Appends an operation on slots `a` and `b` (`b == -1`: unary). The same
  /// slot twice (x·x, x + x) is one operand with the partials summed, which
  /// spares the sweep an update.
  @inlinable @inline(__always)
  mutating func append(_ a: Int32, _ da: T, _ b: Int32, _ db: T) -> Int32 {
    if a == b { return _append(TapeEntry(a: a, b: -1, da: da + db, db: 0)) }
    return _append(TapeEntry(a: a, b: b, da: da, db: db))
  }

  @inlinable @inline(__always)
  mutating func _append(_ entry: TapeEntry<T>) -> Int32 {
    if count == capacity { _grow() }
    (entries + count).initialize(to: entry)
    count += 1
    return Int32(truncatingIfNeeded: count - 1)
  }

  /// Fills `low` for the entries recorded (one pass, in recording order).
  @inlinable
  func computeLow() {
    let leaves = Int32(leafCount)
    for e in 0..<count {
      let entry = entries[e]
      var l = Int32(e)
      // Operands precede their entry; an entry that a value kept from an
      // earlier recording appended names a slot of that recording, which the
      // outputs cannot depend on (combining it with this recording's values
      // stops), so it is only kept from reading past `e`.
      if entry.a >= leaves && Int(entry.a) < e { l = Swift.min(l, low[Int(entry.a)]) }
      if entry.b >= leaves && Int(entry.b) < e { l = Swift.min(l, low[Int(entry.b)]) }
      low[e] = l
    }
  }

  @usableFromInline @inline(never)
  mutating func _grow() {
    // An idle tape (its recording ended): a value kept from it was used.
    if capacity == 0 { _staleValue() }
    // Slots are Int32: the capacity never passes Int32.max.
    guard capacity < Int(Int32.max) else { _tapeOverflow() }
    let stride = MemoryLayout<TapeEntry<T>>.stride
    let memory = _RecordingMemory.allocate(entries: Swift.min(capacity * 2, Int(Int32.max)), entryStride: stride)
    let e = memory.entryBytes.bindMemory(to: TapeEntry<T>.self, capacity: memory.entries)
    e.moveInitialize(from: entries, count: count)
    let l = memory.lowBytes.bindMemory(to: Int32.self, capacity: memory.entries)
    l.update(from: low, count: count)
    _RecordingMemory.free(entryBytes: UnsafeMutableRawPointer(entries), lowBytes: UnsafeMutableRawPointer(low))
    entries = e
    low = l
    capacity = memory.entries
  }
}

@usableFromInline @inline(never)
func _tapeOverflow() -> Never {
  fatalError("ReverseScalar: the recording exceeds 2³¹ operations")
}
