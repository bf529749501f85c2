import Testing
import Leibniz
import _LeibnizTestSupport

// A catalog of functions ℝⁿ → ℝᵐ of several shapes, each with a Jacobian
// derived by hand, and scalar functions with hand-derived gradients and
// Hessians. Tests run every verb over the whole catalog.

/// ℝ → ℝ³: x ↦ (sin x, x², eˣ/(1+x)).
struct OneToThree: VectorFunction {
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
    [sin(x[0]), x[0] * x[0], exp(x[0]) / (1 + x[0])]
  }
  static func jacobian(_ x: [Double]) -> [[Double]] {
    let t = x[0]
    return [[cos(t)], [2 * t], [exp(t) * t / ((1 + t) * (1 + t))]]
  }
}

/// ℝ³ → ℝ¹: (a, b, c) ↦ a·b·c + sin(a)·c.
struct ThreeToOne: VectorFunction {
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
    [x[0] * x[1] * x[2] + sin(x[0]) * x[2]]
  }
  static func jacobian(_ x: [Double]) -> [[Double]] {
    let (a, b, c) = (x[0], x[1], x[2])
    return [[b * c + cos(a) * c, a * c, a * b + sin(a)]]
  }
}

/// ℝ⁴ → ℝ⁴: xᵢ ↦ xᵢ·xᵢ₊₁ + tanh xᵢ (indices mod 4).
struct FourToFour: VectorFunction {
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
    (0..<4).map { i in x[i] * x[(i + 1) % 4] + tanh(x[i]) }
  }
  static func jacobian(_ x: [Double]) -> [[Double]] {
    (0..<4).map { i in
      var row = [Double](repeating: 0, count: 4)
      let t = tanh(x[i])
      row[i] += x[(i + 1) % 4] + 1 - t * t
      row[(i + 1) % 4] += x[i]
      return row
    }
  }
}

/// ℝ² → ℝ⁵: (u, v) ↦ (u + v, u·v, eᵘ cos v, log(1 + u² + v²), atan2(v, u)).
struct TwoToFive: VectorFunction {
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
    let u = x[0], v = x[1]
    return [u + v, u * v, exp(u) * cos(v), log(1 + u * u + v * v), atan2(y: v, x: u)]
  }
  static func jacobian(_ x: [Double]) -> [[Double]] {
    let u = x[0], v = x[1], q = 1 + u * u + v * v, r = u * u + v * v
    return [[1, 1], [v, u], [exp(u) * cos(v), -exp(u) * sin(v)],
            [2 * u / q, 2 * v / q], [-v / r, u / r]]
  }
}

/// ℝ¹⁰ → ℝ³: x ↦ (Σ xⱼ², Σ (j+1)·xⱼ, √(1 + Σ xⱼ²)).
struct TenToThree: VectorFunction {
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
    var s: T = 0, w: T = 0
    for j in 0..<10 { s += x[j] * x[j]; w += T(Double(j + 1)) * x[j] }
    return [s, w, sqrt(1 + s)]
  }
  static func jacobian(_ x: [Double]) -> [[Double]] {
    let r = (1 + x.reduce(0) { $0 + $1 * $1 }).squareRoot()
    return [x.map { 2 * $0 }, (0..<10).map { Double($0 + 1) }, x.map { $0 / r }]
  }
}

/// ℝⁿ → ℝⁿ, the W3 function: Fᵢ = tanh(Σⱼ Aᵢⱼxⱼ)·xᵢ + sin(xᵢ₊₁), Aᵢⱼ = sin(i + 2j)/n.
struct DenseTanh: VectorFunction {
  let n: Int
  let a: [Double]
  init(n: Int) {
    self.n = n
    a = (0..<n * n).map { k in sin(Double(k / n) + 2 * Double(k % n)) / Double(n) }
  }
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
    (0..<n).map { i in
      var s: T = 0
      for j in 0..<n { s += T(a[i * n + j]) * x[j] }
      return tanh(s) * x[i] + sin(x[(i + 1) % n])
    }
  }
  static func point(_ n: Int) -> [Double] { (0..<n).map { 0.1 * cos(Double($0)) } }
  func jacobian(_ x: [Double]) -> [[Double]] {
    (0..<n).map { i in
      var s = 0.0
      for j in 0..<n { s += a[i * n + j] * x[j] }
      let t = tanh(s)
      var row = (0..<n).map { j in (1 - t * t) * a[i * n + j] * x[i] }
      row[i] += t
      row[(i + 1) % n] += cos(x[(i + 1) % n])
      return row
    }
  }
}

