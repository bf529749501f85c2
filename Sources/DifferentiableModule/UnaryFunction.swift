/// A `UnaryRule` from two closures at `Double`: the function and its
/// derivative. It works in every first-order mode; a second derivative
/// (nested duals: `hessian`, `hvp`, `Tensor` over `Dual`) stops with a message
/// naming the function, since the derivative cannot be differentiated in
/// turn. Conform to `UnaryRule` with a generic derivative for that.
///
/// ```swift
/// import Glibc
/// let besselJ0 = UnaryFunction("j0", value: { j0($0) }, derivative: { x, _ in -j1(x) })
/// let d = derivative(at: 2.0) { x in besselJ0(x) * 3 }   // −3·j1(2)
/// ```
public struct UnaryFunction: UnaryRule {
  /// The function's name, for messages (`besselJ0.name == "j0"`).
  public let name: String
  @usableFromInline let f: @Sendable (Double) -> Double
  @usableFromInline let df: @Sendable (Double, Double) -> Double

  /// The function `value` with derivative `derivative(x, f(x))`.
  @inlinable
  public init(
    _ name: String, value: @escaping @Sendable (Double) -> Double,
    derivative: @escaping @Sendable (_ x: Double, _ value: Double) -> Double
  ) {
    self.name = name
    self.f = value
    self.df = derivative
  }

  @inlinable
  public func value(_ x: Double) -> Double { f(x) }

  @inlinable
  public func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T {
    guard let x = Double(exactPrimal: x), let y = Double(exactPrimal: value) else {
      derivativeOfDerivative(name, "UnaryFunction", T.self)
    }
    return T(df(x, y))
  }
}

extension Double {
  /// `x` as a `Double` if `T` is a plain floating-point type (`Double`,
  /// `Float`, `Float80`), nil for a dual number.
  @inlinable @inline(__always)
  init?<T: DifferentiableScalar>(exactPrimal x: T) {
    if let d = x as? Double { self = d; return }
    if let f = x as? Float { self = Double(f); return }
    #if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
    if let e = x as? Float80 { self = Double(e); return }
    #endif
    return nil
  }
}

@usableFromInline
func derivativeOfDerivative<T>(_ name: String, _ kind: String, _ type: T.Type) -> Never {
  fatalError("""
    \(name): the derivative of this \(kind) is given at Double only, so it cannot be \
    differentiated again (it was asked for at \(T.self): a second derivative, a Hessian, \
    hvp or Tensor over dual scalars); conform to \(kind == "UnaryFunction" ? "UnaryRule" : "BinaryRule") \
    with a generic derivative to allow that
    """)
}
