import Leibniz
import Testing
import _LeibnizTestSupport

/// The verbs from many tasks at once, with different scalar types and sizes
/// interleaved on the same threads (each thread keeps the memory of its last
/// recording, whatever its entry size): every answer equals the one computed
/// on one thread, bit for bit.
@Suite("Jacobian verbs from many tasks at once")
struct ConcurrentVerbsTests {
  /// One round of every verb at a point that depends on `k`, flattened.
  static func work(_ k: Int) -> [Double] {
    let t = 0.01 * Double(k)
    let small = [0.2 + t, -0.4, 0.7, 1.1 - t, -0.3]
    let long = (0..<(40 + k % 7 * 30)).map { i in 0.1 * cos(Double(i) + t) }
    var r = gradient(at: small, of: SineChain())
    r += gradient(at: long, of: SineChain())
    r += gradient(at: small.map { Float($0) }, of: SineChain()).map(Double.init)
    r += hessian(at: [1.5 + t, 2.0], of: Rosenbrock2()).elements
    r += jacobian(at: small, mode: .reverse, of: DenseTanh(n: 5)).elements
    r += jacobian(at: DenseTanh.point(24), mode: .forward, of: DenseTanh(n: 24)).elements
    return r
  }

  @Test func everyVerbFromManyTasks() async {
    let expected = (0..<12).map(Self.work)
    let results = await resultsOfConcurrentTasks(count: 12, repeats: 3) { Self.work($0) }
    #expect(results == expected)
  }
}
