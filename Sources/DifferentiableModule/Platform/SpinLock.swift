#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A lock of one atomic word, held for a few instructions (reading or adding
/// to a leaf's gradient): taking it uncontended is one compare-and-exchange,
/// with no allocation, so that every leaf can have one. A waiter yields its
/// thread. ThreadSanitizer sees its acquire and release orderings.
///
/// ```swift
/// let lock = SpinLock()
/// lock.withLock { total += g }
/// ```
@frozen @usableFromInline
package struct SpinLock: ~Copyable, @unchecked Sendable {
  @usableFromInline let held = Atomic<Bool>(false)

  @inlinable
  package init() {}

  /// Runs `body` with the lock held.
  @inlinable @inline(__always)
  package func withLock<R>(_ body: () throws -> R) rethrows -> R {
    lock()
    defer { unlock() }
    return try body()
  }

  @inlinable @inline(__always)
  package func lock() {
    if !held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { wait() }
  }

  @inlinable @inline(__always)
  package func unlock() { held.store(false, ordering: .releasing) }

  /// Spins, yielding the thread, until the lock is taken.
  @usableFromInline @inline(never)
  func wait() {
    while !held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { sched_yield() }
  }
}
