import _LeibnizShims

/// The calling thread's identity: distinct for threads alive at the same
/// time, read from the thread-pointer register (no call, no memory access
/// beyond it).
///
/// ```swift
/// let owner = currentThreadIdentity()
/// if owner == currentThreadIdentity() { /* still on the same thread */ }
/// ```
@inlinable @inline(__always)
package func currentThreadIdentity() -> UInt {
  UInt(leibniz_thread_identity())
}
