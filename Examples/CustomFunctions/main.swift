// Functions outside the operator set, each given once with its derivative and
// then used in every mode: Bessel functions from the C library, and Kepler's
// eccentric anomaly, an implicit function found by Newton iterations whose
// partials come from the implicit-function theorem (no mode iterates the
// solver on dual numbers).
import Leibniz
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// J₀ from the C library; J₀′ = −J₁, written generically so that it nests.
struct BesselJ0: UnaryRule {
  var name: String { "j0" }
  func value(_ x: Double) -> Double { j0(x) }
  func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T { -BesselJ1()(x) }
}

/// J₁ from the C library; J₁′ = J₀ − J₁/x (and 1/2 at 0).
struct BesselJ1: UnaryRule {
  var name: String { "j1" }
  func value(_ x: Double) -> Double { j1(x) }
  func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T {
    x == 0 ? 0.5 : BesselJ0()(x) - value / x
  }
}

/// The eccentric anomaly E(M, e): the root of E − e·sin E = M.
struct EccentricAnomaly: BinaryRule {
  var name: String { "eccentricAnomaly" }
  func value(_ m: Double, _ e: Double) -> Double {
    var x = e < 0.8 ? m : Double.pi
    for _ in 0..<100 {
      let step = (x - e * sin(x) - m) / (1 - e * cos(x))
      x -= step
      if abs(step) <= 1e-15 * max(1, abs(x)) { break }
    }
    return x
  }
  // ∂E/∂M = 1/(1 − e·cos E), ∂E/∂e = sin E/(1 − e·cos E)
  func partials<T: DifferentiableScalar>(at m: T, _ e: T, value: T) -> (T, T) {
    let d = 1 - e * T.cos(value)
    return (1 / d, T.sin(value) / d)
  }
}

/// E(M, e) as a scalar function of (M, e).
struct Kepler: ScalarFunction {
  func callAsFunction<T: DifferentiableScalar>(_ p: [T]) -> T { EccentricAnomaly()(p[0], p[1]) }
}

/// The position (x, y) on a Keplerian orbit of semi-major axis a at mean
/// anomaly M and eccentricity e: x = a(cos E − e), y = a·√(1 − e²)·sin E.
struct OrbitPosition: VectorFunction {
  func callAsFunction<T: DifferentiableScalar>(_ p: [T]) -> [T] {
    let (m, e, a) = (p[0], p[1], p[2])
    let E = EccentricAnomaly()(m, e)
    return [a * (cos(E) - e), a * sqrt(1 - e * e) * sin(E)]
  }
}

/// A damped Bessel mode, f(r, k) = J₀(k·r)·e^(−r/4), as a scalar function.
struct BesselMode: ScalarFunction {
  func callAsFunction<T: DifferentiableScalar>(_ p: [T]) -> T {
    BesselJ0()(p[1] * p[0]) * exp(-p[0] / 4)
  }
}

// 1. Bessel functions: first and second derivatives against the identities.
let x = 2.5
let d1 = derivative(at: x) { BesselJ0()($0) }
let d2 = derivative(at: x) { y in derivative(at: y) { BesselJ0()($0) } }
print("J₀′(\(x)) = \(d1)   (−J₁ = \(-j1(x)))")
print("J₀″(\(x)) = \(d2)   (−J₀ + J₁/x = \(-j0(x) + j1(x) / x))")

// 2. The same rule in reverse mode, in a Hessian, and on a Tensor with backward.
let g = gradient(at: [1.5, 2.0], of: BesselMode())
let H = hessian(at: [1.5, 2.0], of: BesselMode())
print("∇f(1.5, 2) = \(g)")
print("Hessian:\n\(H)")
let r = Tensor([0.5, 1.0, 2.0], requiresGrad: true)
let mode = BesselJ0()(2 * r) * exp(-r / 4)
mode.sum().backward()
print("Tensor gradient: \(r.grad!.scalars)   (gradFunction \(mode.gradFunction ?? "none"))")
print(checkDerivatives(at: [1.5, 2.0], of: BesselMode()))

// 3. Kepler: the Jacobian of the orbit position by forward and reverse mode,
// checked against finite differences.
let point = [1.0, 0.3, 2.0]
let E = EccentricAnomaly().value(point[0], point[1])
print("E(M = 1, e = 0.3) = \(E), residual \(E - 0.3 * sin(E) - 1)")
print("∂E/∂M, ∂E/∂e = \(gradient(at: [1.0, 0.3], of: Kepler()))   (exact: \(1 / (1 - 0.3 * cos(E))), \(sin(E) / (1 - 0.3 * cos(E))))")
print(checkDerivatives(at: [1.0, 0.3], of: Kepler()))
print(checkDerivatives(at: point, of: OrbitPosition()))
