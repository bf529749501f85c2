import Leibniz
import Testing
import _LeibnizTestSupport

// Functions written once that branch on values: an `if`, `max`, a loop to a
// tolerance, a piecewise model. Every Jacobian verb differentiates the branch
// taken; each test compares the modes with each other and with finite
// differences (an independent reference) at points away from the kinks.

/// x₀ > 0 ? x₀²·x₁ : sin(x₀) + x₁ (continuous at 0, with a kink in ∂/∂x₀).
struct IfBranch: ScalarFunction {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
    if x[0] > 0 { return x[0] * x[0] * x[1] }
    return sin(x[0]) + x[1] - x[1]
  }
}

/// max(x₀·x₁, x₀ + x₁) + min(x₁, 2)·x₀.
struct MaxMin: ScalarFunction {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
    max(x[0] * x[1], x[0] + x[1]) + min(x[1], 2) * x[0]
  }
}

/// (√a, ∛b) by Newton iterations until the residual is below a tolerance:
/// the number of iterations depends on the point.
struct NewtonRoots: VectorFunction {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    var r = x[0]
    while abs(r * r - x[0]) > 1e-15 * x[0] { r = (r + x[0] / r) / 2 }
    var c = x[1]
    var iterations = 0
    while abs(c * c * c - x[1]) > 1e-15 * x[1] && iterations < 200 {
      c = (2 * c + x[1] / (c * c)) / 3
      iterations += 1
    }
    return [r, c, r * c]
  }
}

/// A piecewise model: a quadratic spline in t with knots at 1 and 2, scaled
/// by a, with a constant tail beyond 3.
struct PiecewiseModel: ScalarFunction {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T {
    let (t, a) = (x[0], x[1])
    let s: T
    if t < 1 {
      s = t * t / 2
    } else if t < 2 {
      s = -t * t + 3 * t - 1.5
    } else if t < 3 {
      s = (3 - t) * (3 - t) / 2
    } else {
      s = 0
    }
    return a * s + a * a * t
  }
}

@Suite("Functions that branch, with every Jacobian verb")
struct BranchingFunctionTests {
  static let tolerance = Tolerance.finiteDifference

  /// Forward, reverse and finite-difference gradients, the Hessian against
  /// finite differences of the gradient, checkDerivatives, and J·v, vᵀ·J and
  /// H·v against those matrices, at `point`.
  func checkEveryVerb<F: ScalarFunction & Sendable>(_ f: F, at point: [Double], _ name: String) {
    let forward = jacobian(at: point, mode: .forward, of: OneOutput(f)).row(0)
    let reverse = gradient(at: point, of: f)
    let fd = finiteDifferenceGradient(at: point, of: f)
    for j in point.indices {
      #expect(isClose(forward[j], reverse[j], tolerance: Tolerance.roundoff), "\(name) at \(point): forward \(forward), reverse \(reverse)")
      #expect(isClose(reverse[j], fd[j], tolerance: Self.tolerance), "\(name) at \(point): reverse \(reverse), fd \(fd)")
    }
    let h = hessian(at: point, of: f)
    let fdH = finiteDifferenceJacobian(at: point) { y in gradient(at: y, of: f) }
    #expect(matricesAgree(h, fdH.rowArrays, tolerance: 1e-6), "\(name) Hessian at \(point): \(h) vs \(fdH)")
    let report = checkDerivatives(at: point, of: f)
    #expect(report.agrees, "\(name) at \(point): \(report)")
    // J·v, vᵀ·J and H·v along a direction agree with the matrices.
    let v = point.indices.map { 0.5 + 0.25 * Double($0) }
    let jv = jvp(at: point, direction: v, of: OneOutput(f))[0]
    let uJ = vjp(at: point, cotangent: [2], of: OneOutput(f))
    let hv = hvp(at: point, direction: v, of: f)
    let dot = zip(reverse, v).map { $0 * $1 }.reduce(0, +)
    #expect(isClose(jv, dot, tolerance: Tolerance.roundoff), "\(name) jvp at \(point)")
    for j in point.indices {
      #expect(isClose(uJ[j], 2 * reverse[j], tolerance: Tolerance.roundoff), "\(name) vjp at \(point)")
      let row = point.indices.map { h[j, $0] * v[$0] }.reduce(0, +)
      #expect(isClose(hv[j], row, tolerance: Tolerance.roundoff), "\(name) hvp at \(point)")
    }
  }

