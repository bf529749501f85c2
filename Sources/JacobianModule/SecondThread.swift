#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A pointer handed to the second thread, which writes elements that the
/// calling thread does not touch until it has joined.
@usableFromInline
struct _SharedPointer<S>: @unchecked Sendable {
  @usableFromInline let pointer: UnsafeMutablePointer<S>
  @inlinable init(_ pointer: UnsafeMutablePointer<S>) { self.pointer = pointer }
}

/// The work of the second thread.
@usableFromInline
final class _SecondThreadJob: @unchecked Sendable {
  @usableFromInline let work: () -> Void
  @inlinable init(_ work: @escaping () -> Void) { self.work = work }
}

/// Runs `helper` on a new POSIX thread while `body` runs on this one, then
/// joins (both have finished when it returns). If no thread can be created,
/// runs both here.
@usableFromInline
func _runOnSecondThread(_ helper: @escaping () -> Void, while body: () -> Void) {
  let job = Unmanaged.passRetained(_SecondThreadJob(helper))
  #if canImport(Darwin)
  var thread: pthread_t? = nil
  #else
  var thread = pthread_t()
  #endif
  let rc = pthread_create(&thread, nil, { raw in
    #if canImport(Darwin)
    let job = Unmanaged<_SecondThreadJob>.fromOpaque(raw).takeRetainedValue()
    #else
    let job = Unmanaged<_SecondThreadJob>.fromOpaque(raw!).takeRetainedValue()
    #endif
    job.work()
    return nil
  }, job.toOpaque())
  guard rc == 0 else {
    job.takeRetainedValue().work()
    body()
    return
  }
  body()
  #if canImport(Darwin)
  pthread_join(thread!, nil)
  #else
  pthread_join(thread, nil)
  #endif
}
