#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import Synchronization

/// The work of the second thread.
final class SecondThreadJob: @unchecked Sendable {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }
}

/// Runs `helper` on a second thread while `body` runs on this one, then
/// waits (both have finished when it returns). The two must touch disjoint
/// memory.
///
/// The second thread is the process's helper thread, started at the first
/// call and kept: after a job it watches for the next one for a short while
/// (consecutive matrix products of a training step then pay no wake-up),
/// then sleeps on a condition variable. A call made while another thread's
/// call holds the helper starts a thread of its own, and if no thread can be
/// created, runs both here.
///
/// Leibniz's own two-core split (the matrix product of `TensorModule`, large
/// forward Jacobians of `JacobianModule`).
///
/// ```swift
/// runOnSecondThread({ computeRows(half..<m) }, while: { computeRows(0..<half) })
/// ```
@usableFromInline
package func runOnSecondThread(_ helper: @escaping () -> Void, while body: () -> Void) {
  if let worker = HelperThread.shared, worker.claim() {
    worker.post(helper)
    body()
    worker.wait()
    return
  }
  guard let thread = startThread(helper) else {
    helper()
    body()
    return
  }
  body()
  pthread_join(thread, nil)
}

/// Starts a POSIX thread that runs `work`; nil if none could be created.
func startThread(_ work: @escaping () -> Void) -> pthread_t? {
  let job = Unmanaged.passRetained(SecondThreadJob(work))
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
    job.release()
    return nil
  }
  return thread
}

/// The process's helper thread (see `runOnSecondThread`). One caller holds
/// it at a time (`claim`); the job passes through `job` under the orderings
/// of `state`.
final class HelperThread: @unchecked Sendable {
  /// The helper, started at first use; nil if no thread could be created.
  static let shared: HelperThread? = HelperThread()

  /// 0: no job; 1: a job is posted; 2: the job has finished.
  let state = Atomic<Int>(0)
  /// Whether a caller holds the helper.
  let held = Atomic<Bool>(false)
  /// Whether the helper sleeps (or is about to) on `condition`.
  let sleeping = Atomic<Bool>(false)
  /// The posted job (written before `state` becomes 1, read after).
  nonisolated(unsafe) var job: (() -> Void)?
  let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  /// How many polls the helper makes for a next job before it sleeps (about
  /// 50 µs).
  static var pollsBeforeSleeping: Int { 20_000 }

  private init?() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
    guard let thread = startThread({ [self] in run() }) else { return nil }
    pthread_detach(thread)
  }

  /// Takes the helper for one job (false: another caller holds it).
  func claim() -> Bool { held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged }

  /// Hands `work` to the helper.
  func post(_ work: @escaping () -> Void) {
    job = work
    state.store(1, ordering: .sequentiallyConsistent)
    if sleeping.load(ordering: .sequentiallyConsistent) {
      pthread_mutex_lock(mutex)
      pthread_cond_signal(condition)
      pthread_mutex_unlock(mutex)
    }
  }

  /// Waits for the posted job to finish and gives the helper back.
  func wait() {
    while state.load(ordering: .acquiring) != 2 { sched_yield() }
    job = nil
    state.store(0, ordering: .relaxed)
    held.store(false, ordering: .releasing)
  }

  /// The helper's loop: watch for a job, sleep when none comes.
  func run() {
    while true {
      var polls = 0
      while state.load(ordering: .acquiring) != 1 && polls < Self.pollsBeforeSleeping { polls += 1 }
      if state.load(ordering: .acquiring) != 1 {
        pthread_mutex_lock(mutex)
        sleeping.store(true, ordering: .sequentiallyConsistent)
        while state.load(ordering: .sequentiallyConsistent) != 1 { pthread_cond_wait(condition, mutex) }
        sleeping.store(false, ordering: .relaxed)
        pthread_mutex_unlock(mutex)
      }
      job?()
      state.store(2, ordering: .releasing)
    }
  }
}
