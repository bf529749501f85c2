import Testing
import DifferentiableModule
import DualModule
import _LeibnizTestSupport

@Suite("Forward-mode derivative rules")
struct ForwardRuleTests {
  @Test("Each unary rule matches the hand derivative and finite differences (Double)", arguments: UnaryRule.allCases)
  func unaryDouble(_ rule: UnaryRule) {
    for x in rule.points {
      let (value, d) = valueWithDerivative(at: x, of: rule.callAsFunction)
      #expect(value == rule(x), "\(rule) value at \(x)")
      #expect(isClose(d, rule.derivative(x), tolerance: Tolerance.roundoff), "\(rule)'(\(x)) = \(d), hand \(rule.derivative(x))")
      let fd = finiteDifferenceDerivative(at: x, step: 1e-3 * Swift.max(0.01, Swift.abs(x)), of: rule.callAsFunction)
      #expect(isClose(d, fd, tolerance: Tolerance.finiteDifference), "\(rule)'(\(x)) = \(d), finite differences \(fd)")
    }
  }

  @Test("Each unary rule matches the hand derivative in Float", arguments: UnaryRule.allCases)
  func unaryFloat(_ rule: UnaryRule) {
    for x in rule.points {
      let d = derivative(at: Float(x), of: rule.callAsFunction)
      let hand = rule.derivative(Double(Float(x)))
      #expect(isClose(Double(d), hand, tolerance: Tolerance.floatRoundoff), "\(rule)'(\(x)) in Float = \(d), hand \(hand)")
    }
  }

  @Test("Second derivatives by nesting match finite differences of the hand derivative", arguments: UnaryRule.allCases)
  func secondDerivative(_ rule: UnaryRule) {
    for x in rule.points where !(rule == .abs) {
      let d2 = derivative(at: x) { y in derivative(at: y, of: rule.callAsFunction) }
      let fd = finiteDifferenceDerivative(at: x, step: 1e-3 * Swift.max(0.01, Swift.abs(x)), of: rule.derivative)
      #expect(isClose(d2, fd, tolerance: 1e-6), "\(rule)''(\(x)) = \(d2), finite differences \(fd)")
    }
  }

  @Test("Each binary rule matches hand partials and finite differences", arguments: BinaryRule.allCases)
  func binary(_ rule: BinaryRule) {
    for (x, y) in rule.points {
      let (hx, hy) = rule.partials(x, y)
      let dx = directionalDerivative(at: [x, y], along: [1, 0]) { v in rule(v[0], v[1]) }
      let dy = directionalDerivative(at: [x, y], along: [0, 1]) { v in rule(v[0], v[1]) }
      #expect(isClose(dx, hx, tolerance: Tolerance.roundoff), "∂\(rule)/∂x at (\(x), \(y)) = \(dx), hand \(hx)")
      #expect(isClose(dy, hy, tolerance: Tolerance.roundoff), "∂\(rule)/∂y at (\(x), \(y)) = \(dy), hand \(hy)")
      let fdx = finiteDifferencePartial(at: [x, y], coordinate: 0) { v in rule(v[0], v[1]) }
      let fdy = finiteDifferencePartial(at: [x, y], coordinate: 1) { v in rule(v[0], v[1]) }
      #expect(isClose(dx, fdx, tolerance: Tolerance.finiteDifference), "∂\(rule)/∂x vs finite differences \(fdx)")
      #expect(isClose(dy, fdy, tolerance: Tolerance.finiteDifference), "∂\(rule)/∂y vs finite differences \(fdy)")
      // Float agrees with the Double hand partials.
      let fx = directionalDerivative(at: [Float(x), Float(y)], along: [1, 0]) { v in rule(v[0], v[1]) }
      #expect(isClose(Double(fx), hx, tolerance: Tolerance.floatRoundoff), "∂\(rule)/∂x in Float")
    }
  }

  @Test("Mixed second partials of binary rules are symmetric", arguments: [BinaryRule.multiply, .divide, .pow, .atan2, .hypot])
  func mixedSecondPartials(_ rule: BinaryRule) {
    for (x, y) in rule.points {
      // ∂²f/∂x∂y by nesting in both orders.
      let dxy = derivative(at: y) { yy in
        derivative(at: Dual(x)) { xx in rule(xx, Dual(yy)) }
      }
      let dyx = derivative(at: x) { xx in
        derivative(at: Dual(y)) { yy in rule(Dual(xx), yy) }
      }
      #expect(isClose(dxy, dyx, tolerance: 1e-12), "\(rule): ∂²/∂x∂y \(dxy) vs ∂²/∂y∂x \(dyx)")
      let fd = finiteDifferenceDerivative(at: y) { yy in rule.partials(x, yy).0 }
      #expect(isClose(dxy, fd, tolerance: 1e-6), "\(rule): ∂²/∂x∂y \(dxy) vs finite differences \(fd)")
    }
  }
}

