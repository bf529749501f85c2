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

/// SplitMix64, so a run is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

// MARK: - Random expressions (the same generator as Tests/JacobianModuleTests/RandomExpression.swift)

/// A random expression tree in the variables x₀ … xₙ₋₁.
indirect enum RandomExpression: Sendable, CustomStringConvertible {
  case variable(Int)
  case constant(Double)
  case unary(Unary, RandomExpression)
  case binary(Binary, RandomExpression, RandomExpression)
  case integerPower(RandomExpression, Int)

  enum Unary: String, CaseIterable, Sendable {
    case negate = "-", exp, exp2, expm1, log, log2, log10, log1p, sqrt, cbrt
    case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, erf, erfc, abs
  }
  enum Binary: String, CaseIterable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", pow, atan2, hypot
  }

  /// A random expression of at most `depth` levels in `variables` variables.
  static func random<G: RandomNumberGenerator>(depth: Int, variables: Int, using g: inout G) -> RandomExpression {
    if depth == 0 || Int.random(in: 0..<4, using: &g) == 0 {
      if Int.random(in: 0..<5, using: &g) == 0 {
        return .constant((Double.random(in: -2...2, using: &g) * 8).rounded() / 8)
      }
      return .variable(Int.random(in: 0..<variables, using: &g))
    }
    switch Int.random(in: 0..<10, using: &g) {
    case 0..<5:
      return .unary(Unary.allCases.randomElement(using: &g)!, random(depth: depth - 1, variables: variables, using: &g))
    case 5..<9:
      return .binary(Binary.allCases.randomElement(using: &g)!,
                     random(depth: depth - 1, variables: variables, using: &g),
                     random(depth: depth - 1, variables: variables, using: &g))
    default:
      return .integerPower(random(depth: depth - 1, variables: variables, using: &g), Int.random(in: -3...4, using: &g))
    }
  }

  /// The value, in any `Differentiable` type.
  func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
    switch self {
    case .variable(let j): return x[j]
    case .constant(let c): return T(c)
    case .integerPower(let e, let n): return pow(e(x), n)
    case .unary(let op, let e):
      let u = e(x)
      switch op {
      case .negate: return -u
      case .exp: return exp(u)
      case .exp2: return exp2(u)
      case .expm1: return expm1(u)
      case .log: return log(u)
      case .log2: return log2(u)
      case .log10: return log10(u)
      case .log1p: return log1p(u)
      case .sqrt: return sqrt(u)
      case .cbrt: return cbrt(u)
      case .sin: return sin(u)
      case .cos: return cos(u)
      case .tan: return tan(u)
      case .asin: return asin(u)
      case .acos: return acos(u)
      case .atan: return atan(u)
      case .sinh: return sinh(u)
      case .cosh: return cosh(u)
      case .tanh: return tanh(u)
      case .erf: return erf(u)
      case .erfc: return erfc(u)
      case .abs: return abs(u)
      }
    case .binary(let op, let a, let b):
      let u = a(x), v = b(x)
      switch op {
      case .add: return u + v
      case .subtract: return u - v
      case .multiply: return u * v
      case .divide: return u / v
      case .pow: return pow(u, v)
      case .atan2: return atan2(y: u, x: v)
      case .hypot: return hypot(u, v)
      }
    }
  }

  /// The value at x if every operation is comfortably inside its domain there
  /// (away from poles, branch points, kinks and overflow, by a margin that
  /// covers the finite-difference steps), else nil.
  func valueIfWellInside(_ x: [Double]) -> Double? {
    let margin = 0.05
    func ok(_ v: Double) -> Double? { v.isFinite && v.magnitude < 1e4 ? v : nil }
    switch self {
    case .variable(let j): return x[j]
    case .constant(let c): return c
    case .integerPower(let e, let n):
      guard let u = e.valueIfWellInside(x), n >= 0 || u.magnitude >= margin else { return nil }
      return ok(Double.pow(u, n))
    case .unary(let op, let e):
      guard let u = e.valueIfWellInside(x) else { return nil }
      switch op {
      case .log, .log2, .log10, .sqrt: guard u >= margin else { return nil }
      case .log1p: guard u >= -1 + margin else { return nil }
      case .asin, .acos: guard u.magnitude <= 1 - margin else { return nil }
      case .abs, .cbrt: guard u.magnitude >= margin else { return nil }
      case .tan: guard Double.cos(u).magnitude >= 0.2 else { return nil }
      case .exp, .exp2, .expm1, .sinh, .cosh: guard u <= 12 else { return nil }
      default: break
      }
      return ok(RandomExpression.unary(op, .constant(u))([u]))
    case .binary(let op, let a, let b):
      guard let u = a.valueIfWellInside(x), let v = b.valueIfWellInside(x) else { return nil }
      switch op {
      case .divide: guard v.magnitude >= margin else { return nil }
      case .pow: guard u >= margin, (v * Double.log(u)).magnitude <= 12 else { return nil }
      case .hypot: guard Double.hypot(u, v) >= margin else { return nil }
      // atan2 jumps by 2π across y = 0 where x < 0 (its branch cut).
      case .atan2: guard Double.hypot(u, v) >= margin, v > 0 || u.magnitude >= margin else { return nil }
      default: break
      }
      return ok(RandomExpression.binary(op, .constant(u), .constant(v))([u]))
    }
  }

  var description: String {
    switch self {
    case .variable(let j): return "x\(j)"
    case .constant(let c): return "\(c)"
    case .integerPower(let e, let n): return "pow(\(e), \(n))"
    case .unary(.negate, let e): return "-(\(e))"
    case .unary(let op, let e): return "\(op.rawValue)(\(e))"
    case .binary(let op, let a, let b):
      switch op {
      case .add, .subtract, .multiply, .divide: return "(\(a) \(op.rawValue) \(b))"
      case .atan2: return "atan2(y: \(a), x: \(b))"
      default: return "\(op.rawValue)(\(a), \(b))"
      }
    }
  }
}

