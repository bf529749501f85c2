import Testing
import DifferentiableModule
import DualModule
import _LeibnizTestSupport

@Suite("MultiDual: several partials per pass")
struct MultiDualTests {
  typealias D4 = MultiDual<SIMD4<Double>>

  @Test("Every unary rule scales each partial like the single-tangent Dual", arguments: UnaryRule.allCases)
  func unaryRulesMatchDual(_ rule: UnaryRule) {
    let seeds = SIMD4<Double>(1, -2, 0.5, 0)
    for x in rule.points {
      let y = rule(D4(x, partials: seeds))
      let d = derivative(at: x, of: rule.callAsFunction)
      #expect(y.value == rule(x))
      for k in 0..<4 {
        #expect(isClose(y.partials[k], seeds[k] * d, tolerance: Tolerance.roundoff), "\(rule) partial \(k) at \(x)")
      }
    }
  }

  @Test("Binary rules give both partials in one pass", arguments: BinaryRule.allCases)
  func binaryRulesGiveGradient(_ rule: BinaryRule) {
    typealias D2 = MultiDual<SIMD2<Double>>
    for (x, y) in rule.points {
      let f = rule(D2.variable(x, index: 0), D2.variable(y, index: 1))
      let (hx, hy) = rule.partials(x, y)
      #expect(isClose(f.partials[0], hx, tolerance: Tolerance.roundoff), "∂\(rule)/∂x at (\(x), \(y))")
      #expect(isClose(f.partials[1], hy, tolerance: Tolerance.roundoff), "∂\(rule)/∂y at (\(x), \(y))")
    }
  }

  @Test func gradientOfEightVariablesInOnePass() {
    typealias D8 = MultiDual<SIMD8<Double>>
    let p = (0..<8).map { 0.3 + 0.1 * Double($0) }
    let x = p.indices.map { D8.variable(p[$0], index: $0) }
    // f = Σ xᵢ² · sin(xᵢ₊₁): checked against directional derivatives along each axis.
    func f<T: Differentiable>(_ x: [T]) -> T {
      var s: T = 0
      for i in 0..<(x.count - 1) { s += x[i] * x[i] * sin(x[i + 1]) }
      return s
    }
    let g = f(x)
    for j in 0..<8 {
      var axis = [Double](repeating: 0, count: 8)
      axis[j] = 1
      let d = directionalDerivative(at: p, along: axis, of: f)
      #expect(isClose(g.partials[j], d, tolerance: Tolerance.roundoff), "∂f/∂x\(j)")
    }
  }

  @Test func floatPartials() {
    typealias F4 = MultiDual<SIMD4<Float>>
    let y = exp(F4.variable(1, index: 2))
    #expect(y.partials == SIMD4<Float>(0, 0, Float(exp(1.0)), 0))
  }

  @Test func constantsAndLiteralsHaveZeroPartials() {
    let c: D4 = 2.5
    #expect(c.partials == .zero)
    #expect(D4(3).partials == .zero)
    #expect(D4(3.0 as Double).value == 3)
  }

  @Test func descriptionListsPartials() {
    let x = MultiDual<SIMD2<Double>>(4, partials: [1, 2])
    #expect(x.description == "4.0 + [1.0, 2.0]·ε")
  }

  @Test func variableIndexOutOfRangeStopsWithAMessage() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = MultiDual<SIMD4<Double>>.variable(1, index: 4)
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("MultiDual.variable: index 4 is outside 0..<4"))
  }

  /// Zero partials stay zero through an infinite local derivative (`sqrt`
  /// at 0): 0·∞ would be NaN in directions that do not reach the value.
  @Test func zeroPartialsStayZeroThroughInfiniteDerivative() {
    let y = sqrt(D4(0, partials: SIMD4(0, 1, 0, -1)))
    #expect(y.partials[0] == 0 && y.partials[2] == 0)
    #expect(y.partials[1] == .infinity && y.partials[3] == -.infinity)
    let z = D4.variable(1, index: 0) + sqrt(D4(0, partials: SIMD4(0, 1, 0, 0)))
    #expect(z.partials == SIMD4(1, .infinity, 0, 0))
    // A finite derivative keeps the plain product (signed zeros included).
    #expect(sqrt(D4(4, partials: SIMD4(0, 1, -0.0, 2))).partials == SIMD4(0, 0.25, -0.0, 0.5))
  }

  @Test func singleTangentDualAgrees() {
    #expect(sqrt(Dual<Double>(0, tangent: 0)).tangent == 0)
    #expect(sqrt(Dual<Double>(0, tangent: 1)).tangent == .infinity)
    #expect(log(Dual<Double>(0, tangent: 0)).tangent == 0)
    // Nested: the inner tangent is itself a Dual.
    let nested = sqrt(Dual<Dual<Double>>(Dual(0), tangent: Dual(0)))
    #expect(nested.tangent.value == 0 && nested.tangent.tangent == 0)
  }
}
