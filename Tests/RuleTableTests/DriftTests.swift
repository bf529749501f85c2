import Testing
import Leibniz

// Cases where two copies of a rule can disagree, checked in every mode that
// can express them: each mode reads the one table, and these fail for a
// mode that keeps a copy of its own.

/// asin or acos of x alone, as a probe.
struct InverseSine: Probe {
  let cosine: Bool
  var description: String { cosine ? "acos" : "asin" }
  func callAsFunction<T: Differentiable>(_ x: T, _ y: T, _ extrema: Extrema<T>) -> T {
    cosine ? Leibniz.acos(x) : Leibniz.asin(x)
  }
}

struct InverseSineFunction: ScalarFunction {
  let cosine: Bool
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> T { cosine ? acos(x[0]) : asin(x[0]) }
}

/// The second derivative of `probe` in x at x, through each mode that nests:
/// forward over forward, forward over reverse (`hessian`), and `Tensor` over
/// dual scalars on its three paths.
func secondDerivatives<P: Probe & ScalarFunctionConvertible>(of probe: P, at x: Double) -> [(String, Double)] {
  var results = [(String, Double)]()
  results.append(("Dual<Dual>", derivative(at: x) { y in derivative(at: y) { probe($0, 0, .scalar) } }))
  results.append(("hessian", hessian(at: [x], of: probe.scalarFunction)[0, 0]))
  for count in [0, 3, 40] {
    let (d, _) = tensorPartials(of: probe, at: Dual(x, tangent: 1), Dual(0), count: count)
    results.append(("Tensor<Dual> with \(count) elements", d.tangent))
  }
  return results
}

protocol ScalarFunctionConvertible {
  associatedtype Function: ScalarFunction
  var scalarFunction: Function { get }
}

extension InverseSine: ScalarFunctionConvertible {
  var scalarFunction: InverseSineFunction { InverseSineFunction(cosine: cosine) }
}

@Suite("Rules that every mode reads from the one table agree in every mode")
struct DriftTests {
  /// asin″(x) = x/(1 − x²)^(3/2): 1 − x² as (1 − x)(1 + x) near 0 has a
  /// derivative that cancels (8 digits at 1e-8, 0 at 1e-100).
  @Test("asin″ and acos″ near 0 keep their digits in every nesting mode", arguments: [false, true])
  func inverseSineSecondDerivatives(_ cosine: Bool) {
    for x in [1e-100, 1e-8, -1e-6, 0.3, -0.7, 1 - 1e-9] {
      let s = (1 - Float80(x)) * (1 + Float80(x))
      let exact = Double((cosine ? -1 : 1) * Float80(x) / (s * s.squareRoot()))
      for (mode, d2) in secondDerivatives(of: InverseSine(cosine: cosine), at: x) {
        #expect(
          abs(d2 - exact) <= 1e-14 * abs(exact), "\(cosine ? "acos" : "asin")″(\(x)) by \(mode) = \(d2), exact \(exact)")
      }
    }
  }

  /// The rules whose constant (ln 2, ln 10, 2/√π) a Float80 derivative needs
  /// to 64 bits; with a `Double` constant they would be off by up to 1,600 ulps.
  struct ConstantRule: Probe {
    let description: String
    func callAsFunction<T: Differentiable>(_ x: T, _ y: T, _ extrema: Extrema<T>) -> T {
      switch description {
      case "log2": return Leibniz.log2(x)
      case "log10": return Leibniz.log10(x)
      case "exp2": return Leibniz.exp2(x)
      case "erf": return Leibniz.erf(x)
      default: return Leibniz.erfc(x)
      }
    }
    /// f′(x) from Float80 functions and constants computed in Float80.
    func exact(_ x: Float80) -> Float80 {
      let ln2 = Float80.log(2), ln10 = Float80.log(10), twoOverSqrtPi = 2 / Float80.pi.squareRoot()
      switch description {
      case "log2": return 1 / (x * ln2)
      case "log10": return 1 / (x * ln10)
      case "exp2": return Float80.exp2(x) * ln2
      case "erf": return twoOverSqrtPi * Float80.exp(-x * x)
      default: return -twoOverSqrtPi * Float80.exp(-x * x)
      }
    }
  }

  @Test(
    "Float80 derivatives with a constant are exact to a few ulps in every Float80 mode",
    arguments: ["log2", "log10", "exp2", "erf", "erfc"])
  func float80Constants(_ name: String) {
    let rule = ConstantRule(description: name)
    for x: Float80 in [0.3, 1, 3, 7.5] {
      let exact = rule.exact(x)
      var results = [("Dual<Float80>", derivative(at: x) { rule($0, 0, .scalar) })]
      for count in [0, 3, 40] {
        results.append(("Tensor<Float80> with \(count) elements", tensorPartials(of: rule, at: x, 0, count: count).0))
        let (d, _) = tensorPartials(of: rule, at: Dual(x), Dual(0), count: count)
        results.append(("Tensor<Dual<Float80>> with \(count) elements", d.value))
      }
      for (mode, d) in results {
        #expect(abs(d - exact) <= 4 * exact.ulp, "\(name)′(\(x)) by \(mode): off by \(abs(d - exact) / exact.ulp) ulps")
      }
    }
  }
}