/// m random expressions in n variables: a random function ℝⁿ → ℝᵐ.
struct RandomFunction: VectorFunction, Sendable, CustomStringConvertible {
  let components: [RandomExpression]
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { components.map { $0(x) } }

  /// Whether every component is well inside its domain at x and at x ± 1.2·hⱼeⱼ
  /// (hⱼ = 1e-3·max(|xⱼ|, 0.01), the largest finite-difference step).
  func isWellInside(_ x: [Double]) -> Bool {
    var probes = [x]
    for j in x.indices {
      for sign in [-1.2, 1.2] {
        var y = x
        y[j] += sign * 1e-3 * Swift.max(x[j].magnitude, 0.01)
        probes.append(y)
      }
    }
    return probes.allSatisfy { y in components.allSatisfy { $0.valueIfWellInside(y) != nil } }
  }
  var description: String { components.map(\.description).joined(separator: "\n") }

  /// A random function and a point well inside the domain of every component,
  /// there and at the finite-difference probes around it (so the third
  /// reference is valid: every intermediate stays inside its domain and below
  /// 1e4 in magnitude).
  static func randomWithPoint<G: RandomNumberGenerator>(
    inputs n: Int, outputs m: Int, depth: Int, using g: inout G
  ) -> (RandomFunction, [Double]) {
    while true {
      let f = RandomFunction(components: (0..<m).map { _ in
        RandomExpression.random(depth: depth, variables: n, using: &g)
      })
      for _ in 0..<20 {
        let x = (0..<n).map { _ in (Double.random(in: -2...2, using: &g) * 64).rounded() / 64 }
        if f.isWellInside(x) { return (f, x) }
      }
    }
  }
}

extension RandomExpression {
  /// The operators used, by name.
  var operators: [String] {
    switch self {
    case .variable, .constant: return []
    case .integerPower(let e, _): return ["pow(_, Int)"] + e.operators
    case .unary(let op, let e): return [op == .negate ? "prefix -" : op.rawValue] + e.operators
    case .binary(let op, let a, let b): return [op.rawValue] + a.operators + b.operators
    }
  }
}

/// Whether finite differences are a trustworthy reference for g at x: the
/// Richardson estimates with the default steps and with steps four times
/// smaller agree within `tolerance`. Where they do not (g varies too fast at
/// the step's scale, e.g. near a pole of tan), a disagreement with AD says
/// nothing about AD, and the case is counted as inconclusive instead.
func finiteDifferencesAreStable(
  at x: [Double], tolerance: AgreementTolerance, of g: ([Double]) -> [Double]
) -> Bool {
  let coarse = finiteDifferenceJacobian(at: x, of: g)
  let fine = finiteDifferenceJacobian(at: x) { y in g(zip(x, y).map { $0 + ($1 - $0) / 4 }) }.map { $0 * 4 }
  let scale = Swift.max(1, coarse.elements.map(\.magnitude).max() ?? 0)
  return zip(coarse.elements, fine.elements).allSatisfy { tolerance.accepts($0, $1, scale: scale) }
}

struct AsScalar: ScalarFunction {
  let f: RandomFunction
  func callAsFunction<T: Differentiable>(_ x: [T]) -> T { f(x)[0] }
}

// MARK: - The run

func run() {
  let arguments = CommandLine.arguments.dropFirst()
  let seconds = arguments.first.flatMap(Double.init) ?? 60
  let seed = arguments.dropFirst().first.flatMap(UInt64.init) ?? 1
  var g = SplitMix64(state: seed)
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
