import Testing
import Leibniz

/// One row of the edge-convention table in `DerivativeRules`' documentation:
/// a function at its edge point, with the partials every mode must return.
struct EdgeCase: Probe {
  let description: String
  let x: Double, y: Double
  let expected: (Double, Double)
  let f: Function

  enum Function: Sendable {
    case abs, sqrt, cbrt, log, asin, acos, pow, powConstantExponent, powConstantZeroBase
    case maximum, minimum, quotient, sqrtOfOtherArgument
  }

  func callAsFunction<T: Differentiable>(_ x: T, _ y: T, _ extrema: Extrema<T>) -> T {
    switch f {
    case .abs: return Leibniz.abs(x)
    case .sqrt: return Leibniz.sqrt(x)
    case .cbrt: return Leibniz.cbrt(x)
    case .log: return Leibniz.log(x)
    case .asin: return Leibniz.asin(x)
    case .acos: return Leibniz.acos(x)
    case .pow: return Leibniz.pow(x, y)
    case .powConstantExponent: return Leibniz.pow(x, 2 as T)
    case .powConstantZeroBase: return Leibniz.pow(0 as T, y)
    case .maximum: return extrema.maximum(x, y)
    case .minimum: return extrema.minimum(x, y)
    case .quotient: return x / y
    case .sqrtOfOtherArgument: return Leibniz.sqrt(y - 1) + x
    }
  }

  static let table: [EdgeCase] = [
    EdgeCase(description: "abs at 0", x: 0, y: 0, expected: (0, 0), f: .abs),
    EdgeCase(description: "sqrt at 0", x: 0, y: 0, expected: (.infinity, 0), f: .sqrt),
    EdgeCase(description: "cbrt at 0", x: 0, y: 0, expected: (.infinity, 0), f: .cbrt),
    EdgeCase(description: "log at 0", x: 0, y: 0, expected: (.infinity, 0), f: .log),
    EdgeCase(description: "log at −0", x: -0.0, y: 0, expected: (-.infinity, 0), f: .log),
    EdgeCase(description: "asin at 1", x: 1, y: 0, expected: (.infinity, 0), f: .asin),
    EdgeCase(description: "asin at −1", x: -1, y: 0, expected: (.infinity, 0), f: .asin),
    EdgeCase(description: "acos at 1", x: 1, y: 0, expected: (-.infinity, 0), f: .acos),
    EdgeCase(description: "pow at y = 0 (and x = 0)", x: 0, y: 0, expected: (0, 0), f: .pow),
    EdgeCase(description: "pow at x = 0, y ≥ 0", x: 0, y: 2.5, expected: (0, 0), f: .pow),
    EdgeCase(description: "pow, constant exponent, x < 0", x: -2, y: 0, expected: (-4, 0), f: .powConstantExponent),
    EdgeCase(description: "pow, constant base 0, y < 1", x: 0, y: 0.5, expected: (0, 0), f: .powConstantZeroBase),
    EdgeCase(description: "max at a tie", x: 1.5, y: 1.5, expected: (0.5, 0.5), f: .maximum),
    EdgeCase(description: "min at a tie", x: -2, y: -2, expected: (0.5, 0.5), f: .minimum),
    EdgeCase(description: "max with a NaN argument", x: 2, y: .nan, expected: (1, 0), f: .maximum),
    EdgeCase(description: "min with a NaN argument", x: .nan, y: 2, expected: (0, 1), f: .minimum),
    EdgeCase(description: "x / y at y = 0", x: 1, y: 0, expected: (.infinity, -.infinity), f: .quotient),
    EdgeCase(
      description: "a singular partial times a zero derivative part", x: 3, y: 1, expected: (1, .infinity),
      f: .sqrtOfOtherArgument),
  ]
}

@Suite("Edge conventions: every mode against the one table")
struct EdgeConventionTests {
  @Test("Each row of the table in each mode", arguments: EdgeCase.table, Mode.allCases)
  func row(_ edge: EdgeCase, _ mode: Mode) {
    let (dx, dy) = mode.partials(of: edge, at: edge.x, edge.y)
    #expect(agrees(dx, edge.expected.0), "\(edge) in \(mode): ∂/∂x = \(dx), the table says \(edge.expected.0)")
    #expect(agrees(dy, edge.expected.1), "\(edge) in \(mode): ∂/∂y = \(dy), the table says \(edge.expected.1)")
  }
}
