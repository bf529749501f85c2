import Leibniz
import Testing

/// Small results recorded element by element take their storage from a pool
/// the tape recycles. A storage is reused only when nothing else refers to
/// it, so values held by the caller never change.
@Suite("Tensor: recycled small storages")
struct SmallStorageRecyclingTests {
  @Test func heldResultsKeepTheirValues() {
    let x = Tensor<Double>([1, 2, 3, 4], requiresGrad: true)
    // More live results than the pool has entries.
    let results = (0..<20).map { x * Tensor(Double($0)) }
    for _ in 0..<50 { _ = sin(x) * 2 + 1 }
    for (k, r) in results.enumerated() {
      #expect(r.scalars == [1, 2, 3, 4].map { $0 * Double(k) }, "result \(k)")
      #expect(r.shape == [4])
    }
  }

  @Test func recycledStoragesTakeTheNewShape() {
    let a = Tensor<Double>([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
    let b = Tensor<Double>([1, 2, 3], requiresGrad: true)
    let c = Tensor<Double>([5, 6, 7, 8, 9, 10, 11, 12, 13], shape: [9], requiresGrad: true)
    for round in 0..<10 {
      let r1 = a + 1, r2 = b * 2, r3 = c - 1
      #expect(r1.shape == [2, 2] && r1.scalars == [2, 3, 4, 5], "round \(round)")
      #expect(r2.shape == [3] && r2.scalars == [2, 4, 6], "round \(round)")
      #expect(r3.shape == [9] && r3.scalars == [4, 5, 6, 7, 8, 9, 10, 11, 12], "round \(round)")
    }
  }

  @Test func mutatingAResultCopiesItsStorage() {
    let x = Tensor<Double>([1, 2, 3, 4], requiresGrad: true)
    var r = x * 2
    withoutGradients { r -= 1 }
    let s = x * 3
    #expect(r.scalars == [1, 3, 5, 7])
    #expect(s.scalars == [3, 6, 9, 12])
  }

  /// The W5 chain (100 × sin, scale, shift on a 4-vector) against forward
  /// mode, element by element.
  @Test func longSmallChainMatchesForwardMode() {
    func chain<T: Differentiable>(_ x: T) -> T {
      var y = x
      for _ in 0..<100 { y = sin(y) * 1.01 + 0.5 }
      return y
    }
    let start: [Double] = [0.1, 0.2, 0.3, 0.4]
    let x = Tensor(start, requiresGrad: true)
    for _ in 0..<3 {
      x.grad = nil
      chain(x).sum().backward()
      for (i, v) in start.enumerated() {
        #expect(abs(x.grad!.scalars[i] - derivative(at: v, of: chain)) <= 1e-12)
      }
    }
  }

  /// Results computed without recording come from the thread's own pool.
  @Test func unrecordedResultsKeepTheirValues() {
    let x = Tensor<Double>([1, 2, 3, 4])
    let held = withoutGradients { (0..<20).map { x * Tensor(Double($0)) + 1 } }
    for _ in 0..<50 { _ = withoutGradients { sin(x) * 2 + 1 } }
    let plain = (0..<20).map { x * Tensor(Double($0)) }   // constants: never recorded
    for k in 0..<20 {
      #expect(held[k].scalars == [1, 2, 3, 4].map { $0 * Double(k) + 1 }, "result \(k)")
      #expect(plain[k].scalars == [1, 2, 3, 4].map { $0 * Double(k) }, "result \(k)")
    }
  }

  /// Each task's thread has its own pool: concurrent small computations
  /// never share a storage (also run under ThreadSanitizer in CI).
  @Test func poolsOfConcurrentTasksAreIndependent() async {
    let sums = await withTaskGroup(of: (Int, Double).self) { group in
      for t in 0..<8 {
        group.addTask {
          let x = Tensor<Double>([1, 2, 3, 4], requiresGrad: t % 2 == 0)
          var y = x
          for _ in 0..<200 { y = y * 1.0 + Tensor(Double(t)) * 0.001 }
          return (t, y.sum().scalar)
        }
      }
      var out: [Int: Double] = [:]
      for await (t, s) in group { out[t] = s }
      return out
    }
    for t in 0..<8 {
      // 10 + 4·200·0.001·t, accumulated in floating point: compare closely.
      #expect(abs(sums[t]! - (10 + 0.8 * Double(t))) < 1e-9, "task \(t)")
    }
  }
}
