#if canImport(Glibc)
import Glibc
#endif
import Leibniz
import Synchronization
import Testing
import _LeibnizTestSupport

/// Many tasks at once, each compared with the answer computed on one thread:
/// shared leaves (0-d, small and large n-d) recorded on several tapes at
/// once, results that die on another thread than the one that recorded
/// them, mode scopes on some threads while others record, and shared
/// copy-on-write values.
@Suite("Tensor: thread safety")
struct ThreadSafetyTests {
  /// Shared leaves: a 0-d one, a small n-d one (recorded element by element)
  /// and a large one (recorded as n-d nodes).
  static let s = Tensor(0.75, requiresGrad: true)
  static let small = Tensor<Double>([0.5, -1, 2, 0.25], requiresGrad: true)
  static let large = Tensor<Double>((0..<40).map { 0.05 * Double($0) - 1 }, requiresGrad: true)

  /// A loss of the shared leaves and of a task's own leaf `v`.
  static func loss(_ v: Tensor<Double>, _ k: Int) -> Tensor<Double> {
    let c = Tensor(Double(k % 5) + 1)
    let a = (sin(small * v) * c).sum()
    let b = (tanh(large * 0.5) * large).mean() * s
    return a * s + b + s * s * c + (v * v).sum()
  }

  /// The value of `loss` and its gradients with respect to the shared leaves
  /// and `v`, flattened. (No `backward()`: it would accumulate into the
  /// shared leaves' `grad` from several threads at once.)
  static func work(_ k: Int) -> [Double] {
    let v = Tensor<Double>([1, 2, 3, Double(k)], requiresGrad: true)
    let l = loss(v, k)
    let g = gradients(of: l, wrt: [s, small, large, v])
    return [l.scalar] + g.flatMap(\.scalars)
  }

  @Test func sharedLeavesOnManyTapesAtOnce() async {
    let expected = (0..<16).map(Self.work)
    let results = await resultsOfConcurrentTasks(count: 16, repeats: 10) { Self.work($0) }
    #expect(results == expected)
    #expect(Self.s.grad == nil && Self.small.grad == nil && Self.large.grad == nil)
  }

  /// Recorded results returned from tasks and dropped by the caller (on
  /// another thread), while the tasks' threads go on recording.
  @Test func resultsDieOnAnotherThread() async {
    let expected = (0..<32).map { k in Self.loss(Tensor<Double>([1, 2, 3, Double(k)], requiresGrad: true), k).scalar }
    let expectedSmall = (0..<32).map { k in (Self.small * Tensor(Double(k))).scalars }
    for _ in 0..<4 {
      let results = await withTaskGroup(of: (Int, Tensor<Double>, Tensor<Double>).self) { group in
        for k in 0..<32 {
          group.addTask {
            let v = Tensor<Double>([1, 2, 3, Double(k)], requiresGrad: true)
            let l = Self.loss(v, k)
            // A consumed graph: its tape is closed and dies with its results.
            if k % 2 == 0 { _ = gradients(of: l, wrt: [v]) }
            return (k, l, Self.small * Tensor(Double(k)))
          }
        }
        var r: [(Int, Tensor<Double>, Tensor<Double>)] = []
        for await x in group { r.append(x) }
        return r
      }
      for (k, l, p) in results {
        #expect(l.scalar == expected[k])
        #expect(p.scalars == expectedSmall[k])
        #expect(l.requiresGrad && p.requiresGrad)
      }
    }
  }

  /// Small results computed without recording (from a thread's pool of
  /// storages) handed to another thread, read and dropped there while the
  /// first thread computes more.
  @Test func unrecordedSmallResultsDieOnAnotherThread() async {
    let base = Tensor<Double>([1, 2, 3, 4, 5, 6, 7, 8])
    let expected = (0..<64).map { k in (exp(base * Tensor(Double(k) * 0.01)) + 1).scalars }
    for _ in 0..<4 {
      let results = await withTaskGroup(of: (Int, Tensor<Double>).self) { group in
        for k in 0..<64 {
          group.addTask { (k, exp(base * Tensor(Double(k) * 0.01)) + 1) }
        }
        var r: [(Int, Tensor<Double>)] = []
        for await x in group { r.append(x) }
        return r
      }
      for (k, t) in results {
        #expect(t.scalars == expected[k])
      }
    }
  }

