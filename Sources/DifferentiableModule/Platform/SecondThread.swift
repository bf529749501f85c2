#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The work of the second thread.
final class SecondThreadJob: @unchecked Sendable {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }
}

/// Runs `helper` on a new POSIX thread while `body` runs on this one, then
/// joins (both have finished when it returns). If no thread can be created,
/// runs both here. The two must touch disjoint memory.
///
/// Leibniz's own two-core split (the matrix product of `TensorModule`, large
/// forward Jacobians of `JacobianModule`).
///
/// ```swift
/// runOnSecondThread({ computeRows(half..<m) }, while: { computeRows(0..<half) })
/// ```
@usableFromInline
package func runOnSecondThread(_ helper: @escaping () -> Void, while body: () -> Void) {
  let job = Unmanaged.passRetained(SecondThreadJob(helper))
  #if canImport(Darwin)
  var thread: pthread_t? = nil
  #else
  var thread = pthread_t()
  #endif
  let rc = pthread_create(&thread, nil, { raw in
    #if canImport(Darwin)
    let job = Unmanaged<SecondThreadJob>.fromOpaque(raw).takeRetainedValue()
    #else
    let job = Unmanaged<SecondThreadJob>.fromOpaque(raw!).takeRetainedValue()
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
