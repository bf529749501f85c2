import DifferentiableModule

/// The memory of a finished recording, kept per thread for the next one.
///
/// A recording of some ten thousand operations needs a few hundred kilobytes
/// of tape; fresh memory of that size comes from the kernel page by page, and
/// those page faults cost more than the recording itself. Each thread
/// therefore keeps the largest tape memory it has used, up to 32 MB (in a
/// thread-local slot, so threads never share it). A recording takes the
/// memory out of the slot while it runs, so nested or concurrent recordings
/// simply allocate their own.
@usableFromInline
enum _RecordingMemory {
  /// Raw memory for `entries` tape entries and their `low` marks.
  @usableFromInline
  struct Block {
    @usableFromInline var entryBytes: UnsafeMutableRawPointer
    @usableFromInline var lowBytes: UnsafeMutableRawPointer
    /// Capacity in bytes of `entryBytes`.
    @usableFromInline var bytes: Int
    /// Capacity in entries, for the stride it was taken with.
    @usableFromInline var entries: Int
  }

  /// The thread's kept block (boxed in an `UnsafeMutablePointer<Block>`), or nil.
  static let key = ThreadLocalKey { raw in
    let block = raw.assumingMemoryBound(to: Block.self)
    _RecordingMemory.free(entryBytes: block.pointee.entryBytes, lowBytes: block.pointee.lowBytes)
    block.deallocate()
  }

  /// New memory for `entries` entries of `entryStride` bytes.
  @usableFromInline
  static func allocate(entries: Int, entryStride: Int) -> Block {
    let entries = Swift.max(entries, 16)
    let bytes = entries * entryStride
    return Block(
      entryBytes: .allocate(byteCount: bytes, alignment: 16),
      lowBytes: .allocate(byteCount: (bytes / entryStride) * MemoryLayout<Int32>.stride, alignment: 16),
      bytes: bytes, entries: entries)
  }

  @usableFromInline
  static func free(entryBytes: UnsafeMutableRawPointer, lowBytes: UnsafeMutableRawPointer) {
    entryBytes.deallocate()
    lowBytes.deallocate()
  }

  /// The thread's kept memory if there is some (whatever its size: the tape
  /// grows as needed), else new memory for `minimumEntries`.
  @usableFromInline
  static func take(minimumEntries: Int, entryStride: Int) -> Block {
    guard let raw = key.value else {
      return allocate(entries: minimumEntries, entryStride: entryStride)
    }
    key.value = nil
    let boxed = raw.assumingMemoryBound(to: Block.self)
    var block = boxed.pointee
    boxed.deallocate()
    // Re-express the capacity for this stride (the low marks were sized for
    // the stride the block was made with, which may have been larger or smaller).
    let lowCapacity = block.entries
    block.entries = Swift.min(block.bytes / entryStride, lowCapacity)
    if block.entries < 16 {
      free(entryBytes: block.entryBytes, lowBytes: block.lowBytes)
      return allocate(entries: minimumEntries, entryStride: entryStride)
    }
    return block
  }

  /// The largest block a thread keeps (32 MB of entries): a thread that once
  /// recorded a huge function does not keep its memory for good.
  @usableFromInline static var keptBytes: Int { 32 << 20 }

  /// Gives a recording's memory back to the thread (keeping the larger block,
  /// up to `keptBytes`).
  @usableFromInline
  static func give(entryBytes: UnsafeMutableRawPointer, lowBytes: UnsafeMutableRawPointer, entries: Int, entryStride: Int) {
    let block = Block(entryBytes: entryBytes, lowBytes: lowBytes, bytes: entries * entryStride, entries: entries)
    if block.bytes > keptBytes {
      free(entryBytes: entryBytes, lowBytes: lowBytes)
      return
    }
    if let raw = key.value {
      let kept = raw.assumingMemoryBound(to: Block.self)
      if kept.pointee.bytes >= block.bytes {
        free(entryBytes: entryBytes, lowBytes: lowBytes)
        return
      }
      free(entryBytes: kept.pointee.entryBytes, lowBytes: kept.pointee.lowBytes)
      kept.pointee = block
      return
    }
    let boxed = UnsafeMutablePointer<Block>.allocate(capacity: 1)
    boxed.initialize(to: block)
    key.value = UnsafeMutableRawPointer(boxed)
  }
}
