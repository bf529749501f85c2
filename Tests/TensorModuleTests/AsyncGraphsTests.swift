import Leibniz
import Synchronization
import Testing
import _LeibnizTestSupport

/// Graphs built across `await`s, in many tasks at once, resuming on whichever
/// thread the pool gives them: each must give exactly the gradients of the
/// same code run sequentially.
@Suite("Tensor: graphs in async code")
struct AsyncGraphsTests {
  /// Suspends (or not, for the sequential reference run).
  static func pause(_ suspending: Bool) async {
    if suspending { await Task.yield() }
  }

  /// The scenario: a 3-element leaf, y = x·x, then twenty times
  /// `y = sin(y)·1.01 + 0.5` with a suspension before each, then backward.
  static func smallChain(_ k: Int, suspending: Bool) async -> [Double] {
    let x = Tensor<Double>([0.1 + 0.01 * Double(k), 0.2, -0.3], shape: [3], requiresGrad: true)
    var y = x * x
    for _ in 0..<20 {
      await pause(suspending)
      y = sin(y) * 1.01 + 0.5
    }
    y.sum().backward()
    return x.grad!.scalars
  }

  /// 0-d, small and n-d tensors and a matrix product in one graph, with
  /// suspensions between the operations.
  static func mixedGraph(_ k: Int, suspending: Bool) async -> [Double] {
    let c = Double(k % 5) * 0.1
    let s = Tensor(0.3 + c, requiresGrad: true)
    let v = Tensor<Double>([1, -2, 0.5, c], shape: [4], requiresGrad: true)
    let w = Tensor<Double>((0..<64).map { Double.sin(Double($0) + c) * 0.1 }, shape: [8, 8], requiresGrad: true)
    let a = Tensor<Double>((0..<32).map { Double.cos(Double($0) * 0.3) }, shape: [4, 8])
    var h = tanh(matmul(a, w))                 // [4, 8], n-d nodes
    await pause(suspending)
    var t = s * s + 1                          // 0-d
    for _ in 0..<5 {
      await pause(suspending)
      h = sin(h) * 0.9 + h * 0.1
      t = exp(t * 0.1) + s
      await pause(suspending)
    }
    let u = (v * v * t).sum()                  // small
    await pause(suspending)
    let loss = (h * h).mean() * u + t
    loss.backward()
    return [s.grad!.scalar] + v.grad!.scalars + w.grad!.scalars
  }

  static func concurrently(
    rounds: Int, tasks: Int, _ work: @escaping @Sendable (Int) async -> [Double]
  ) async -> [[[Double]]] {
    var all: [[[Double]]] = []
    for _ in 0..<rounds {
      let results = await withTaskGroup(of: (Int, [Double]).self) { group in
        for k in 0..<tasks { group.addTask { (k, await work(k)) } }
        var results = [[Double]](repeating: [], count: tasks)
        for await (k, r) in group { results[k] = r }
        return results
      }
      all.append(results)
    }
    return all
  }

