import Testing
import DifferentiableModule
import DualModule
import _LeibnizTestSupport

func quickstartFunction<T: Differentiable>(_ x: T) -> T { sin(x) * exp(x) / (1 + x * x) }

@Suite("derivative(at:of:) and valueWithDerivative(at:of:)")
struct DerivativeVerbTests {
  @Test func genericFunctionAndTrailingClosureAgree() {
    let byName = derivative(at: 1.0, of: quickstartFunction)
    let byClosure = derivative(at: 1.0) { x in sin(x) * exp(x) / (1 + x * x) }
    #expect(byName == byClosure)
    // Hand: (cos·e + sin·e)/(1+x²) − sin·e·2x/(1+x²)² at x = 1.
    let e = exp(1.0), s = sin(1.0), c = cos(1.0)
    #expect(isClose(byName, (c * e + s * e) / 2 - s * e * 2 / 4, tolerance: Tolerance.roundoff))
  }

  @Test func valueWithDerivativeOfCube() {
    let (value, d) = valueWithDerivative(at: 2.0) { x in x * x * x }
    #expect(value == 8)
    #expect(d == 12)
  }

  @Test func constantFunctionHasZeroDerivative() {
    #expect(derivative(at: 3.0) { _ in Dual(7.0) } == 0)
    #expect(derivative(at: 3.0) { x in x - x } == 0)
  }

  @Test func identityHasDerivativeOne() {
    #expect(derivative(at: -4.5) { x in x } == 1)
  }

  @Test func higherDerivativesByNesting() {
    // f = x⁵: f' = 5x⁴, f'' = 20x³, f''' = 60x² at x = 2.
    func f<T: Differentiable>(_ x: T) -> T { x * x * x * x * x }
    #expect(derivative(at: 2.0, of: f) == 80)
    #expect(derivative(at: 2.0) { x in derivative(at: x, of: f) } == 160)
    #expect(derivative(at: 2.0) { x in derivative(at: x) { y in derivative(at: y, of: f) } } == 240)
  }

  @Test func secondDerivativeOfQuickstartMatchesFiniteDifferences() {
    let d2 = derivative(at: 0.7) { x in derivative(at: x, of: quickstartFunction) }
    let fd = finiteDifferenceDerivative(at: 0.7) { x in derivative(at: x, of: quickstartFunction) }
    #expect(isClose(d2, fd, tolerance: 1e-8))
  }

  @Test func noPerturbationConfusion() {
    // d/dx [x · d/dy (x + y) at y = 1] at x = 1 is exactly 1 (a naive
    // implementation that shares one ε between levels gives 2).
    let d = derivative(at: 1.0) { x in
      x * derivative(at: Dual(1.0)) { y in Dual(x) + y }
    }
    #expect(d == 1)
  }

  @Test func genericBranchingCodeDifferentiatesTheTakenBranch() {
    func relu<T: DifferentiableScalar>(_ x: T) -> T { x > 0 ? x : 0 }
    #expect(derivative(at: 2.0, of: relu) == 1)
    #expect(derivative(at: -2.0, of: relu) == 0)
  }

  @Test func runtimeConstantsLiftWithoutDerivative() {
    let c = 2.5
    func scaled<T: Differentiable>(_ x: T, by c: Double) -> T { T(c) * x * x }
    #expect(derivative(at: 3.0) { x in scaled(x, by: c) } == 15)
  }

  @Test func throwingClosuresRethrow() {
    struct Failure: Error {}
    #expect(throws: Failure.self) { try derivative(at: 1.0) { _ -> Dual<Double> in throw Failure() } }
  }
}

@Suite("README examples for forward mode")
struct ForwardReadmeTests {
  @Test func huberBranchesOnOrdering() {
    func huber<T: DifferentiableScalar>(_ x: T) -> T {
      abs(x) <= 1 ? x * x / 2 : abs(x) - 0.5
    }
    #expect(derivative(at: 3.0, of: huber) == 1)
    #expect(derivative(at: 0.5, of: huber) == 0.5)
    #expect(derivative(at: -3.0, of: huber) == -1)
  }

  @Test func quickstartValues() {
    #expect(isClose(derivative(at: 1.0, of: quickstartFunction), 0.7343469699579426, tolerance: Tolerance.roundoff))
    let d2 = derivative(at: 1.0) { x in derivative(at: x, of: quickstartFunction) }
    #expect(isClose(d2, -1.1436776435894211, tolerance: Tolerance.roundoff))
    typealias D = MultiDual<SIMD2<Double>>
    let z = D.variable(3, index: 0) * D.variable(2, index: 1)
    #expect(z.partials == SIMD2(2, 3))
  }
}