@Suite("Edge conventions (as PyTorch and JAX)")
struct EdgeConventionTests {
  @Test func absAtZeroHasDerivativeZero() {
    #expect(derivative(at: 0.0) { x in abs(x) } == 0)
    #expect(derivative(at: -0.0) { x in abs(x) } == 0)
    #expect(derivative(at: Float(0)) { x in abs(x) } == 0)
  }

  @Test func sqrtAtZeroIsPlusInfinity() {
    #expect(derivative(at: 0.0) { x in sqrt(x) } == .infinity)
  }

  @Test func squareByPowAtZeroIsZero() {
    #expect(derivative(at: 0.0) { x in pow(x, 2) } == 0)
    #expect(derivative(at: 0.0) { x in pow(x, Dual(2.0)) } == 0)
  }

  @Test func powOfZeroHasZeroDerivativesForExponentAboveOne() {
    for y in [1.5, 2.0, 3.0] {
      let dx = directionalDerivative(at: [0.0, y], along: [1, 0]) { v in pow(v[0], v[1]) }
      let dy = directionalDerivative(at: [0.0, y], along: [0, 1]) { v in pow(v[0], v[1]) }
      #expect(dx == 0, "∂pow/∂x at (0, \(y))")
      #expect(dy == 0, "∂pow/∂y at (0, \(y))")
    }
  }

  @Test func powWithZeroExponentHasZeroDerivativeInBase() {
    #expect(derivative(at: 0.0) { x in pow(x, Dual(0.0)) } == 0)
    #expect(derivative(at: 0.0) { x in pow(x, 0) } == 0)
  }

  @Test func powOfNegativeBaseWithConstantExponent() {
    // No ln(x) term when the exponent is constant, so this is finite: 2·(−2) = −4.
    #expect(derivative(at: -2.0) { x in pow(x, 2.0) } == -4)
    #expect(derivative(at: -2.0) { x in pow(x, 3) } == 12)
  }

  @Test func powEdgeConventionKeepsNestedPerturbations() {
    // ∂²(xʸ)/∂y∂x = xʸ⁻¹(1 + y·ln x) = 1/x at y = 0: the y = 0 convention for
    // ∂/∂x must not drop the perturbation that y carries at the outer level.
    let d = derivative(at: 0.0) { y in derivative(at: Dual(1.2)) { x in pow(x, Dual(y)) } }
    #expect(isClose(d, 1 / 1.2, tolerance: Tolerance.roundoff))
    // ∂²(xʸ)/∂x∂y at x = 0, y = 2: ∂/∂y = xʸ·ln x → 0 by convention for the
    // inner level, but its x-perturbation is d/dx (x²·ln x) = 2x·ln x + x → 0 too.
    let e = derivative(at: 0.0) { x in derivative(at: Dual(2.0)) { y in pow(Dual(x), y) } }
    #expect(e == 0)
  }

  @Test func powOfConstantZeroBaseHasNoNaN() {
    // d/dy 0^y = 0^y·ln 0 → 0 by convention (y ≥ 0); the base is a constant,
    // so its infinite ∂/∂x at y < 1 must not turn into 0·∞ = NaN.
    #expect(derivative(at: 0.5) { y in pow(Dual<Double>(0), y) } == 0)
    #expect(derivative(at: 2.0) { y in pow(Dual<Double>(0), y) } == 0)
  }

  @Test func nestedTiesSplitTheInnerDerivativeToo() {
    // max(t, 2t − 1) at t = 1 is a tie with inner slopes 1 and 2: the split
    // slope is 1.5, whether taken directly or as the outer derivative of the
    // inner value.
    let direct = derivative(at: 1.0) { x in max(x, 2 * x - 1) }
    let nested = derivative(at: 1.0) { x in valueWithDerivative(at: x) { t in max(t, 2 * t - 1) }.value }
    #expect(direct == 1.5)
    #expect(nested == 1.5)
    let nestedMin = derivative(at: 1.0) { x in valueWithDerivative(at: x) { t in min(t, 2 * t - 1) }.value }
    #expect(nestedMin == 1.5)
  }

  @Test func maxAndMinTiesSplitEvenly() {
    let dmax = directionalDerivative(at: [1.0, 1.0], along: [1, 0]) { v in max(v[0], v[1]) }
    let dmin = directionalDerivative(at: [1.0, 1.0], along: [0, 1]) { v in min(v[0], v[1]) }
    #expect(dmax == 0.5)
    #expect(dmin == 0.5)
    // d/dx max(x, x) = 1: the halves add up.
    #expect(derivative(at: 2.0) { x in max(x, x) } == 1)
  }

