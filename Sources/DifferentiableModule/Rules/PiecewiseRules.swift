// Functions with a kink: absolute value, maximum and minimum.

extension DerivativeRules {
  /// |x|′ = sign(x), and 0 at 0 (and at NaN).
  @inlinable @inline(__always)
  public static func abs<T: DifferentiableScalar>(_ x: T) -> LocalDerivative<T> {
    LocalDerivative(value: T.abs(x), derivative: x > 0 ? 1 : (x < 0 ? -1 : 0))
  }

  /// max(x, y): the larger argument, whose derivative the result takes; at a
  /// tie, `.tie(T.maximum(x, y))` with half of each derivative (the tied value
  /// is `T.maximum`, so nested duals split their own parts too). A NaN
  /// argument loses, as in `Double.maximum`, and so does its derivative.
  @inlinable @inline(__always)
  public static func maximum<T: DifferentiableScalar>(_ x: T, _ y: T) -> Selection<T> {
    if x > y { return .x }
    if y > x { return .y }
    if x != x { return .y }
    if y != y { return .x }
    return .tie(T.maximum(x, y))
  }

  /// min(x, y): the smaller argument; at a tie, half of each; a NaN argument
  /// loses (see `maximum`).
  @inlinable @inline(__always)
  public static func minimum<T: DifferentiableScalar>(_ x: T, _ y: T) -> Selection<T> {
    if x < y { return .x }
    if y < x { return .y }
    if x != x { return .y }
    if y != y { return .x }
    return .tie(T.minimum(x, y))
  }
}
