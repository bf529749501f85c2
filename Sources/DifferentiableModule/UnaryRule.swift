/// A function of one argument that you add to the operator set, given once
/// with its derivative: it then works in every mode (`Double` and `Float`,
/// `Dual`, `MultiDual`, `ReverseScalar` behind every Jacobian verb, and
/// `Tensor` element-wise with backward), like `sin` or `exp`.
///
/// `value` is needed at `Double` only; `derivative` is generic, so that
/// `Dual<Dual<Double>>` (second derivatives, Hessians) differentiates it in
/// turn: the derivative of a rule may call rules, including this one. For a
/// derivative known at `Double` only, `UnaryFunction` builds a rule from two
/// closures.
///
/// ```swift
/// import Glibc
/// struct BesselJ0: UnaryRule {
///   var name: String { "j0" }
///   func value(_ x: Double) -> Double { j0(x) }
///   func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T { -BesselJ1()(x) }
/// }
/// struct BesselJ1: UnaryRule {
///   var name: String { "j1" }
///   func value(_ x: Double) -> Double { j1(x) }
///   // J₁′ = J₀ − J₁/x (and 1/2 at 0)
///   func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T {
///     x == 0 ? 0.5 : BesselJ0()(x) - value / x
///   }
/// }
/// let d = derivative(at: 1.0) { x in BesselJ0()(x) }   // −j1(1)
/// ```
public protocol UnaryRule: Sendable {
  /// The function's name, for messages and for `Tensor`'s `gradFunction`.
  var name: String { get }

  /// f(x) at a `Double`.
  func value(_ x: Double) -> Double

  /// f(x) at a `Float`: by default `Float(value(Double(x)))`.
  func value(_ x: Float) -> Float

  #if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
  /// f(x) at a `Float80`: by default through `Double`, so a `Float80`
  /// evaluation of a rule that keeps the default has `Double`'s precision.
  func value(_ x: Float80) -> Float80
  #endif

  /// f′(x), given also the value f(x) (which a derivative often contains, as
  /// eˣ's does). Called with `T` the primal type of the mode: `Double` or
  /// `Float` for first derivatives, a dual number for higher ones.
  func derivative<T: DifferentiableScalar>(at x: T, value: T) -> T
}

extension UnaryRule {
  @inlinable
  public func value(_ x: Float) -> Float { Float(value(Double(x))) }

  #if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
  @inlinable
  public func value(_ x: Float80) -> Float80 { Float80(value(Double(x))) }
  #endif

  /// f(x) in any mode.
  ///
  /// ```swift
  /// let y = BesselJ0()(Dual(2.0, tangent: 1))   // j0(2), −j1(2)
  /// ```
  @inlinable @inline(__always)
  public func callAsFunction<T: Differentiable>(_ x: T) -> T { T.applying(self, to: x) }

  /// The rule at `x`: f(x) and f′(x), for a conformer of `Differentiable`
  /// that applies rules.
  @inlinable @inline(__always)
  public func local<T: DifferentiableScalar>(at x: T) -> LocalDerivative<T> {
    let y = T.applying(self, to: x)
    return LocalDerivative(value: y, derivative: derivative(at: x, value: y), isSingular: true)
  }
}
