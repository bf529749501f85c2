import Leibniz
import Testing
import _LeibnizTestSupport

/// Random expressions built from the whole operator set, at random points well
/// inside their domains, with fixed seeds: forward, reverse and finite
/// differences must agree. (`Examples/RandomCrossCheck` runs the same for minutes.)
@Suite("Randomized cross-check (JacobianModule)")
struct RandomCrossCheckTests {
  static let cases: [(UInt64, Int, Int)] = [(1, 3, 2), (2, 1, 3), (3, 4, 1), (4, 5, 5), (5, 2, 2), (6, 6, 3)]
  static let trials = 60

  @Test(arguments: cases)
  func randomFunctionsAgreeThreeWays(_ seed: UInt64, _ n: Int, _ m: Int) {
    var g = SeededRandom(seed: seed)
    var inconclusive = 0
    for trial in 0..<Self.trials {
      let (f, x) = RandomFunction.randomWithPoint(inputs: n, outputs: m, depth: 4, using: &g)
      let report = checkDerivatives(at: x, of: f)
      // Forward and reverse always agree.
      #expect(report.comparisons[0].agrees, "seed \(seed) trial \(trial) at x = \(x)\n\(f)\n\(report)")
      // Finite differences agree too, unless they are unstable at x (counted, and bounded below).
      if !report.agrees {
        let stable = finiteDifferencesAreStable(
          at: x, tolerance: report.tolerances.againstFiniteDifferences, of: { f($0) })
        #expect(!stable, "seed \(seed) trial \(trial) at x = \(x)\n\(f)\n\(report)")
        inconclusive += 1
      }
    }
    #expect(inconclusive <= Self.trials / 10, "\(inconclusive) of \(Self.trials) cases had unstable finite differences")
  }

  /// The generator reaches every operator of the set within the test's cases.
  @Test func casesCoverTheWholeOperatorSet() {
    var used = Set<String>()
    for (seed, n, m) in Self.cases {
      var g = SeededRandom(seed: seed)
      for _ in 0..<Self.trials {
        let (f, _) = RandomFunction.randomWithPoint(inputs: n, outputs: m, depth: 4, using: &g)
        for e in f.components { used.formUnion(e.operators) }
      }
    }
    #expect(used == RandomExpression.allOperators, "missing: \(RandomExpression.allOperators.subtracting(used))")
  }

  @Test(arguments: [UInt64(11), 12])
  func randomScalarFunctionsGradientAndHessian(_ seed: UInt64) {
    struct Scalar: ScalarFunction {
      let f: RandomFunction
      func callAsFunction<T: Differentiable>(_ x: [T]) -> T { f(x)[0] }
    }
    var g = SeededRandom(seed: seed)
    var inconclusive = 0
    for trial in 0..<25 {
      let (f, x) = RandomFunction.randomWithPoint(inputs: 3, outputs: 1, depth: 3, using: &g)
      let s = Scalar(f: f)
      let grad = gradient(at: x, of: s)
      let forwardRow = jacobian(at: x, mode: .forward, of: f).row(0)
      #expect(vectorsAgree(grad, forwardRow, tolerance: 1e-10), "seed \(seed) trial \(trial): \(f)")
      let H = hessian(at: x, of: s)
      let fd = finiteDifferenceJacobian(at: x) { y in gradient(at: y, of: s) }
      let scale = Swift.max(1, fd.elements.map(\.magnitude).max() ?? 0)
      let symmetric = (0..<3).allSatisfy { i in (0..<3).allSatisfy { j in
        (H[i, j] - H[j, i]).magnitude <= 1e-10 * scale } }
      #expect(symmetric, "seed \(seed) trial \(trial) at \(x): \(f)\n\(H)")
      let tolerance = DerivativeCheckTolerances.double.againstFiniteDifferences
      let close = zip(H.elements, fd.elements).allSatisfy { tolerance.accepts($0, $1, scale: scale) }
      if !close {
        let stable = finiteDifferencesAreStable(at: x, tolerance: tolerance) { y in gradient(at: y, of: s) }
        #expect(!stable, "seed \(seed) trial \(trial) at \(x): \(f)\n\(H)\n\(fd)")
        inconclusive += 1
      }
    }
    #expect(inconclusive <= 3)
  }
}
