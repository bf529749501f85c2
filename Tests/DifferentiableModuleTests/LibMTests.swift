import DifferentiableModule
import Testing
import _LeibnizTestSupport

/// The sin and cos rules take both values from one C library call
/// (`sincos`); they must be the C library's separate `sin` and `cos`
/// (`Double.sin`, `Float.cos`, …), bit for bit.
@Suite("sin and cos from one call agree with the C library's sin and cos")
struct LibMTests {
  static func inputs<T: BinaryFloatingPoint>(_: T.Type) -> [T] where T.RawSignificand: FixedWidthInteger {
    var g = SeededRandom(seed: 5)
    var xs: [T] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .leastNormalMagnitude,
                   .greatestFiniteMagnitude, T.pi, T.pi / 2, 1e-8, 710]
    for _ in 0..<3000 { xs.append(T(Double.random(in: -10...10, using: &g))) }
    for _ in 0..<1000 { xs.append(T(Double.exp(Double.random(in: -80...80, using: &g)))) }
    return xs + xs.map { -$0 }
  }

  static func same<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Bool { a == b || (a.isNaN && b.isNaN) }

  @Test func double() {
    for x in Self.inputs(Double.self) {
      let s = DerivativeRules.sin(x), c = DerivativeRules.cos(x)
      #expect(Self.same(s.value, Double.sin(x)) && Self.same(s.derivative, Double.cos(x)), "sin at \(x)")
      #expect(Self.same(c.value, Double.cos(x)) && Self.same(c.derivative, -Double.sin(x)), "cos at \(x)")
    }
  }

  @Test func float() {
    for x in Self.inputs(Float.self) {
      let s = DerivativeRules.sin(x), c = DerivativeRules.cos(x)
      #expect(Self.same(s.value, Float.sin(x)) && Self.same(s.derivative, Float.cos(x)), "sin at \(x)")
      #expect(Self.same(c.value, Float.cos(x)) && Self.same(c.derivative, -Float.sin(x)), "cos at \(x)")
    }
  }
}
