import Testing
import DifferentiableModule
import _LeibnizTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// One generic function, written once against the operator set.
func mix<T: Differentiable>(_ x: T) -> T {
  var s = sin(x) * exp(x) / (1 + x * x)
  s += log1p(x * x) * cos(x) - pow(x, 3)
  s += pow(x, T(0.5)) + atan2(y: x, x: 2)
  s += hypot(x, 1) + tanh(x) + erf(x) - erfc(x)
  s += cbrt(x) + exp2(x) + log2(x) + log10(x) + expm1(x)
  s += abs(-x) + sqrt(x) + tan(x) + asin(x / 4)
  s += acos(x / 4) + atan(x) + sinh(x) + cosh(x)
  return s
}

@Suite("Float and Double conform with the C library's values")
struct ConformanceTests {
  @Test func doubleMatchesCLibrary() {
    let x = 0.7
    var expected = Glibc.sin(x) * Glibc.exp(x) / (1 + x * x)
    expected += Glibc.log1p(x * x) * Glibc.cos(x) - Glibc.pow(x, 3)
    expected += Glibc.pow(x, 0.5) + Glibc.atan2(x, 2)
    expected += Glibc.hypot(x, 1) + Glibc.tanh(x) + Glibc.erf(x) - Glibc.erfc(x)
    expected += Glibc.cbrt(x) + Glibc.exp2(x) + Glibc.log2(x) + Glibc.log10(x) + Glibc.expm1(x)
    expected += Swift.abs(-x) + x.squareRoot() + Glibc.tan(x) + Glibc.asin(x / 4)
    expected += Glibc.acos(x / 4) + Glibc.atan(x) + Glibc.sinh(x) + Glibc.cosh(x)
    #expect(mix(x) == expected)
  }

  @Test func floatAgreesWithDouble() {
    #expect(isClose(Double(mix(Float(0.7))), mix(0.7), tolerance: Tolerance.floatRoundoff))
  }

  #if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
  @Test func float80AgreesWithDouble() {
    #expect(isClose(Double(mix(Float80(0.7))), mix(0.7), tolerance: Tolerance.roundoff))
  }
  #endif

  @Test func liftsAndLiterals() {
    func constants<T: Differentiable>(_: T.Type) -> T { T(2.5) + 1 + 0.25 }
    #expect(constants(Double.self) == 3.75)
    #expect(constants(Float.self) == 3.75)
  }

  @Test func compoundAssignment() {
    func accumulate<T: Differentiable>(_ x: T) -> T {
      var s = x
      s += x; s *= x; s -= 1; s /= 2
      return s
    }
    #expect(accumulate(3.0) == 8.5)
  }

  @Test func orderingMinMaxAbs() {
    func clamp<T: DifferentiableScalar>(_ x: T) -> T { min(max(x, 0), 1) }
    #expect(clamp(-2.0) == 0 && clamp(0.5) == 0.5 && clamp(Float(3)) == 1)
    #expect(abs(-2.0) == 2 && abs(Float(-2)) == 2)
    #expect((-0.0).isIdenticallyZero && !(1e-300).isIdenticallyZero)
    #expect(Float(1.5).primalDouble == 1.5)
  }

  @Test func integerPower() {
    #expect(pow(2.0, 10) == 1024)
    #expect(pow(2.0, -2) == 0.25)
    #expect(pow(Float(3), 0) == 1)
  }
}
