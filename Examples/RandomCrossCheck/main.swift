// RandomCrossCheck: the long-running randomized cross-check. Random functions
// built from the whole `Differentiable` operator set, at random points well
// inside their domains: forward mode, reverse mode and Richardson finite
// differences must agree (checkDerivatives), and for scalar functions the
// reverse gradient, the forward-over-reverse Hessian (symmetric) and finite
// differences of the gradient must agree too. Reproducible from the seed.
//
//   swift run -c release RandomCrossCheck [seconds = 60] [seed = 1]
//
// Prints progress, the operators exercised, the worst disagreements seen, and
// every failing case in full; exits with status 1 if any case failed.
// (The test suite runs the same generator for a bounded number of cases.)

import Foundation
import Leibniz
import _LeibnizTestSupport  // the random-expression generator shared with the test suite

struct AsScalar: ScalarFunction {
  let f: RandomFunction
  func callAsFunction<T: Differentiable>(_ x: [T]) -> T { f(x)[0] }
}

// MARK: - The run

func run() {
  let arguments = CommandLine.arguments.dropFirst()
  let seconds = arguments.first.flatMap(Double.init) ?? 60
  let seed = arguments.dropFirst().first.flatMap(UInt64.init) ?? 1
  var g = SeededRandom(seed: seed)
  let clock = ContinuousClock()
  let deadline = clock.now + .milliseconds(Int(seconds * 1000))
  var cases = 0, failures = 0, inconclusive = 0
  var used = [String: Int]()
  var worstModes = 0.0, worstFD = 0.0, worstHessian = 0.0
  var nextReport = clock.now + .seconds(10)
  print("RandomCrossCheck: \(seconds) s from seed \(seed)")
  while clock.now < deadline {
    cases += 1
    let n = Int.random(in: 1...6, using: &g), m = Int.random(in: 1...4, using: &g)
    let depth = Int.random(in: 2...5, using: &g)
    let (f, x) = RandomFunction.randomWithPoint(inputs: n, outputs: m, depth: depth, using: &g)
    for e in f.components { for op in e.operators { used[op, default: 0] += 1 } }
    let report = checkDerivatives(at: x, of: f)
    let fdTolerance = report.tolerances.againstFiniteDifferences
    worstModes = max(worstModes, report.comparisons[0].worstRelative?.relative ?? 0)
    // Forward and reverse must always agree; against finite differences only
    // where finite differences are stable at x.
    var ok = report.comparisons[0].agrees
    var detail = "\(report)"
    if !report.agrees && ok {
      if finiteDifferencesAreStable(at: x, tolerance: fdTolerance, of: { f($0) }) { ok = false } else { inconclusive += 1 }
    } else {
      worstFD = max(worstFD, report.comparisons[1].worstRelative?.relative ?? 0)
    }
    if m == 1 {
      // Scalar function: the forward-over-reverse Hessian is symmetric and
      // agrees with finite differences of the reverse-mode gradient.
      let s = AsScalar(f: f)
      // Finite differences of a gradient sit one derivative deeper: 10× looser.
      let hessianTolerance = AgreementTolerance(absolute: 1e-6, relative: 1e-5)
      let H = hessian(at: x, of: s)
      let fd = finiteDifferenceJacobian(at: x) { y in gradient(at: y, of: s) }
      let scale = max(1, fd.elements.map(\.magnitude).max() ?? 0)
      var symmetric = true, agrees = true
      for i in 0..<n { for j in 0..<n {
        if abs(H[i, j] - H[j, i]) > 1e-10 * scale { symmetric = false }
        if !hessianTolerance.accepts(H[i, j], fd[i, j], scale: scale) { agrees = false }
        else { worstHessian = max(worstHessian, abs(H[i, j] - fd[i, j]) / scale) }
      } }
      if !agrees && !finiteDifferencesAreStable(at: x, tolerance: hessianTolerance, of: { gradient(at: $0, of: s) }) {
        agrees = true
        inconclusive += 1
      }
      if !symmetric || !agrees {
        ok = false
        detail += "\nHessian\n\(H)\nfinite differences of the gradient\n\(fd)"
      }
    }
    if !ok {
      failures += 1
      print("\nFAILED case \(cases) (seed \(seed)): f: ℝ\(n) → ℝ\(m) at x = \(x)\n\(f)\n\(detail)")
    }
    if clock.now >= nextReport {
      print("… \(cases) cases, \(failures) failed, \(inconclusive) inconclusive")
      nextReport = clock.now + .seconds(10)
    }
  }
  print("\n\(cases) random functions, \(failures) failed, \(inconclusive) inconclusive "
        + "(finite differences unstable at the point: forward and reverse still agreed there)")
  print("worst relative disagreement: forward–reverse \(String(format: "%.1e", worstModes)), "
        + "forward–finite differences \(String(format: "%.1e", worstFD)) (where they agreed within tolerance), "
        + "Hessian–finite differences \(String(format: "%.1e", worstHessian)) (relative to the largest entry)")
  let all = ["prefix -"] + RandomExpression.Unary.allCases.filter { $0 != .negate }.map(\.rawValue)
    + RandomExpression.Binary.allCases.map(\.rawValue) + ["pow(_, Int)"]
  print("operators exercised (count): " + all.map { "\($0) \(used[$0, default: 0])" }.joined(separator: ", "))
  let missing = all.filter { used[$0, default: 0] == 0 }
  if !missing.isEmpty { print("NOT exercised: \(missing)") }
  if failures > 0 || !missing.isEmpty { exit(1) }
}

run()
