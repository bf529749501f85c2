import DifferentiableModule

/// The tape of one reverse-mode recording by a Jacobian verb: the entries in
/// the order they were computed (a `TapeStorage`). Slots
/// `0..<leafCount` are the inputs. The verb that records owns the tape and
/// ends it when it returns; the `ReverseScalar` values reach it through a
/// plain pointer, so recording an operation costs no reference counting. Its
/// memory is reused by the thread's next tape (`TapeMemory`).
///
/// The mark of entry `e`, `low[e]`, is the first non-input entry that `e`
/// depends on, so that a sweep for a few outputs visits only the stretch of
/// the tape they need (the rows of a Jacobian are usually recorded one after
/// another). It is filled by `computeLow()` when a verb sweeps more than once,
/// not while recording.
@frozen @usableFromInline
struct ScalarTape<T: DifferentiableScalar> {
  @usableFromInline var storage: TapeStorage<T, Int32>
  @usableFromInline var leafCount: Int

  @inlinable var count: Int { storage.count }

  /// Calls `body` with the storage's address (for `TapeStorage`'s reading
  /// and sweeping functions).
  @inlinable @inline(__always)
  func withStorage<R>(_ body: (UnsafePointer<TapeStorage<T, Int32>>) -> R) -> R {
    withUnsafePointer(to: storage, body)
  }

  /// `low` of slot `s` (see above).
  @inlinable
  func low(_ s: Int) -> Int32 { withStorage { TapeStorage.mark($0, at: s).pointee } }

  /// A tape on the memory that this thread's last recording left behind (no
  /// fresh pages to fault in), or on new memory for `capacity` entries.
  @inlinable
  init(capacity: Int) {
    storage = TapeStorage(minimumCapacity: capacity)
    leafCount = 0
  }

  /// Ends the recording (see `TapeStorage.release`: an operation on a value
  /// kept from it then stops with a message).
  @inlinable
  mutating func deallocate() { storage.release() }

  /// Appends `count` input (leaf) slots, 0 ..< `count`, before any operation.
  @inlinable
  mutating func appendLeaves(_ count: Int) {
    for _ in 0..<count { _ = storage.append(TapeEntry(a: -1, b: -1, da: 0, db: 0)) }
    leafCount = self.count
  }

  /// Appends an operation on slots `a` and `b` (`b == -1`: unary). The same
  /// slot twice (x·x, x + x) is one operand with the partials summed, which
  /// spares the sweep an update.
  @inlinable @inline(__always)
  mutating func append(_ a: Int32, _ da: T, _ b: Int32, _ db: T) -> Int32 {
    if a == b { return storage.append(TapeEntry(a: a, b: -1, da: da + db, db: 0)) }
    return storage.append(TapeEntry(a: a, b: b, da: da, db: db))
  }

  /// Fills `low` for the entries recorded (one pass, in recording order).
  @inlinable
  func computeLow() {
    let leaves = Int32(leafCount)
    withStorage { p in
      for e in 0..<count {
        let entry = TapeStorage.entry(p, at: e)
        var l = Int32(e)
        // Operands precede their entry; an entry that a value kept from an
        // earlier recording appended names a slot of that recording, which
        // the outputs cannot depend on (combining it with this recording's
        // values stops), so it is only kept from reading past `e`.
        if entry.a >= leaves && Int(entry.a) < e { l = Swift.min(l, TapeStorage.mark(p, at: Int(entry.a)).pointee) }
        if entry.b >= leaves && Int(entry.b) < e { l = Swift.min(l, TapeStorage.mark(p, at: Int(entry.b)).pointee) }
        TapeStorage.mark(p, at: e).pointee = l
      }
    }
  }
}
