/// The memory of a finished tape, kept per thread for the next one.
///
/// A recording of some ten thousand operations needs a few hundred kilobytes
/// of tape; fresh memory of that size comes from the kernel page by page, and
/// those page faults cost more than the recording itself. Each thread
/// therefore keeps the largest tape memory it has used, up to 32 MB (in a
/// thread-local slot, so threads never share it). A tape takes the memory out
/// of the slot while it lives, so nested or concurrent tapes simply allocate
/// their own.
@usableFromInline
package enum TapeMemory {
  /// Raw memory for tape entries and one mark beside each.
  @usableFromInline
  package struct Block {
    @usableFromInline package var entryBytes: UnsafeMutableRawPointer
    @usableFromInline package var markBytes: UnsafeMutableRawPointer
    /// Capacity in bytes of `entryBytes` and of `markBytes`.
    @usableFromInline package var bytes: Int
    @usableFromInline package var markByteCount: Int

    @inlinable
    package init(entryBytes: UnsafeMutableRawPointer, markBytes: UnsafeMutableRawPointer, bytes: Int, markByteCount: Int) {
      self.entryBytes = entryBytes
      self.markBytes = markBytes
      self.bytes = bytes
      self.markByteCount = markByteCount
    }
  }

  package static let key = ThreadLocalKey { raw in
    let block = raw.assumingMemoryBound(to: Block.self)
    TapeMemory.free(block.pointee)
    block.deallocate()
  }

  /// Fresh memory for `entries` entries of `entryStride` bytes and their
  /// marks of `markStride` bytes (at least 16 of each).
  @usableFromInline
  package static func allocate(entries: Int, entryStride: Int, markStride: Int) -> Block {
    let entries = Swift.max(entries, 16)
    return Block(
      entryBytes: .allocate(byteCount: entries * entryStride, alignment: 16),
      markBytes: .allocate(byteCount: entries * markStride, alignment: 16),
      bytes: entries * entryStride, markByteCount: entries * markStride)
  }

  @usableFromInline
  package static func free(_ block: Block) {
    block.entryBytes.deallocate()
    block.markBytes.deallocate()
  }

  /// The thread's kept memory if there is some (whatever its size: the tape
  /// grows as it needs), else fresh memory for `minimumEntries`. Returns the
  /// block and the number of entries it holds at these strides.
  @usableFromInline
  package static func take(minimumEntries: Int, entryStride: Int, markStride: Int) -> (Block, entries: Int) {
    guard let raw = key.value else {
      let block = allocate(entries: minimumEntries, entryStride: entryStride, markStride: markStride)
      return (block, block.bytes / entryStride)
    }
    key.value = nil
    let boxed = raw.assumingMemoryBound(to: Block.self)
    let block = boxed.pointee
    boxed.deallocate()
    // The block may have been made for other strides.
    let entries = Swift.min(block.bytes / entryStride, block.markByteCount / markStride)
    if entries < 16 {
      free(block)
      let fresh = allocate(entries: minimumEntries, entryStride: entryStride, markStride: markStride)
      return (fresh, fresh.bytes / entryStride)
    }
    return (block, entries)
  }

  /// The most memory a thread keeps.
  @usableFromInline package static var keptBytes: Int { 32 << 20 }

  /// Gives a tape's memory back: kept for the thread's next tape if it is the
  /// largest the thread has (up to `keptBytes`), freed otherwise.
  @usableFromInline
  package static func give(_ block: Block) {
    if block.bytes > keptBytes {
      free(block)
      return
    }
    if let raw = key.value {
      let kept = raw.assumingMemoryBound(to: Block.self)
      if kept.pointee.bytes >= block.bytes {
        free(block)
        return
      }
      free(kept.pointee)
      kept.pointee = block
      return
    }
    let boxed = UnsafeMutablePointer<Block>.allocate(capacity: 1)
    boxed.initialize(to: block)
    key.value = UnsafeMutableRawPointer(boxed)
  }
}
