import Testing
import Leibniz
import _LeibnizTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// J₀, with J₀′ = −J₁ given generically (so that it nests).
struct BesselJ0: UnaryRule {
  var name: String { "j0" }
  func value(_ x: Double) -> Double { j0(x) }
  func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T { -BesselJ1()(x) }
}

/// J₁, with J₁′ = J₀ − J₁/x (1/2 at 0).
struct BesselJ1: UnaryRule {
  var name: String { "j1" }
  func value(_ x: Double) -> Double { j1(x) }
  func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T { x == 0 ? 0.5 : BesselJ0()(x) - value / x }
}

/// The eccentric anomaly E(M, e), the root of E − e·sin E = M, by Newton's
/// method at `Double`; differentiated implicitly.
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
  func partials<T: DifferentiableScalar>(at m: T, _ e: T, value: T) -> (T, T) {
    let d = 1 - e * T.cos(value)
    return (1 / d, T.sin(value) / d)
  }
}

/// J₀ from closures: the derivative is known at `Double` only.
let besselJ0Closures = UnaryFunction("j0", value: { j0($0) }, derivative: { x, _ in -j1(x) })

/// A user rule inside a larger expression: 3·J₀(x)·y + E(x, y/4).
struct UserRuleProbe: Probe {
  var description: String { "3·j0(x)·y + E(x, y/4)" }
  func callAsFunction<T: Differentiable>(_ x: T, _ y: T, _ extrema: Extrema<T>) -> T {
    3 * BesselJ0()(x) * y + EccentricAnomaly()(x, y / 4)
  }
}

struct ClosureRuleProbe: Probe {
  var description: String { "j0 from closures" }
  func callAsFunction<T: Differentiable>(_ x: T, _ y: T, _ extrema: Extrema<T>) -> T { besselJ0Closures(x) * y }
}

struct KeplerFunction: ScalarFunction {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { EccentricAnomaly()(x[0], x[1]) }
}

struct BesselFunction: ScalarFunction {
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { BesselJ0()(x[0]) * BesselJ1()(x[1]) }
}

@Suite("Functions added by users: one rule, every mode")
struct UserRuleTests {
  @Test("A unary and a binary rule in an expression, in every mode, against finite differences", arguments: Mode.allCases)
  func everyMode(_ mode: Mode) {
    for (x, y) in [(0.7, 0.9), (2.5, 1.6), (-1.2, 3.0)] {
      let (dx, dy) = mode.partials(of: UserRuleProbe(), at: x, y)
      let f = { (v: [Double]) in UserRuleProbe()(v[0], v[1], .scalar) }
      let fx = finiteDifferencePartial(at: [x, y], coordinate: 0, of: f)
      let fy = finiteDifferencePartial(at: [x, y], coordinate: 1, of: f)
      #expect(isClose(dx, fx, tolerance: Tolerance.finiteDifference), "\(mode) ∂/∂x at (\(x), \(y)): \(dx), fd \(fx)")
      #expect(isClose(dy, fy, tolerance: Tolerance.finiteDifference), "\(mode) ∂/∂y at (\(x), \(y)): \(dy), fd \(fy)")
    }
  }

  @Test("A rule from closures in every first-order mode", arguments: Mode.allCases.filter { $0 != .tensorOverDual })
  func closureRule(_ mode: Mode) {
    let (dx, dy) = mode.partials(of: ClosureRuleProbe(), at: 2, 1.5)
    #expect(isClose(dx, -j1(2) * 1.5, tolerance: Tolerance.roundoff))
    #expect(isClose(dy, j0(2), tolerance: Tolerance.roundoff))
  }

  @Test("Second derivatives of a rule whose derivative is generic: J₀″ = −J₀ + J₁/x")
  func nestedGenericRule() {
    for x in [0.5, 2.0, 7.25] {
      let exact = -j0(x) + j1(x) / x
      let modes: [(String, Double)] = [
        ("Dual<Dual>", derivative(at: x) { y in derivative(at: y) { BesselJ0()($0) } }),
        ("hessian", hessian(at: [x, 1.0], of: BesselFunction())[0, 0] / j1(1)),
        ("Tensor<Dual>", tensorPartials(of: UserRuleProbe(), at: Dual(x, tangent: 1), Dual(1), count: 3).0.tangent),
      ]
      // The Tensor row differentiates all of 3·J₀(x)·y + E(x, y/4) in x twice.
      let e = EccentricAnomaly().value(x, 0.25), d = 1 - 0.25 * cos(e)
      let keplerSecond = -0.25 * sin(e) / (d * d * d)
      for (mode, d2) in modes {
        let expected = mode == "Tensor<Dual>" ? 3 * exact + keplerSecond : exact
        #expect(isClose(d2, expected, tolerance: 1e-11), "J₀″(\(x)) by \(mode) = \(d2), exact \(expected)")
      }
    }
  }

  @Test("Kepler's E(M, e): the implicit partials agree with finite differences (checkDerivatives)")
  func keplerCheckDerivatives() {
    for point in [[1.0, 0.3], [0.2, 0.9], [3.0, 0.05], [-2.0, 0.6]] {
      let report = checkDerivatives(at: point, of: KeplerFunction())
      #expect(report.agrees, "\(report)")
      let g = gradient(at: point, of: KeplerFunction())
      let e = EccentricAnomaly().value(point[0], point[1])
      #expect(isClose(e - point[1] * sin(e), point[0], tolerance: 1e-14), "E solves Kepler's equation")
      #expect(isClose(g[0], 1 / (1 - point[1] * cos(e)), tolerance: Tolerance.roundoff))
      #expect(isClose(g[1], sin(e) / (1 - point[1] * cos(e)), tolerance: Tolerance.roundoff))
    }
  }

  @Test("A rule in Float and Float80 evaluates through Double")
  func otherPrecisions() {
    #expect(BesselJ0()(Float(2)) == Float(j0(2)))
    #expect(derivative(at: Float(2)) { BesselJ0()($0) } == Float(-j1(2)))
    #expect(BesselJ0()(Float80(2)) == Float80(j0(2)))
  }

  @Test("Tensor names a user rule's backward function")
  func gradFunctionName() {
    let x = Tensor([1.0, 2.0], requiresGrad: true)
    #expect(BesselJ0()(x).gradFunction == "CustomFunctionBackward")
  }

  @Test("A closure rule asked for a second derivative stops naming the function")
  func closureRuleNested() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = derivative(at: 2.0) { y in derivative(at: y) { besselJ0Closures($0) } }
    }
    let message = String(decoding: r?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("j0: the derivative of this UnaryFunction is given at Double only"), "\(message)")
    #expect(message.contains("conform to UnaryRule with a generic derivative"), "\(message)")
  }
}
