import Leibniz
import Testing
import _LeibnizTestSupport

/// Random expressions built from the whole operator set, at random points well
/// inside their domains, with fixed seeds: forward, reverse and finite
/// differences must agree. (`Examples/RandomCrossCheck` runs the same for minutes.)
@Suite("Randomized cross-check (JacobianModule)")
struct RandomCrossCheckTests {
  @Test(arguments: [(UInt64(1), 3, 2), (2, 1, 3), (3, 4, 1), (4, 5, 5), (5, 2, 2)])
  func randomFunctionsAgreeThreeWays(_ seed: UInt64, _ n: Int, _ m: Int) {
    var g = SeededRandom(seed: seed)
    for trial in 0..<40 {
      let (f, x) = RandomFunction.randomWithPoint(inputs: n, outputs: m, depth: 4, using: &g)
      let report = checkDerivatives(at: x, of: f)
      #expect(report.agrees, "seed \(seed) trial \(trial) at x = \(x)\n\(f)\n\(report)")
      if !report.agrees { return }
    }
  }

  @Test(arguments: [UInt64(11), 12])
  func randomScalarFunctionsGradientAndHessian(_ seed: UInt64) {
    var g = SeededRandom(seed: seed)
    for trial in 0..<25 {
      let (f, x) = RandomFunction.randomWithPoint(inputs: 3, outputs: 1, depth: 3, using: &g)
      struct Scalar: ScalarFunction {
        let f: RandomFunction
        func callAsFunction<T: Differentiable>(_ x: [T]) -> T { f(x)[0] }
      }
      let s = Scalar(f: f)
      let grad = gradient(at: x, of: s)
      let forwardRow = jacobian(at: x, mode: .forward, of: f).row(0)
      #expect(vectorsAgree(grad, forwardRow, tolerance: 1e-10), "seed \(seed) trial \(trial): \(f)")
      let H = hessian(at: x, of: s)
      let fd = finiteDifferenceJacobian(at: x) { y in gradient(at: y, of: s) }
      let scale = Swift.max(1, fd.elements.map(\.magnitude).max() ?? 0)
      let close = zip(H.elements, fd.elements).allSatisfy { (h, d) in (h - d).magnitude <= 1e-6 * scale }
      #expect(close, "seed \(seed) trial \(trial) at \(x): \(f)\n\(H)\n\(fd)")
      let symmetric = (0..<3).allSatisfy { i in (0..<3).allSatisfy { j in
        (H[i, j] - H[j, i]).magnitude <= 1e-10 * scale } }
      #expect(symmetric, "\(H)")
    }
  }
}
