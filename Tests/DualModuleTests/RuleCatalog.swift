import DifferentiableModule
import DualModule

/// The unary functions of the operator set, each with its derivative derived by
/// hand (an independent reference: written from calculus, not from the rules)
/// and points inside its domain.
enum UnaryRule: String, CaseIterable, Sendable, CustomStringConvertible {
  case exp, exp2, expm1, log, log2, log10, log1p, sqrt, cbrt
  case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, erf, erfc, abs
  case square, cube, reciprocal, negate, powHalf, powInt

  var description: String { rawValue }

  func callAsFunction<T: Differentiable>(_ x: T) -> T {
    switch self {
    case .exp: return DifferentiableModule.exp(x)
    case .exp2: return DifferentiableModule.exp2(x)
    case .expm1: return DifferentiableModule.expm1(x)
    case .log: return DifferentiableModule.log(x)
    case .log2: return DifferentiableModule.log2(x)
    case .log10: return DifferentiableModule.log10(x)
    case .log1p: return DifferentiableModule.log1p(x)
    case .sqrt: return DifferentiableModule.sqrt(x)
    case .cbrt: return DifferentiableModule.cbrt(x)
    case .sin: return DifferentiableModule.sin(x)
    case .cos: return DifferentiableModule.cos(x)
    case .tan: return DifferentiableModule.tan(x)
    case .asin: return DifferentiableModule.asin(x)
    case .acos: return DifferentiableModule.acos(x)
    case .atan: return DifferentiableModule.atan(x)
    case .sinh: return DifferentiableModule.sinh(x)
    case .cosh: return DifferentiableModule.cosh(x)
    case .tanh: return DifferentiableModule.tanh(x)
    case .erf: return DifferentiableModule.erf(x)
    case .erfc: return DifferentiableModule.erfc(x)
    case .abs: return DifferentiableModule.abs(x)
    case .square: return x * x
    case .cube: return x * x * x
    case .reciprocal: return 1 / x
    case .negate: return -x
    case .powHalf: return DifferentiableModule.pow(x, 0.5 as T)
    case .powInt: return DifferentiableModule.pow(x, 3)
    }
  }

  /// f′(x), by hand.
  func derivative(_ x: Double) -> Double {
    let pi = Double.pi
    switch self {
    case .exp: return DifferentiableModule.exp(x)
    case .exp2: return DifferentiableModule.exp2(x) * DifferentiableModule.log(2.0)
    case .expm1: return DifferentiableModule.exp(x)
    case .log: return 1 / x
    case .log2: return 1 / (x * DifferentiableModule.log(2.0))
    case .log10: return 1 / (x * DifferentiableModule.log(10.0))
    case .log1p: return 1 / (1 + x)
    case .sqrt: return 0.5 / x.squareRoot()
    case .cbrt: return 1 / (3 * DifferentiableModule.pow(x * x, 1.0 / 3))
    case .sin: return DifferentiableModule.cos(x)
    case .cos: return -DifferentiableModule.sin(x)
    case .tan: return 1 / (DifferentiableModule.cos(x) * DifferentiableModule.cos(x))
    case .asin: return 1 / (1 - x * x).squareRoot()
    case .acos: return -1 / (1 - x * x).squareRoot()
    case .atan: return 1 / (1 + x * x)
    case .sinh: return DifferentiableModule.cosh(x)
    case .cosh: return DifferentiableModule.sinh(x)
    case .tanh: return 1 / (DifferentiableModule.cosh(x) * DifferentiableModule.cosh(x))
    case .erf: return 2 / pi.squareRoot() * DifferentiableModule.exp(-x * x)
    case .erfc: return -2 / pi.squareRoot() * DifferentiableModule.exp(-x * x)
    case .abs: return x > 0 ? 1 : -1
    case .square: return 2 * x
    case .cube: return 3 * x * x
    case .reciprocal: return -1 / (x * x)
    case .negate: return -1
    case .powHalf: return 0.5 / x.squareRoot()
    case .powInt: return 3 * x * x
    }
  }

  /// Points inside the domain, away from kinks and singularities.
  var points: [Double] {
    switch self {
    case .log, .log2, .log10, .sqrt, .powHalf: return [0.1, 0.7, 1.0, 2.5, 40]
    case .log1p: return [-0.5, 0.0, 0.3, 2.5]
    case .asin, .acos: return [-0.8, -0.3, 0.0, 0.4, 0.9]
    case .tan: return [-1.2, -0.3, 0.0, 0.5, 1.3]
    case .cbrt, .reciprocal: return [-3, -0.4, 0.25, 1.0, 7]
    case .abs: return [-2, -0.5, 0.5, 3]
    default: return [-2, -0.5, 0.0, 0.5, 1.0, 3]
    }
  }
}

/// Binary functions, with partial derivatives by hand.
enum BinaryRule: String, CaseIterable, Sendable, CustomStringConvertible {
  case add, subtract, multiply, divide, pow, atan2, hypot, max, min

  var description: String { rawValue }

  func callAsFunction<T: DifferentiableScalar>(_ x: T, _ y: T) -> T {
    switch self {
    case .add: return x + y
    case .subtract: return x - y
    case .multiply: return x * y
    case .divide: return x / y
    case .pow: return DifferentiableModule.pow(x, y)
    case .atan2: return DifferentiableModule.atan2(y: x, x: y)
    case .hypot: return DifferentiableModule.hypot(x, y)
    case .max: return DifferentiableModule.max(x, y)
    case .min: return DifferentiableModule.min(x, y)
    }
  }

  /// (∂f/∂x, ∂f/∂y), by hand.
  func partials(_ x: Double, _ y: Double) -> (Double, Double) {
    switch self {
    case .add: return (1, 1)
    case .subtract: return (1, -1)
    case .multiply: return (y, x)
    case .divide: return (1 / y, -x / (y * y))
    case .pow: return (y * DifferentiableModule.pow(x, y - 1), DifferentiableModule.pow(x, y) * DifferentiableModule.log(x))
    case .atan2: return (y / (x * x + y * y), -x / (x * x + y * y))
    case .hypot:
      let h = (x * x + y * y).squareRoot()
      return (x / h, y / h)
    case .max: return x > y ? (1, 0) : (0, 1)
    case .min: return x < y ? (1, 0) : (0, 1)
    }
  }

  /// Points inside the domain, away from ties and singularities.
  var points: [(Double, Double)] {
    switch self {
    case .pow: return [(0.5, 2.5), (1.5, -0.7), (3, 0.5), (2, 3)]
    default: return [(0.5, 2.5), (1.5, -0.7), (-3, 0.5), (2, 3), (-1.2, -0.4)]
    }
  }
}
