/// A function of two arguments that you add to the operator set, given once
/// with its partial derivatives: it then works in every mode, like `pow` or
/// `atan2` (see `UnaryRule`).
///
/// The eccentric anomaly E(M, e) of Kepler's equation E − e·sin E = M, found
/// by Newton's method at `Double` and differentiated implicitly (no mode ever
/// iterates the solver):
///
/// ```swift
/// struct EccentricAnomaly: BinaryRule {
///   var name: String { "eccentricAnomaly" }
///   func value(_ m: Double, _ e: Double) -> Double {
///     var x = m
///     for _ in 0..<50 {
///       let step = (x - e * sin(x) - m) / (1 - e * cos(x))
///       x -= step
///       if abs(step) < 1e-15 { break }
///     }
///     return x
///   }
///   // ∂E/∂M = 1/(1 − e·cos E), ∂E/∂e = sin E/(1 − e·cos E)
///   func partials<T: DifferentiableScalar>(at m: T, _ e: T, value: T) -> (T, T) {
///     let d = 1 - e * T.cos(value)
///     return (1 / d, T.sin(value) / d)
///   }
/// }
/// let dEdM = directionalDerivative(at: [1.0, 0.3], along: [1, 0]) { x in EccentricAnomaly()(x[0], x[1]) }
/// ```
public protocol BinaryRule: Sendable {
  /// The function's name, for messages and for `Tensor`'s `gradFunction`.
  var name: String { get }

  /// f(x, y) at `Double`s.
  func value(_ x: Double, _ y: Double) -> Double

  /// f(x, y) at `Float`s: by default through `Double`.
  func value(_ x: Float, _ y: Float) -> Float

  #if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
  /// f(x, y) at `Float80`s: by default through `Double`.
  func value(_ x: Float80, _ y: Float80) -> Float80
  #endif

  /// (∂f/∂x, ∂f/∂y), given also the value f(x, y); generic as
  /// `UnaryRule.derivative(at:value:)` is.
  func partials<T: DifferentiableScalar>(at x: T, _ y: T, value: T) -> (T, T)
}

extension BinaryRule {
  @inlinable
  public func value(_ x: Float, _ y: Float) -> Float { Float(value(Double(x), Double(y))) }

  #if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
  @inlinable
  public func value(_ x: Float80, _ y: Float80) -> Float80 { Float80(value(Double(x), Double(y))) }
  #endif

  /// f(x, y) in any mode.
  ///
  /// ```swift
  /// let e = EccentricAnomaly()(Dual(1.0, tangent: 1), Dual(0.3))   // E, ∂E/∂M
  /// ```
  @inlinable @inline(__always)
  public func callAsFunction<T: Differentiable>(_ x: T, _ y: T) -> T { T.applying(self, to: x, y) }

  /// The rule at (x, y): f(x, y) and its partials, for a conformer of
  /// `Differentiable` that applies rules.
  @inlinable @inline(__always)
  public func local<T: DifferentiableScalar>(at x: T, _ y: T) -> LocalPartials<T> {
    let v = T.applying(self, to: x, y)
    let (dx, dy) = partials(at: x, y, value: v)
    return LocalPartials(value: v, x: dx, y: dy, isSingular: true)
  }
}