/// The same function, explicitly not `Sendable`: it always runs on one thread.
struct SingleThreaded<F: VectorFunction>: VectorFunction {
  let f: F
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { f(x) }
}
@available(*, unavailable) extension SingleThreaded: Sendable {}

/// The catalog's shapes, as test arguments.
enum CatalogShape: String, CaseIterable, Sendable, CustomStringConvertible {
  case oneToThree = "1→3", threeToOne = "3→1", fourToFour = "4→4"
  case twoToFive = "2→5", tenToThree = "10→3", sixteenToSixteen = "16→16"
  var description: String { rawValue }

  /// A point in the function's domain.
  var point: [Double] {
    switch self {
    case .oneToThree: return [0.7]
    case .threeToOne: return [0.5, -1.25, 2.0]
    case .fourToFour: return [0.3, -0.8, 1.1, 0.45]
    case .twoToFive: return [0.6, -1.3]
    case .tenToThree: return (0..<10).map { 0.3 * Double($0) - 1.2 }
    case .sixteenToSixteen: return DenseTanh.point(16)
    }
  }

  /// Runs `body` with the function, typed, and its hand-derived Jacobian at `point`.
  func with<R>(_ body: (any VectorFunction & Sendable, [[Double]]) -> R) -> R {
    let x = point
    switch self {
    case .oneToThree: return body(OneToThree(), OneToThree.jacobian(x))
    case .threeToOne: return body(ThreeToOne(), ThreeToOne.jacobian(x))
    case .fourToFour: return body(FourToFour(), FourToFour.jacobian(x))
    case .twoToFive: return body(TwoToFive(), TwoToFive.jacobian(x))
    case .tenToThree: return body(TenToThree(), TenToThree.jacobian(x))
    case .sixteenToSixteen: let f = DenseTanh(n: 16); return body(f, f.jacobian(x))
    }
  }
}

/// Whether two matrices agree entry by entry within `tolerance` (relative to max(1, |b|)).
func matricesAgree(_ a: Matrix<Double>, _ b: [[Double]], tolerance: Double) -> Bool {
  guard a.rows == b.count, a.columns == (b.first?.count ?? 0) else { return false }
  for i in 0..<a.rows { for j in 0..<a.columns where !isClose(a[i, j], b[i][j], tolerance: tolerance) { return false } }
  return true
}

func vectorsAgree(_ a: [Double], _ b: [Double], tolerance: Double) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}

// MARK: - Scalar functions

/// Rosenbrock in two variables, with its gradient and Hessian by hand.
struct Rosenbrock2: ScalarFunction {
  func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
    (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
  }
  static func gradient(_ x: [Double]) -> [Double] {
    let (a, b) = (x[0], x[1])
    return [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]
  }
  static func hessian(_ x: [Double]) -> [[Double]] {
    let (a, b) = (x[0], x[1])
    return [[2 - 400 * (b - a * a) + 800 * a * a, -400 * a], [-400 * a, 200]]
  }
}

/// f(x) = Σ sin(xᵢ)·xᵢ₊₁ + log(1 + xᵢ²) over five variables (cyclic).
struct SineChain: ScalarFunction {
  func callAsFunction<T: Differentiable>(_ x: [T]) -> T {
    var s: T = 0
    for i in 0..<x.count { s += sin(x[i]) * x[(i + 1) % x.count] + log(1 + x[i] * x[i]) }
    return s
  }
  static func gradient(_ x: [Double]) -> [Double] {
    let n = x.count
    return (0..<n).map { i in
      cos(x[i]) * x[(i + 1) % n] + sin(x[(i + n - 1) % n]) + 2 * x[i] / (1 + x[i] * x[i])
    }
  }
}

// MARK: - Exit tests

/// The standard error of an exit test, as text ("" if the test did not run).
func standardError(_ result: ExitTest.Result?) -> String {
  String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}
