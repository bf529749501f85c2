import DifferentiableModule

/// A forward-mode number with several partial derivatives at once: a value and
/// a SIMD vector of partials, `value + Σₖ partials[k]·εₖ`.
///
/// Seeding input j with the unit vector eⱼ (`MultiDual.variable(x, index: j)`)
/// carries N columns of a Jacobian through one evaluation; the partials update
/// with SIMD arithmetic. `JacobianModule` uses it for chunked forward mode.
///
/// ```swift
/// typealias D = MultiDual<SIMD2<Double>>
/// let x = D.variable(3, index: 0), y = D.variable(2, index: 1)
/// let f = x * y + sin(x)     // f.partials = [2 + cos 3, 3]
/// ```
///
/// See also: `Dual` (one tangent), `gradient(at:of:)`.
@frozen
public struct MultiDual<Partials: SIMD>
where Partials.Scalar: DifferentiableScalar & BinaryFloatingPoint {
  /// The primal value.
  public var value: Partials.Scalar
  /// The partial derivatives, one per seeded direction.
  public var partials: Partials

  /// A number with the given value and partials (zero by default: a constant).
  @inlinable @inline(__always)
  public init(_ value: Partials.Scalar, partials: Partials = .zero) {
    self.value = value
    self.partials = partials
  }

  /// The independent variable number `index`: partial `index` is 1, the others 0.
  @inlinable
  public static func variable(_ value: Partials.Scalar, index: Int) -> MultiDual {
    guard index >= 0 && index < Partials.scalarCount else {
      fatalError("MultiDual.variable: index \(index) is outside 0..<\(Partials.scalarCount)")
    }
    var p = Partials.zero
    p[index] = 1
    return MultiDual(value, partials: p)
  }
}

extension MultiDual: Sendable where Partials: Sendable, Partials.Scalar: Sendable {}
