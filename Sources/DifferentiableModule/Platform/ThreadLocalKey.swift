#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One pointer-sized value per thread (POSIX thread-specific data), created
/// once per key.
///
/// ```swift
/// let key = ThreadLocalKey { raw in Unmanaged<State>.fromOpaque(raw).release() }
/// key.value = Unmanaged.passRetained(State()).toOpaque()
/// ```
@frozen @usableFromInline
package struct ThreadLocalKey: @unchecked Sendable {
  @usableFromInline let key: pthread_key_t

  /// A new key; `destructor` runs at a thread's exit for a value that is
  /// not nil.
  package init(destructor: (@convention(c) (UnsafeMutableRawPointer) -> Void)? = nil) {
    var key = pthread_key_t()
    #if canImport(Darwin)
    let rc = pthread_key_create(&key, destructor)
    #else
    let rc: Int32
    if let destructor {
      rc = pthread_key_create(&key, unsafeBitCast(destructor, to: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self))
    } else {
      rc = pthread_key_create(&key, nil)
    }
    #endif
    guard rc == 0 else { fatalError("ThreadLocalKey: pthread_key_create failed (\(rc))") }
    self.key = key
  }

  /// This thread's value (nil until set).
  @inlinable
  package var value: UnsafeMutableRawPointer? {
    @inline(__always) get { pthread_getspecific(key) }
    @inline(__always) nonmutating set { pthread_setspecific(key, newValue) }
  }
}

extension ThreadLocalKey {
  /// Runs `body` with this thread's value set to `object` (held for the
  /// duration), then restores the previous value: a scope that code deeper
  /// in the call, on this thread, reaches through `object(as:)`.
  ///
  /// ```swift
  /// let log = Log()
  /// key.with(log) { f() }    // f's callees see `log`
  /// ```
  @inlinable
  package func with<R>(_ object: AnyObject, _ body: () -> R) -> R {
    let previous = value
    value = Unmanaged.passUnretained(object).toOpaque()
    defer { value = previous }
    return withExtendedLifetime(object) { body() }
  }

  /// The object of the innermost `with` on this thread, if any.
  @inlinable @inline(__always)
  package func object<O: AnyObject>(as type: O.Type) -> O? {
    guard let raw = value else { return nil }
    return Unmanaged<O>.fromOpaque(raw).takeUnretainedValue()
  }
}
