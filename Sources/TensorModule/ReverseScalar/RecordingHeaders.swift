import DifferentiableModule
import Synchronization

/// The memory a reverse-mode recording's `ScalarTape` header lives in, and
/// the recording's identity.
///
/// A `ReverseScalar` refers to its recording by the header's address and a
/// generation. Headers are never freed, only reused, and a reused header gets
/// the next generation; so a value kept from an earlier call (a cache in a
/// class the function holds) is recognised in every later call, whatever the
/// allocator does, and the check never reads freed memory. A header whose
/// generation reaches `UInt32.max` is retired rather than reused, so that an
/// identity never repeats.
///
/// Where it is checked: an operation on two values compares their
/// identities (one word each, with the slot); the verb compares each output's
/// with its recording's; and an idle tape has capacity 0, so that an
/// operation on a value of an ended recording stops in `_grow` before it
/// writes. A value kept from an earlier recording that only meets constants
/// appends entries that no output can depend on, and is stopped when it meets
/// a value of the current recording or is returned.
///
/// Layout of a header: the generation (an atomic, read only to word a
/// message; 0 while the header is idle) in the first 64 bytes, then the
/// `ScalarTape`.
@usableFromInline
enum RecordingHeaders {
  /// Bytes before the `ScalarTape` (one cache line for the generation).
  @usableFromInline static var tapeOffset: Int { 64 }
  @usableFromInline static var size: Int { 192 }

  /// Idle headers (their addresses) with the generation each last had.
  static let idle = Locked<[(address: UInt, generation: UInt32)]>([])

  /// A header for a new recording: its `ScalarTape` memory (uninitialised)
  /// and the generation now current in it.
  @usableFromInline
  static func take<T>(for: T.Type) -> (tape: UnsafeMutablePointer<ScalarTape<T>>, generation: UInt32) {
    precondition(MemoryLayout<ScalarTape<T>>.size <= size - tapeOffset)
    let reused = idle.withLock { $0.popLast() }
    let raw: UnsafeMutableRawPointer
    let generation: UInt32
    if let (address, last) = reused {
      raw = UnsafeMutableRawPointer(bitPattern: address).unsafelyUnwrapped
      generation = last + 1
    } else {
      raw = .allocate(byteCount: size, alignment: 64)
      raw.bindMemory(to: Atomic<UInt32>.self, capacity: 1).initialize(to: Atomic(0))
      generation = 1
    }
    generationOf(raw).pointee.store(generation, ordering: .releasing)
    return ((raw + tapeOffset).bindMemory(to: ScalarTape<T>.self, capacity: 1), generation)
  }

  /// Returns the header of `tape` (deinitialised) for reuse.
  @usableFromInline
  static func give<T>(_ tape: UnsafeMutablePointer<ScalarTape<T>>) {
    let raw = UnsafeMutableRawPointer(tape) - tapeOffset
    let generation = generationOf(raw).pointee.exchange(0, ordering: .acquiringAndReleasing)
    if generation == .max { return }
    let address = UInt(bitPattern: raw)
    idle.withLock { $0.append((address, generation)) }
  }

  @inlinable @inline(__always)
  static func generationOf(_ header: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Atomic<UInt32>> {
    header.assumingMemoryBound(to: Atomic<UInt32>.self)
  }
}

extension UnsafeMutablePointer {
  /// Whether `generation` is the current one of the recording whose tape
  /// this is (false for a value kept from an earlier recording).
  @inlinable @inline(__always)
  func isRecording<T>(_ generation: UInt32) -> Bool where Pointee == ScalarTape<T> {
    RecordingHeaders.generationOf(UnsafeMutableRawPointer(self) - RecordingHeaders.tapeOffset)
      .pointee.load(ordering: .relaxed) == generation
  }
}
