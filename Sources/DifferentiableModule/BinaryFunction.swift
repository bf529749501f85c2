/// A `BinaryRule` from two closures at `Double`: the function and its two
/// partial derivatives (see `UnaryFunction`).
///
/// ```swift
/// let logAdd = BinaryFunction(
///   "logAdd", value: { x, y in log(exp(x) + exp(y)) },
///   partials: { x, y, v in (exp(x - v), exp(y - v)) })
/// ```
public struct BinaryFunction: BinaryRule {
  /// The function's name, for messages (`logAdd.name == "logAdd"`).
  public let name: String
  @usableFromInline let f: @Sendable (Double, Double) -> Double
  @usableFromInline let df: @Sendable (Double, Double, Double) -> (Double, Double)

  /// The function `value` with partials `partials(x, y, f(x, y))`.
  @inlinable
  public init(
    _ name: String, value: @escaping @Sendable (Double, Double) -> Double,
    partials: @escaping @Sendable (_ x: Double, _ y: Double, _ value: Double) -> (Double, Double)
  ) {
    self.name = name
    self.f = value
    self.df = partials
  }

  @inlinable
  public func value(_ x: Double, _ y: Double) -> Double { f(x, y) }

  @inlinable
  public func partials<T: DifferentiableScalar>(at x: T, _ y: T, value: T) -> (T, T) {
    guard let x = Double(exactPrimal: x), let y = Double(exactPrimal: y), let v = Double(exactPrimal: value) else {
      derivativeOfDerivative(name, "BinaryFunction", T.self)
    }
    let (dx, dy) = df(x, y, v)
    return (T(dx), T(dy))
  }
}