  /// `withoutGradients` and `withAnomalyDetection` scopes on some tasks while
  /// others record: each task sees only its own mode.
  @Test func modeScopesStayOnTheirThread() async {
    let expected = (0..<16).map(Self.work)
    let results = await withTaskGroup(of: (Int, [Double], Bool).self) { group in
      for k in 0..<16 {
        group.addTask {
          var r: [Double] = []
          var modesHeld = true
          for _ in 0..<10 {
            switch k % 4 {
            case 0:
              withoutGradients {
                let y = Self.small * Self.small + Self.s
                modesHeld = modesHeld && !y.requiresGrad && !isRecordingGradients
              }
            case 1:
              r = withAnomalyDetection { Self.work(k) }
            default:
              modesHeld = modesHeld && isRecordingGradients
              r = Self.work(k)
            }
          }
          return (k, r, modesHeld)
        }
      }
      var r: [(Int, [Double], Bool)] = []
      for await x in group { r.append(x) }
      return r
    }
    for (k, r, held) in results {
      #expect(held)
      if k % 4 != 0 { #expect(r == expected[k]) }
    }
  }

  /// A value shared by many tasks for reading while copies of it are updated
  /// (copy-on-write): the shared value never changes.
  @Test func sharedValueReadWhileCopiesAreUpdated() async {
    let shared = Tensor<Double>([1, 2, 3, 4], requiresGrad: true)
    let big = Tensor<Double>((0..<100).map(Double.init), requiresGrad: true)
    let ok = await withTaskGroup(of: Bool.self) { group in
      for k in 0..<16 {
        group.addTask {
          var ok = true
          for i in 0..<20 {
            if k % 2 == 0 {
              var w = shared, b = big
              withoutGradients {
                w -= Double(i)
                b *= 2
              }
              ok = ok && w.scalars == [1, 2, 3, 4].map { $0 - Double(i) } && b.scalars[3] == 6
            } else {
              ok = ok && shared.scalars == [1, 2, 3, 4] && big.scalars[3] == 3
              ok = ok && gradients(of: (shared * shared).sum(), wrt: [shared])[0].scalars == [2, 4, 6, 8]
            }
          }
          return ok
        }
      }
      return await group.reduce(true) { $0 && $1 }
    }
    #expect(ok)
    #expect(shared.scalars == [1, 2, 3, 4] && big.scalars[3] == 3)
  }

  /// Large matrix products (two threads each) with gradients, from many tasks.
  @Test func largeMatrixProductsFromManyTasks() async {
    let n = 128
    let a = Tensor<Double>((0..<(n * n)).map { Double($0 % 7) - 3 }, shape: [n, n], requiresGrad: true)
    @Sendable func run(_ k: Int) -> [Double] {
      let b = Tensor<Double>((0..<(n * n)).map { Double(($0 + k) % 5) - 2 }, shape: [n, n])
      let y = matmul(a, b)
      let g = gradients(of: (y * y).sum(), wrt: [a])[0]
      return [y.scalars.reduce(0, +)] + g.scalars.prefix(8)
    }
    let expected = (0..<4).map(run)
    let results = await resultsOfConcurrentTasks(count: 4, run)
    #expect(results == expected)
  }

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

  /// A result handed to another thread, whose record that thread reads and
  /// back-propagates (`gradFunction`, `graphvizDOT()`, `retainGrad`, `grad`,
  /// `gradients(of:wrt:)`, an extension and `backward`) while the thread that
  /// recorded it records new graphs from leaves onto the same tape, which
  /// grows by new segments meanwhile: the tape's storage never moves, so this
  /// is safe (AddressSanitizer and ThreadSanitizer run it in CI).
  @Test func handedOverGraphIsReadAndExtendedWhileItsThreadRecords() {
    final class Handoff: Sendable {
      let result = Mutex<Tensor<Double>?>(nil)
      let done = Atomic<Bool>(false)
    }
    let handoff = Handoff()
    let x = Tensor(0.5, requiresGrad: true)
    let w = Tensor<Double>([0.25, -0.5, 1], requiresGrad: true)
    let reads = Atomic<Int>(0)
    let expected = gradients(of: ((sin(x) * x + w * w).sum() * 3), wrt: [x, w], retainGraph: true)
    let wrong = Atomic<Int>(0)
    runOnThreads([{
      let y = sin(x) * x + w * w
      handoff.result.withLock { $0 = y }
      for _ in 0..<20 {
        var s = x
        for _ in 0..<2000 { s = s * 0.999 + x }
        _ = gradients(of: s, wrt: [x], retainGraph: true)
      }
      handoff.done.store(true, ordering: .releasing)
      _ = y.scalars
    }, {
      var y: Tensor<Double>? = nil
      while y == nil { y = handoff.result.withLock { $0 } }
      let y0 = y!
      y0.retainGrad()
      repeat {
        let ok = y0.gradFunction == "AddBackward" && y0.graphvizDOT().contains("SinBackward")
        let g = gradients(of: (y0.sum() * 3), wrt: [x, w], retainGraph: true)
        if !ok || g[0].scalars != expected[0].scalars || g[1].scalars != expected[1].scalars {
          wrong.add(1, ordering: .relaxed)
        }
        reads.add(1, ordering: .relaxed)
      } while !handoff.done.load(ordering: .acquiring)
      (y0.sum() * 3).backward(retainGraph: true)
      if y0.grad?.scalars != [3, 3, 3] { wrong.add(1, ordering: .relaxed) }
    }])
    #expect(reads.load(ordering: .relaxed) > 0)
    #expect(wrong.load(ordering: .relaxed) == 0)
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
