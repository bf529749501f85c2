#if canImport(Glibc)
import Glibc
#endif
import Leibniz
import Testing
import _LeibnizTestSupport
@testable import TensorModule

/// A training loop holds steady memory with no manual tape management: each
/// step's tape dies with its last intermediate result.
@Suite("Tensor: tape lifetime")
struct TapeMemoryTests {
  /// Trains for `steps` steps; `every(step)` runs after each step.
  static func train(steps: Int, every: (Int) -> Void = { _ in }) -> (w: Double, lastGraph: String) {
    let X: Tensor<Double> = [[1], [2], [3]]
    let y: Tensor<Double> = [[2], [4], [6]]
    var w = Tensor<Double>.zeros([1, 1], requiresGrad: true)
    var b = Tensor<Double>.zeros([1, 1], requiresGrad: true)
    let scalarW = Tensor(0.0, requiresGrad: true)
    var lastGraph = ""
    for step in 0..<steps {
      let e = matmul(X, w) + b - y
      // A 0-d side computation on the same thread tape as well.
      let penalty = scalarW * scalarW * 0.001
      let loss = (e * e).mean() + penalty
      loss.backward()
      withoutGradients {
        w -= 0.01 * w.grad!
        b -= 0.01 * b.grad!
      }
      w.zeroGrad()
      b.zeroGrad()
      scalarW.zeroGrad()
      if step == steps - 1 { lastGraph = loss.graphvizDOT() }
      every(step)
    }
    return (w.scalar, lastGraph)
  }