  @Test func ifOnBothSides() {
    checkEveryVerb(IfBranch(), at: [0.7, 1.3], "if (x₀ > 0)")
    checkEveryVerb(IfBranch(), at: [-0.4, 2.0], "if (x₀ ≤ 0)")
  }

  @Test func maxAndMinOnEachSide() {
    for point in [[3.0, 1.2], [0.5, 0.25], [1.0, 2.5], [-1.0, 3.0]] {
      checkEveryVerb(MaxMin(), at: point, "max/min")
    }
  }

  @Test func piecewiseModelOnEachPiece() {
    for t in [0.5, 1.4, 2.6, 3.5] {
      checkEveryVerb(PiecewiseModel(), at: [t, 0.8], "piecewise at t = \(t)")
    }
  }

  @Test func loopToATolerance() {
    for point in [[2.0, 27.0], [0.01, 0.5], [1e6, 5.0]] {
      let (a, b) = (point[0], point[1])
      let exact: [[Double]] = [
        [1 / (2 * a.squareRoot()), 0],
        [0, 1 / (3 * Double.cbrt(b) * Double.cbrt(b))],
        [Double.cbrt(b) / (2 * a.squareRoot()), a.squareRoot() / (3 * Double.cbrt(b) * Double.cbrt(b))],
      ]
      for mode in [DifferentiationMode.forward, .reverse] {
        let j = jacobian(at: point, mode: mode, of: NewtonRoots())
        #expect(matricesAgree(j, exact, tolerance: 1e-12), "\(mode) at \(point): \(j)")
      }
      let report = checkDerivatives(at: point, of: NewtonRoots())
      #expect(report.agrees, "\(report)")
    }
    // Second derivatives through the loop: ∂²√a/∂a² = −1/(4·a^(3/2)).
    struct Root: ScalarFunction {
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { NewtonRoots()(x)[0] }
    }
    let h = hessian(at: [2.0, 27.0], of: Root())
    #expect(isClose(h[0, 0], -1 / (4 * Double.pow(2, 1.5)), tolerance: 1e-10), "\(h)")
  }

  /// At a kink each mode differentiates the branch its comparison selects;
  /// the rule table's conventions decide `max` and `abs`; central finite
  /// differences straddle the kink and average the two sides.
  @Test func whatEachModeReturnsAtAKink() {
    struct IfKink: ScalarFunction {   // x > 0 ? 2x : x (the else branch at 0)
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { x[0] > 0 ? 2 * x[0] : x[0] }
    }
    struct MaxKink: ScalarFunction {  // max(2x, x): a tie at 0
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { max(2 * x[0], x[0]) }
    }
    struct AbsKink: ScalarFunction {
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { abs(x[0]) }
    }
    for mode in [DifferentiationMode.forward, .reverse] {
      #expect(jacobian(at: [0.0], mode: mode, of: OneOutput(IfKink()))[0, 0] == 1, "if: the else branch's slope")
      #expect(jacobian(at: [0.0], mode: mode, of: OneOutput(MaxKink()))[0, 0] == 1.5, "max: half of each")
      #expect(jacobian(at: [0.0], mode: mode, of: OneOutput(AbsKink()))[0, 0] == 0, "abs: 0 at 0")
    }
    #expect(isClose(finiteDifferenceGradient(at: [0.0], of: IfKink())[0], 1.5, tolerance: 1e-12))
    #expect(isClose(finiteDifferenceGradient(at: [0.0], of: AbsKink())[0], 0, tolerance: 1e-12))
    // checkDerivatives reports the disagreement at the if's kink.
    #expect(!checkDerivatives(at: [0.0], of: IfKink()).agrees)
  }
}

/// A scalar function as a vector function with one output (forward-mode
/// Jacobian of a `ScalarFunction`).
struct OneOutput<F: ScalarFunction & Sendable>: VectorFunction, Sendable {
  let f: F
  init(_ f: F) { self.f = f }
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { [f(x)] }
}
