import Leibniz

// Random expressions over the whole `Differentiable` operator set, for the
// randomized cross-check of forward mode, reverse mode and finite differences.
// (The test suite runs it for a bounded number of cases; Examples/RandomCrossCheck
// runs it for as long as asked.)

/// A random expression tree in the variables x₀ … xₙ₋₁.
public indirect enum RandomExpression: Sendable, CustomStringConvertible {
  case variable(Int)
  case constant(Double)
  case unary(Unary, RandomExpression)
  case binary(Binary, RandomExpression, RandomExpression)
  case integerPower(RandomExpression, Int)

  public enum Unary: String, CaseIterable, Sendable {
    case negate = "-", exp, exp2, expm1, log, log2, log10, log1p, sqrt, cbrt
    case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, erf, erfc, abs
  }
  public enum Binary: String, CaseIterable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", pow, atan2, hypot
  }

  /// A random expression of at most `depth` levels in `variables` variables.
  public static func random<G: RandomNumberGenerator>(depth: Int, variables: Int, using g: inout G) -> RandomExpression {
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
  public func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
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
  public func valueIfWellInside(_ x: [Double]) -> Double? {
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

  public var description: String {
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

extension RandomExpression {
  /// The operators used, by name.
  public var operators: [String] {
    switch self {
    case .variable, .constant: return []
    case .integerPower(let e, _): return ["pow(_, Int)"] + e.operators
    case .unary(let op, let e): return [op == .negate ? "prefix -" : op.rawValue] + e.operators
    case .binary(let op, let a, let b): return [op.rawValue] + a.operators + b.operators
    }
  }

  /// Every operator name `operators` can return: the whole operator set.
  public static var allOperators: Set<String> {
    Set(["prefix -", "pow(_, Int)"] + Unary.allCases.filter { $0 != .negate }.map(\.rawValue)
        + Binary.allCases.map(\.rawValue))
  }
}

/// m random expressions in n variables: a random function ℝⁿ → ℝᵐ.
public struct RandomFunction: VectorFunction, Sendable, CustomStringConvertible {
  public let components: [RandomExpression]
  public init(components: [RandomExpression]) { self.components = components }
  public func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { components.map { $0(x) } }

  /// Whether every component is well inside its domain at x and at x ± 1.2·hⱼeⱼ
  /// (hⱼ = 1e-3·max(|xⱼ|, 0.01), the largest finite-difference step).
  public func isWellInside(_ x: [Double]) -> Bool {
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
  public var description: String { components.map(\.description).joined(separator: "\n") }

  /// A random function and a point well inside the domain of every component,
  /// there and at the finite-difference probes around it (so the third
  /// reference is valid: every intermediate stays inside its domain and below
  /// 1e4 in magnitude).
  public static func randomWithPoint<G: RandomNumberGenerator>(
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

/// Whether finite differences are a trustworthy reference for g at x: the
/// Richardson estimates with the default steps and with steps four times
/// smaller agree within a tenth of `tolerance`, so that their own error sits
/// well inside it. Where they do not (g varies too fast at the step's scale,
/// e.g. near a pole of tan), a disagreement with AD says nothing about AD,
/// and the case is counted as inconclusive instead. (With the whole
/// tolerance, estimates 1.1e-6 off agreed with each other, and an exact
/// derivative was reported as a failure.)
public func finiteDifferencesAreStable(
  at x: [Double], tolerance: AgreementTolerance, of g: ([Double]) -> [Double]
) -> Bool {
  let coarse = finiteDifferenceJacobian(at: x, of: g)
  let fine = finiteDifferenceJacobian(at: x) { y in g(zip(x, y).map { $0 + ($1 - $0) / 4 }) }.map { $0 * 4 }
  let scale = Swift.max(1, coarse.elements.map(\.magnitude).max() ?? 0)
  let tight = AgreementTolerance(absolute: tolerance.absolute / 10, relative: tolerance.relative / 10)
  return zip(coarse.elements, fine.elements).allSatisfy { tight.accepts($0, $1, scale: scale) }
}
