/// How closely two computations of a Jacobian entry must agree: a and b agree when
///
/// ```
/// |a − b| ≤ absolute · scale + relative · max(|a|, |b|)
/// ```
///
/// where `scale` is the largest entry magnitude of the two Jacobians compared
/// (at least 1), so that entries near zero are judged on the problem's scale.
///
/// ```swift
/// let loose = AgreementTolerance(absolute: 1e-6, relative: 1e-5)
/// ```
@frozen
public struct AgreementTolerance: Sendable, Hashable {
  /// The allowed difference, as a fraction of the Jacobian's largest entry (≥ 1).
  public var absolute: Double
  /// The allowed difference, as a fraction of the larger of the two entries.
  public var relative: Double

  /// A tolerance from its two parts.
  ///
  /// ```swift
  /// AgreementTolerance(absolute: 1e-12, relative: 1e-10)
  /// ```
  @inlinable
  public init(absolute: Double, relative: Double) {
    self.absolute = absolute
    self.relative = relative
  }

  /// Whether `a` and `b` agree, given the comparison's `scale`.
  ///
  /// ```swift
  /// AgreementTolerance(absolute: 0, relative: 1e-9).accepts(1, 1 + 1e-12, scale: 1)  // true
  /// ```
  @inlinable
  public func accepts(_ a: Double, _ b: Double, scale: Double) -> Bool {
    if a.isNaN || b.isNaN { return false }
    if a.isInfinite || b.isInfinite { return a == b }
    return (a - b).magnitude <= absolute * scale + relative * Swift.max(a.magnitude, b.magnitude)
  }
}

/// The tolerances of `checkDerivatives`: one for two exact computations (forward
/// against reverse, or a claimed derivative against forward mode), one for an
/// exact computation against finite differences.
///
/// ```swift
/// var t = DerivativeCheckTolerances.double
/// t.againstFiniteDifferences = AgreementTolerance(absolute: 1e-5, relative: 1e-4)
/// let report = checkDerivatives(at: x, tolerances: t, of: f)
/// ```
///
/// Defaults: `.double` (modes 1e-12 absolute, 1e-10 relative; finite differences
/// 1e-7 absolute, 1e-6 relative) and `.float` (modes 1e-5, 1e-4; finite
/// differences 1e-3, 1e-2, as the modes then run in Float arithmetic).
@frozen
public struct DerivativeCheckTolerances: Sendable, Hashable {
  /// Between two exact computations (rounding differences only).
  public var betweenModes: AgreementTolerance
  /// Between an exact computation and finite differences.
  public var againstFiniteDifferences: AgreementTolerance

  /// Tolerances from their two parts.
  ///
  /// ```swift
  /// DerivativeCheckTolerances(betweenModes: .init(absolute: 1e-12, relative: 1e-10),
  ///                           againstFiniteDifferences: .init(absolute: 1e-6, relative: 1e-5))
  /// ```
  @inlinable
  public init(betweenModes: AgreementTolerance, againstFiniteDifferences: AgreementTolerance) {
    self.betweenModes = betweenModes
    self.againstFiniteDifferences = againstFiniteDifferences
  }

  /// The defaults for computations in `Double`.
  ///
  /// ```swift
  /// checkDerivatives(at: x, tolerances: .double, of: f)
  /// ```
  public static let double = DerivativeCheckTolerances(
    betweenModes: AgreementTolerance(absolute: 1e-12, relative: 1e-10),
    againstFiniteDifferences: AgreementTolerance(absolute: 1e-7, relative: 1e-6))

  /// The defaults for computations in `Float`.
  ///
  /// ```swift
  /// checkDerivatives(at: [Float(1), 2], tolerances: .float, of: f)
  /// ```
  public static let float = DerivativeCheckTolerances(
    betweenModes: AgreementTolerance(absolute: 1e-5, relative: 1e-4),
    againstFiniteDifferences: AgreementTolerance(absolute: 1e-3, relative: 1e-2))

  /// The defaults for a point of type `S`: `.float` for `Float`, else `.double`.
  ///
  /// ```swift
  /// DerivativeCheckTolerances(for: Float.self) == .float   // true
  /// ```
  @inlinable
  public init<S: BinaryFloatingPoint>(for type: S.Type) {
    self = S.significandBitCount < 40 ? .float : .double
  }
}