  /// pow(x, Int.min) differentiates without trapping: n − 1 would overflow, so the rule
  /// takes xⁿ⁻¹ as xⁿ/x. At x = 1 the derivative is n; at x = 2, n·2ⁿ⁻¹ underflows to 0.
  @Test func powWithTheSmallestIntExponent() {
    #expect(derivative(at: 1.0) { pow($0, Int.min) } == Double(Int.min))
    #expect(derivative(at: 2.0) { pow($0, Int.min) } == 0)
  }

  /// A NaN argument loses to a number, as in Double.maximum, and so does its
  /// derivative: the number's tangent is taken whole, not split as at a tie.
  @Test func maxAndMinOfNaNAndANumberFollowTheNumber() {
    let nan = Dual<Double>(.nan, tangent: 1), two = Dual<Double>(2, tangent: 3)
    for (got, expected) in [(max(nan, two), 2.0), (max(two, nan), 2), (min(nan, two), 2), (min(two, nan), 2)] {
      #expect(got.value == expected && got.tangent == 3)
    }
    #expect(max(nan, nan).value.isNaN)
  }
}

/// Rules whose textbook form loses digits or overflows at ordinary arguments,
/// checked in relative terms against a Float80 reference.
@Suite("Derivative rules keep their digits")
struct DerivativeRulePrecisionTests {
  /// Relative error of `got` against `expected`.
  func relativeError(_ got: Double, _ expected: Float80) -> Double {
    Double(abs((Float80(got) - expected) / expected))
  }

  @Test func expm1FarBelowZero() {
    for x in [-40.0, -20.0, -1.0, -0.6] {
      let d = derivative(at: x) { expm1($0) }
      #expect(relativeError(d, Float80.exp(Float80(x))) < 1e-15, "at \(x)")
    }
    #expect(derivative(at: 0.25) { expm1($0) } == expm1(0.25) + 1)
  }

  /// atan′ and atan″ stay accurate at huge |x|: in 1/(1 + x²), x² overflows from |x| ≈ 1.3e154,
  /// which would give 0 where the derivative is still representable, and atan″ NaN.
  @Test func atanAtHugeArguments() {
    // Within 1e-15 relative, or a few subnormal ulps where the exact value
    // is subnormal itself.
    func close(_ got: Double, _ exact: Float80) -> Bool {
      abs(Float80(got) - exact) <= 1e-15 * abs(exact) + 4 * Float80(Double.leastNonzeroMagnitude)
    }
    for x in [1e154, -1e155, 1e160, 3.0, -2.0, 0.5, 1e-200] {
      let x80 = Float80(x), q = 1 + x80 * x80
      let d1 = derivative(at: x) { atan($0) }
      let d2 = derivative(at: x) { y in derivative(at: y) { atan($0) } }
      #expect(close(d1, 1 / q), "atan′ at \(x): \(d1)")
      #expect(close(d2, -2 * x80 / (q * q)), "atan″ at \(x): \(d2)")
    }
  }

  @Test func tanhWhereItSaturates() {
    for x in [20.0, -20.0, 3.0, 1.5, 0.5] {
      let c = Float80.cosh(Float80(x))
      #expect(relativeError(derivative(at: x) { tanh($0) }, 1 / (c * c)) < 1e-14, "at \(x)")
    }
  }

  @Test func asinAndAcosNearOne() {
    for x in [1 - 1e-9, -(1 - 1e-9), 1 - 1e-15, 0.5] {
      let exact = 1 / ((1 - Float80(x)) * (1 + Float80(x))).squareRoot()
      #expect(relativeError(derivative(at: x) { asin($0) }, exact) < 1e-15, "asin at \(x)")
      #expect(relativeError(derivative(at: x) { acos($0) }, -exact) < 1e-15, "acos at \(x)")
    }
  }