  @Test func sixteenTasksWithSuspensionsMatchTheSequentialRun() async {
    var expected: [[Double]] = []
    for k in 0..<16 { expected.append(await Self.smallChain(k, suspending: false)) }
    let rounds = await Self.concurrently(rounds: 30, tasks: 16) { await Self.smallChain($0, suspending: true) }
    for results in rounds { #expect(results == expected) }
  }

  @Test func mixedShapesAndMatrixProductsAcrossSuspensions() async {
    var expected: [[Double]] = []
    for k in 0..<20 { expected.append(await Self.mixedGraph(k, suspending: false)) }
    let rounds = await Self.concurrently(rounds: 10, tasks: 20) { await Self.mixedGraph($0, suspending: true) }
    for results in rounds { #expect(results == expected) }
  }

  @Test func detachedTasksMatchTheSequentialRun() async {
    var expected: [[Double]] = []
    for k in 0..<8 { expected.append(await Self.mixedGraph(k, suspending: false)) }
    for _ in 0..<5 {
      let tasks = (0..<8).map { k in Task.detached { await Self.mixedGraph(k, suspending: true) } }
      var results: [[Double]] = []
      for t in tasks { results.append(await t.value) }
      #expect(results == expected)
    }
  }

  /// A child task returns a recorded result; the parent extends it with
  /// further leaves and combines two children's graphs.
  @Test func graphsReturnedFromChildTasksAreExtendedByTheParent() async {
    let w = Tensor<Double>([0.5, -1, 2], requiresGrad: true)
    let u = Tensor(1.5, requiresGrad: true)
    func reference() -> [Double] {
      let a = sin(w * w) * u
      let b = exp(w * 0.1).sum() * u
      let z = Tensor<Double>([1, 2, 3], requiresGrad: true)
      let loss = (a * z).sum() + b * b
      let g = gradients(of: loss, wrt: [w, u, z])
      return g[0].scalars + g[1].scalars + g[2].scalars
    }
    let expected = reference()
    for _ in 0..<20 {
      async let a = { () async -> Tensor<Double> in
        await Task.yield()
        return sin(w * w) * u
      }()
      async let b = { () async -> Tensor<Double> in
        await Task.yield()
        return exp(w * 0.1).sum() * u
      }()
      let z = Tensor<Double>([1, 2, 3], requiresGrad: true)
      let (ra, rb) = await (a, b)
      await Task.yield()
      let loss = (ra * z).sum() + rb * rb
      let g = gradients(of: loss, wrt: [w, u, z])
      // (Children's tapes may have been made in either order: within rounding.)
      for (a, b) in zip(g[0].scalars + g[1].scalars + g[2].scalars, expected) {
        #expect(Swift.abs(a - b) <= 1e-14 * Swift.max(1, Swift.abs(b)))
      }
    }
  }

  /// Recorded results sent through an `AsyncStream` are extended and
  /// back-propagated where they arrive, while the producer records more.
  @Test func graphsSentThroughAnAsyncStreamAreExtendedWhereTheyArrive() async {
    let x = Tensor<Double>([0.25, 0.5, 0.75, 1.0], shape: [4], requiresGrad: true)
    func piece(_ k: Int) -> Tensor<Double> { tanh(x * Tensor(Double(k + 1))) * x }
    func reference(_ k: Int) -> [Double] {
      let p = piece(k)
      let loss = (p * piece(k)).sum() + p.sum()
      return gradients(of: loss, wrt: [x])[0].scalars
    }
    let expected = (0..<50).map(reference)
    let (stream, continuation) = AsyncStream.makeStream(of: (Int, Tensor<Double>).self)
    let producer = Task {
      for k in 0..<50 {
        continuation.yield((k, piece(k)))
        // More recording on the producer's thread meanwhile.
        _ = (sin(x) * x).sum().scalar
        await Task.yield()
      }
      continuation.finish()
    }
    var got: [[Double]] = []
    for await (k, p) in stream {
      await Task.yield()
      let loss = (p * piece(k)).sum() + p.sum()
      #expect(loss.gradFunction == "AddBackward")
      got.append(gradients(of: loss, wrt: [x])[0].scalars)
    }
    await producer.value
    // The graph spans the producer's and the consumer's tapes, which may
    // have been made in either order: a leaf's adjoint terms can then be
    // summed in another order than on one tape (within rounding).
    #expect(got.count == expected.count)
    for (g, e) in zip(got, expected) {
      for (a, b) in zip(g, e) { #expect(Swift.abs(a - b) <= 1e-14 * Swift.max(1, Swift.abs(b))) }
    }
  }

  /// Every public operation on a graph, across suspensions: `backward(seed:)`,
  /// `gradients(of:wrt:)`, `gradFunction`, `graphvizDOT()`, `retainGrad`,
  /// `withoutGradients`, anomaly mode, and `Tensor` over `Dual` scalars.
  static func everyOperation(_ k: Int, suspending: Bool) async -> [Double] {
    let c = 0.1 * Double(k % 7)
    let x = Tensor<Double>([1 + c, 2, 3], shape: [3], requiresGrad: true)
    let h = sin(x) * x
    h.retainGrad()
    await pause(suspending)
    var out: [Double] = []
    let y = withAnomalyDetection { h * h + 1 }
    await pause(suspending)
    out.append(y.gradFunction == "AddBackward" ? 1 : 0)
    // The drawing's labels (its node names are slot numbers, which differ
    // when tasks interleave on a tape).
    let labels = y.graphvizDOT().split(separator: "\n").filter { $0.contains("label=") }
      .map { $0.drop(while: { $0 != "[" }) }.sorted()
    out.append(Double(labels.count))
    out.append(Double(labels.joined().hashValue % 1_000_003))
    let frozen = withoutGradients { y * 2 }
    out.append(frozen.requiresGrad ? 1 : 0)
    await pause(suspending)
    out += gradients(of: y.sum(), wrt: [x], retainGraph: true)[0].scalars
    await pause(suspending)
    y.backward(seed: Tensor([1, 0.5, 0.25], shape: [3]))
    out += x.grad!.scalars + h.grad!.scalars
    // Forward over reverse: a Hessian-vector product's ingredients.
    let xd = Tensor<Dual<Double>>([Dual(1 + c, tangent: 1), Dual(2, tangent: 0)], shape: [2], requiresGrad: true)
    let yd = (sin(xd) * xd).sum()
    await pause(suspending)
    yd.backward()
    out += xd.grad!.scalars.flatMap { [$0.value, $0.tangent] }
    return out
  }

  @Test func everyPublicOperationAcrossSuspensions() async {
    var expected: [[Double]] = []
    for k in 0..<16 { expected.append(await Self.everyOperation(k, suspending: false)) }
    let rounds = await Self.concurrently(rounds: 10, tasks: 16) { await Self.everyOperation($0, suspending: true) }
    for results in rounds { #expect(results == expected) }
  }

  /// Backward passes in 16 tasks at once add into shared leaves (a 0-d one,
  /// whose gradient lives in atomic words, and a vector), while the tasks
  /// read the gradients: no addition is lost (whole numbers, so the order of
  /// the additions cannot change the sums).
  @Test func concurrentBackwardPassesAddIntoSharedLeaves() async {
    let s = Tensor(1.0, requiresGrad: true)
    let v = Tensor<Double>([1, 2], requiresGrad: true)
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<16 {
        group.addTask {
          for _ in 0..<50 {
            (s * 2 + (v * 3).sum()).backward()
            _ = s.grad?.scalar
            _ = v.grad?.scalars
            await Task.yield()
          }
        }
      }
    }
    #expect(s.grad?.scalar == 1_600)
    #expect(v.grad?.scalars == [2_400, 2_400])
  }

  /// Training steps in tasks that each keep their last prediction (no
  /// backward through it): the tapes of earlier steps die, so the graphs do
  /// not pile up; the last graph holds one step's slots.
  @Test func keptPredictionsDoNotMakeLaterGraphsPileUp() async {
    await withTaskGroup(of: Int.self) { group in
      for k in 0..<4 {
        group.addTask {
          var w = Tensor<Double>([0.1, 0.2], shape: [2, 1], requiresGrad: true)
          let data = Tensor<Double>([1, 2, Double(k), 1], shape: [2, 2])
          var kept = Tensor<Double>(0)
          for _ in 0..<2_000 {
            kept = tanh(matmul(data, w))          // kept for logging
            await Task.yield()
            let loss = (matmul(data, w) - 1).squared().mean()
            loss.backward()
            withoutGradients { w -= 0.01 * w.grad! }
            w.zeroGrad()
          }
          return kept.graphvizDOT().count
        }
      }
      for await size in group { #expect(size < 2_000) }
    }
  }
}
