#if canImport(Glibc)
import Glibc
#endif
import Leibniz
import Synchronization
import Testing

/// Several threads at once, each compared with the answer of one thread.
@Suite("Tensor: thread safety")
struct ThreadSafetyTests {
  /// A leaf shared for reading is left alone by a backward pass, on another
  /// thread, of a loss that does not use it, even while a result of the leaf
  /// is alive on that thread: the one thread that trains the leaf
  /// accumulates its gradient undisturbed.
  @Test func unrelatedBackwardPassLeavesASharedLeafAlone() {
    let w = Tensor<Double>([1, 2, 3], requiresGrad: true)
    var bodies: [@Sendable () -> Void] = [{
      // Trains w: the only thread that accumulates into w.grad.
      for _ in 0..<200 { (w * w).sum().backward() }
    }]
    for k in 0..<3 {
      bodies.append {
        // Reads w, and back-propagates a loss of its own leaf.
        let v = Tensor<Double>([1, 2, Double(k)], requiresGrad: true)
        for _ in 0..<200 {
          let prediction = (w * v).sum()
          (v * v).sum().backward()
          _ = prediction.scalar
        }
      }
    }
    runOnThreads(bodies)
    #expect(w.grad?.scalars == [400, 800, 1200])
  }
}

/// Runs each body on a thread of its own, all started together, and joins.
func runOnThreads(_ bodies: [@Sendable () -> Void]) {
  final class Start: Sendable {
    let waiting = Atomic<Int>(0)
    let bodies: [@Sendable () -> Void]
    init(_ bodies: [@Sendable () -> Void]) { self.bodies = bodies }
  }
  final class Job: Sendable {
    let start: Start
    let index: Int
    init(_ start: Start, _ index: Int) { (self.start, self.index) = (start, index) }
  }
  let start = Start(bodies)
  var threads: [pthread_t] = []
  for i in bodies.indices {
    var thread = pthread_t()
    let job = Unmanaged.passRetained(Job(start, i)).toOpaque()
    let rc = pthread_create(&thread, nil, { raw in
      let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
      // All threads begin at once, so that their work overlaps.
      job.start.waiting.add(1, ordering: .acquiringAndReleasing)
      while job.start.waiting.load(ordering: .acquiring) < job.start.bodies.count { sched_yield() }
      job.start.bodies[job.index]()
      return nil
    }, job)
    precondition(rc == 0, "pthread_create failed")
    threads.append(thread)
  }
  for t in threads { pthread_join(t, nil) }
}
