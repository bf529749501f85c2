import Foundation
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
    case abs, sqrt, cbrt, log, log2, log10, asin, acos, pow, powConstantExponent, powConstantZeroBase, powConstantBase
    case maximum, minimum, quotient, sqrtOfOtherArgument
  }

  func callAsFunction<T: Differentiable>(_ x: T, _ y: T, _ extrema: Extrema<T>) -> T {
    switch f {
    case .abs: return Leibniz.abs(x)
    case .sqrt: return Leibniz.sqrt(x)
    case .cbrt: return Leibniz.cbrt(x)
    case .log: return Leibniz.log(x)
    case .log2: return Leibniz.log2(x)
    case .log10: return Leibniz.log10(x)
    case .asin: return Leibniz.asin(x)
    case .acos: return Leibniz.acos(x)
    case .pow: return Leibniz.pow(x, y)
    case .powConstantExponent: return Leibniz.pow(x, 2 as T)
    case .powConstantZeroBase: return Leibniz.pow(0 as T, y)
    case .powConstantBase: return Leibniz.pow(3 as T, y)
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
    EdgeCase(description: "log2 at 0", x: 0, y: 0, expected: (.infinity, 0), f: .log2),
    EdgeCase(description: "log10 at −0", x: -0.0, y: 0, expected: (-.infinity, 0), f: .log10),
    EdgeCase(description: "asin at 1", x: 1, y: 0, expected: (.infinity, 0), f: .asin),
    EdgeCase(description: "asin at −1", x: -1, y: 0, expected: (.infinity, 0), f: .asin),
    EdgeCase(description: "acos at 1", x: 1, y: 0, expected: (-.infinity, 0), f: .acos),
    EdgeCase(description: "acos at −1", x: -1, y: 0, expected: (-.infinity, 0), f: .acos),
    EdgeCase(description: "pow at y = 0 (and x = 0)", x: 0, y: 0, expected: (0, 0), f: .pow),
    EdgeCase(description: "pow at x = 0, y ≥ 0", x: 0, y: 2.5, expected: (0, 0), f: .pow),
    EdgeCase(description: "pow, constant exponent, x < 0", x: -2, y: 0, expected: (-4, 0), f: .powConstantExponent),
    EdgeCase(description: "pow, constant base 0, y < 1", x: 0, y: 0.5, expected: (0, 0), f: .powConstantZeroBase),
    EdgeCase(description: "pow, constant base 3", x: 0, y: -0.5, expected: (0, Leibniz.log(3.0) / 3.0.squareRoot()), f: .powConstantBase),
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

@Suite("The edge-convention table is written once")
struct EdgeConventionTableTests {
  /// The table's rows in a file: the lines starting with `prefix` + "| `".
  static func rows(ofFile path: String, prefix: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix + "| `") }
      .map { String($0.dropFirst(prefix.count)) }.filter { !$0.contains("| verb") }
  }

  @Test func readmeAndTheRuleDocumentationAgree() throws {
    let root = String(#filePath.prefix(upTo: #filePath.range(of: "/Tests/")!.lowerBound))
    let readme = try Self.rows(ofFile: root + "/README.md", prefix: "")
    let rules = try Self.rows(ofFile: root + "/Sources/DifferentiableModule/Rules/DerivativeRules.swift", prefix: "/// ")
    #expect(rules.count == 12)
    // README's table is the one whose rows are the documentation's.
    let start = readme.firstIndex(of: rules[0])
    #expect(start != nil, "README lacks the row \(rules[0])")
    if let start { #expect(Array(readme[start..<min(readme.count, start + rules.count)]) == rules) }
  }
}
