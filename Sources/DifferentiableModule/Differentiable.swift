/// The operator set that generic numeric code is written against once and then
/// evaluated with plain numbers, forward-mode dual numbers or reverse-mode tensors.
///
/// ```swift
/// import Leibniz
/// func f<T: Differentiable>(_ x: T) -> T { sin(x) * exp(x) / (1 + x * x) }
/// f(0.5)                                   // Double
/// derivative(at: 0.5, of: f)               // forward mode, Dual<Double>
/// ```
///
/// A conformer provides the four arithmetic operators, negation, integer and
/// float literals, a lift `init(_:)` from `Double` (for runtime constants such
/// as model parameters) and the elementary functions as static requirements.
/// User code calls the elementary functions as free functions (`exp(x)`,
/// `pow(x, y)`, …), which dispatch to these requirements.
///
/// If you also import Swift's `_Differentiation`, whose protocol has the same
/// name, write `Leibniz.Differentiable` in constraints to disambiguate.
///
/// See also: `DifferentiableScalar` (adds ordering), `Dual`, `Tensor`.
public protocol Differentiable: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
  /// Lifts a runtime constant (a constant has no derivative).
  init(_ value: Double)

  // MARK: - Arithmetic
  static func + (lhs: Self, rhs: Self) -> Self
  static func - (lhs: Self, rhs: Self) -> Self
  static func * (lhs: Self, rhs: Self) -> Self
  static func / (lhs: Self, rhs: Self) -> Self
  static prefix func - (operand: Self) -> Self

  // MARK: - Elementary functions
  static func exp(_ x: Self) -> Self
  static func exp2(_ x: Self) -> Self
  static func expm1(_ x: Self) -> Self
  static func log(_ x: Self) -> Self
  static func log2(_ x: Self) -> Self
  static func log10(_ x: Self) -> Self
  static func log1p(_ x: Self) -> Self
  static func sqrt(_ x: Self) -> Self
  static func cbrt(_ x: Self) -> Self
  static func sin(_ x: Self) -> Self
  static func cos(_ x: Self) -> Self
  static func tan(_ x: Self) -> Self
  static func asin(_ x: Self) -> Self
  static func acos(_ x: Self) -> Self
  static func atan(_ x: Self) -> Self
  static func sinh(_ x: Self) -> Self
  static func cosh(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  static func erf(_ x: Self) -> Self
  static func erfc(_ x: Self) -> Self
  static func abs(_ x: Self) -> Self
  /// `x` raised to the power `y`.
  static func pow(_ x: Self, _ y: Self) -> Self
  /// `x` raised to the integer power `n`.
  static func pow(_ x: Self, _ n: Int) -> Self
  /// The angle of the point `(x, y)`, in `(-π, π]`.
  static func atan2(y: Self, x: Self) -> Self
  /// `sqrt(x² + y²)` without undue overflow.
  static func hypot(_ x: Self, _ y: Self) -> Self

  // MARK: - Functions added by users

  /// `rule` at `x`: a function of one argument given with its derivative
  /// (`UnaryRule`). Call it as `rule(x)`.
  static func applying<R: UnaryRule>(_ rule: R, to x: Self) -> Self

  /// `rule` at `(x, y)`: a function of two arguments given with its partials
  /// (`BinaryRule`). Call it as `rule(x, y)`.
  static func applying<R: BinaryRule>(_ rule: R, to x: Self, _ y: Self) -> Self
}

// MARK: - Compound assignment

extension Differentiable {
  @inlinable @inline(__always)
  public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
  @inlinable @inline(__always)
  public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }
  @inlinable @inline(__always)
  public static func *= (lhs: inout Self, rhs: Self) { lhs = lhs * rhs }
  @inlinable @inline(__always)
  public static func /= (lhs: inout Self, rhs: Self) { lhs = lhs / rhs }
}
