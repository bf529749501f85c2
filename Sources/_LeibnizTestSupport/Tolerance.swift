/// Named tolerances for numeric checks, relative to the magnitude of the
/// reference (with a floor of 1, so values near zero are compared absolutely).
public enum Tolerance {
  /// Two computations of the same exact formula (different rounding order).
  public static let roundoff = 1e-12
  /// Float computations of the same exact formula.
  public static let floatRoundoff = 1e-5
  /// Against a Richardson-extrapolated central difference in Double.
  public static let finiteDifference = 1e-7
  /// Against a Richardson-extrapolated central difference in Float.
  public static let floatFiniteDifference = 2e-2
}

/// Whether `a` and `b` agree within `tolerance`, relative to max(1, |b|).
/// Infinities agree when equal; NaN never agrees.
@inlinable
public func isClose(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
  if a.isInfinite || b.isInfinite { return a == b }
  return (a - b).magnitude <= tolerance * Swift.max(1, b.magnitude)
}