  @Test func asinAndAcosSecondDerivativesNearZero() {
    // (1 − x)(1 + x) keeps 1 − x² exact near ±1, but its derivative, −(1 + x) + (1 − x),
    // cancels near 0: it would keep 8 digits of asin″(1e-8) and give asin″(1e-100) = 0.
    for x in [1e-100, 1e-8, -1e-6, 1e-3, 0.3, -0.7, 0.9, 1 - 1e-9] {
      let s = (1 - Float80(x)) * (1 + Float80(x))
      let exact = Float80(x) / (s * s.squareRoot())
      let asin2 = derivative(at: x) { y in derivative(at: y) { asin($0) } }
      let acos2 = derivative(at: x) { y in derivative(at: y) { acos($0) } }
      #expect(relativeError(asin2, exact) < 1e-14, "asin″ at \(x): \(asin2)")
      #expect(relativeError(acos2, -exact) < 1e-14, "acos″ at \(x): \(acos2)")
    }
    for x: Float in [1e-3, 1e-20] {
      let exact = Float80(x) / (1 - Float80(x) * Float80(x)).squareRoot() / (1 - Float80(x) * Float80(x))
      let f = derivative(at: x) { y in derivative(at: y) { asin($0) } }
      #expect(abs(Float80(f) / exact - 1) < 1e-6, "asin″ in Float at \(x): \(f)")
    }
  }

  @Test func tanhSecondDerivativeWhereCoshSquaredOverflows() {
    // cosh²x overflows from x = 355 (44.4 in Float): 1/cosh²x taken directly would be 0 there and
    // its derivative 0·∞ = NaN, so a Hessian through a saturated tanh would be NaN.
    check([100.0, 356, 360, -400, 700, 720, 1e4], relative: 1e-14, name: "Double")
    check([Float(40), 45, -45, 60, 100], relative: 1e-6, name: "Float")
    /// tanh′ and tanh″ at `xs` against Float80, within `relative` plus a few
    /// subnormals (the exact values underflow gradually).
    func check<T: DifferentiableScalar & BinaryFloatingPoint>(_ xs: [T], relative: Float80, name: String) {
      for x in xs {
        let c = Float80.cosh(Float80(x))
        let exact1 = Float80(T(1 / (c * c))), exact2 = Float80(T(-2 * Float80.tanh(Float80(x)) / (c * c)))
        let d1 = Float80(derivative(at: x) { tanh($0) })
        let d2 = Float80(derivative(at: x) { y in derivative(at: y) { tanh($0) } })
        let tiny = Float80(T.leastNonzeroMagnitude)
        #expect(abs(d1 - exact1) <= relative * abs(exact1) + 4 * tiny, "\(name) tanh′ at \(x): \(d1)")
        #expect(abs(d2 - exact2) <= relative * abs(exact2) + 8 * tiny, "\(name) tanh″ at \(x): \(d2)")
      }
    }
  }

  @Test func float80RulesWithConstantsKeepFloat80Digits() {
    // ln 2, ln 10 and 2/√π to 64 bits: a Double constant would give 53 bits in a Float80 rule.
    let ln2 = Float80.log(2), ln10 = Float80.log(10), twoOverSqrtPi = 2 / Float80.pi.squareRoot()
    for x: Float80 in [0.3, 1, 3, 7.5] {
      func expectClose(_ got: Float80, _ exact: Float80, _ what: String) {
        #expect(abs(got - exact) <= 4 * exact.ulp, "\(what) in Float80 at \(x): off by \(abs(got - exact) / exact.ulp) ulps")
      }
      expectClose(derivative(at: x) { log2($0) }, 1 / (x * ln2), "log2′")
      expectClose(derivative(at: x) { log10($0) }, 1 / (x * ln10), "log10′")
      expectClose(derivative(at: x) { exp2($0) }, Float80.exp2(x) * ln2, "exp2′")
      expectClose(derivative(at: x) { erf($0) }, twoOverSqrtPi * Float80.exp(-x * x), "erf′")
      expectClose(-derivative(at: x) { erfc($0) }, twoOverSqrtPi * Float80.exp(-x * x), "−erfc′")
    }
    // Double keeps the correctly rounded Double constant.
    #expect(derivative(at: 1.0) { log2($0) } == 1 / 0.693147180559945309417232121458176568)
  }

  @Test func atan2AtLargeAndSmallScales() {
    for scale in [1e-170, 1e170, 1.0] {
      let (y, x) = (scale, 2 * scale)
      let r = 1 / (Float80(x) * Float80(x) + Float80(y) * Float80(y))
      let dy = directionalDerivative(at: [y, x], along: [1, 0]) { v in atan2(y: v[0], x: v[1]) }
      let dx = directionalDerivative(at: [y, x], along: [0, 1]) { v in atan2(y: v[0], x: v[1]) }
      #expect(relativeError(dy, Float80(x) * r) < 1e-15, "∂/∂y at scale \(scale)")
      #expect(relativeError(dx, -Float80(y) * r) < 1e-15, "∂/∂x at scale \(scale)")
    }
    let f = directionalDerivative(at: [Float(1e-20), Float(1e-20)], along: [1, 0]) { v in atan2(y: v[0], x: v[1]) }
    #expect(abs(f / 5e19 - 1) < 1e-6)
  }
}