  /// Resident memory is measured in a process of its own (an exit test):
  /// in the test process, the suites running in parallel allocate and free
  /// meanwhile, and even the least of several samples can count tens of MB
  /// of theirs. The child's checks come back through `ChildChecks`.
  @Test func hundredThousandStepsHoldSteadyMemory() async {
    let result = await #expect(processExitsWith: .exitCode(ChildChecks.status),
                               observing: [\.standardErrorContent]) {
      var checks = ChildChecks()
      _ = TapeMemoryTests.train(steps: 2_000)  // warm up allocator caches
      let before = residentBytes() ?? 0
      var after = 0
      let (w, lastGraph) = TapeMemoryTests.train(steps: 100_000) { step in
        if step == 99_999 { after = residentBytes() ?? 0 }
      }
      checks.expect(Swift.abs(w - 2) < 1e-6, "w = \(w) after training, expected 2")
      // The last loss's tape holds one step: its slots are numbered from 0, so
      // the largest slot number is small (a tape kept across steps would number
      // them in the hundreds of thousands).
      let slotNumbers = lastGraph.split(separator: "\n").compactMap { line -> Int? in
        guard let n = line.split(separator: " ").first(where: { $0.hasPrefix("n") }) else { return nil }
        return Int(n.dropFirst())
      }
      checks.expect(!slotNumbers.isEmpty, "the last graph has no nodes")
      checks.expect(slotNumbers.max() ?? 0 < 50, "largest slot \(slotNumbers.max() ?? 0)")
      // A tape kept alive across steps would hold ≥ 100,000 nodes (tens of MB,
      // far above the 8 MiB allowed). ASan's quarantine keeps freed memory
      // resident, so it says nothing there.
      checks.expect(underAddressSanitizer || after - before < 8 << 20,
                    "resident memory grew by \(after - before) bytes")
      checks.end()
    }
    #expect(ChildChecks.failures(in: result?.standardErrorContent) == [])
  }

  /// Each step keeps its last prediction for logging, recorded without a
  /// backward pass through it (its graph is never consumed), besides a
  /// training step: the thread's later graphs do not pile up on the kept
  /// prediction's tape, so memory stays steady over 100,000 steps. Measured
  /// in a process of its own, as above.
  @Test func keptPredictionsHoldSteadyMemory() async {
    let result = await #expect(processExitsWith: .exitCode(ChildChecks.status),
                               observing: [\.standardErrorContent]) {
      var checks = ChildChecks()
      let X = Tensor<Double>((0..<64).map { Double($0 % 7) * 0.1 }, shape: [16, 4])
      let target = Tensor<Double>((0..<16).map { Double($0 % 3) }, shape: [16, 1])
      var w = Tensor<Double>.zeros([4, 1], requiresGrad: true)
      var kept = Tensor<Double>(0)
      func run(_ steps: Int) {
        for _ in 0..<steps {
          // Kept for logging: recorded (w requires gradients), never
          // back-propagated.
          kept = tanh(matmul(X, w)).mean()
          let loss = (matmul(X, w) - target).squared().mean()
          loss.backward()
          withoutGradients { w -= 0.05 * w.grad! }
          w.zeroGrad()
        }
      }
      run(2_000)  // warm up allocator caches
      let before = residentBytes() ?? 0
      run(100_000)
      let after = residentBytes() ?? 0
      checks.expect(kept.graphvizDOT().split(separator: "\n").count < 40, "the kept prediction's graph grew")
      checks.expect(underAddressSanitizer || after - before < 8 << 20,
                    "resident memory grew by \(after - before) bytes")
      // Predictions only, no backward pass at all: the thread's tape, which
      // the kept prediction holds, is never consumed; it takes new graphs
      // until it is large, then a new one does, and the old one dies with
      // the prediction that held it.
      // (A prediction of 128 elements: recorded as n-d operations, whose
      // saved values a kept tape would keep, about 1.5 KB per step.)
      let X2 = Tensor<Double>((0..<256).map { Double($0 % 5) * 0.1 }, shape: [32, 8])
      let w2 = Tensor<Double>((0..<32).map { Double($0 % 3) * 0.1 }, shape: [8, 4], requiresGrad: true)
      for _ in 0..<2_000 { kept = tanh(matmul(X2, w2)).mean() }
      let before2 = residentBytes() ?? 0
      for _ in 0..<100_000 { kept = tanh(matmul(X2, w2)).mean() }
      let after2 = residentBytes() ?? 0
      checks.expect(underAddressSanitizer || after2 - before2 < 8 << 20,
                    "resident memory grew by \(after2 - before2) bytes over predictions only")
      checks.end()
    }
    #expect(ChildChecks.failures(in: result?.standardErrorContent) == [])
  }

  /// A loop that keeps every loss (as one that stores its losses for a plot
  /// does) keeps each step's graph alive; backward frees the values the graph
  /// saved for its rules (here two 256×128 tensors per step), as PyTorch
  /// does, so only the record of the graph stays. Measured in a process of
  /// its own, as above.
  @Test func backwardFreesTheSavedValuesOfKeptGraphs() async {
    let result = await #expect(processExitsWith: .exitCode(ChildChecks.status),
                               observing: [\.standardErrorContent]) {
      var checks = ChildChecks()
      let x = Tensor<Double>.randomUniform([256, 128], in: -1...1, seed: 7)
      let w = Tensor<Double>.randomUniform([256, 128], in: -1...1, seed: 8, requiresGrad: true)
      var losses: [Tensor<Double>] = []
      func step() {
        let h = tanh(x * w)
        let loss = (h * h).mean()
        loss.backward()
        losses.append(loss)
        w.zeroGrad()
      }
      for _ in 0..<10 { step() }
      let before = residentBytes() ?? 0
      for _ in 0..<200 { step() }
      let after = residentBytes() ?? 0
      checks.expect(losses.count == 210, "kept \(losses.count) losses")
      // The kept losses still know their graphs.
      checks.expect(losses[0].gradFunction == "MeanBackward",
                    "the first loss's gradFunction is \(losses[0].gradFunction ?? "nil")")
      // Saved values kept would be 200 × 512 KiB = 100 MiB, far above the 16 MiB allowed.
      checks.expect(underAddressSanitizer || after - before < 16 << 20,
                    "resident memory grew by \(after - before) bytes")
      checks.end()
    }
    #expect(ChildChecks.failures(in: result?.standardErrorContent) == [])
  }

  /// Graphs that are built and dropped without a backward pass (evaluating
  /// a loss without `withoutGradients`) reuse the thread's tape: once no
  /// result of it is alive, the next graph starts again at slot 0.
  @Test func droppedGraphsLetTheThreadReuseItsTape() {
    let x = Tensor(0.5, requiresGrad: true)
    func evaluate() -> Double { (sin(x) * x + 1).scalar }
    for _ in 0..<1_000 { _ = evaluate() }
    let last = x * 2
    let slotNumbers = last.graphvizDOT().split(separator: "\n").compactMap { line -> Int? in
      guard let n = line.split(separator: " ").first(where: { $0.hasPrefix("n") }) else { return nil }
      return Int(n.dropFirst())
    }
    #expect(!slotNumbers.isEmpty)
    #expect(slotNumbers.max()! < 10, "largest slot \(slotNumbers.max()!)")
  }

  /// A thread that has recorded a huge graph gives the memory back when its
  /// tape is next emptied, rather than keeping its largest tape for good.
  /// Checked on the tape itself: resident memory would also count the
  /// tests that run in parallel.
  @Test func anEmptiedTapeGivesBackTheRoomOfAHugeGraph() throws {
    let x = Tensor(0.5, requiresGrad: true)
    do {
      var s = x
      for _ in 0..<1_500_000 { s = s * 1.0000001 }  // 2²¹ entries of room, 50 MB
      #expect(try #require(s._tape).capacity >= 1_500_000)
    }
    // The next graph empties the thread's tape, which keeps room for at most
    // 2²⁰ entries.
    let next = x * x
    #expect(next.scalar == 0.25)
    #expect(try #require(next._tape).capacity <= 1 << 20)
  }
}
