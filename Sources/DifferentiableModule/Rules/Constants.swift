/// Mathematical constants used by the derivative rules, correctly rounded.
///
/// Each also has its `…Low` part, the constant minus its `Double`: a rule
/// takes `T(c) + T(cLow)` (`Constants.value(_:_:)`), which is `c` again for
/// `Double` and `Float` but carries the digits a `Float80` needs (with the
/// `Double` alone, log2′, log10′, exp2′ and erf′ in Float80 were off by up
/// to 1,600 ulps).
@usableFromInline
enum Constants {
  /// ln 2
  @inlinable static var ln2: Double { 0.693147180559945309417232121458176568 }
  /// ln 2 − `ln2`
  @inlinable static var ln2Low: Double { 2.3190468138462996e-17 }
  /// ln 10
  @inlinable static var ln10: Double { 2.30258509299404568401799145468436421 }
  /// ln 10 − `ln10`
  @inlinable static var ln10Low: Double { -2.1707562233822494e-16 }
  /// 2/√π
  @inlinable static var twoOverSqrtPi: Double { 1.12837916709551257389615890312154517 }
  /// 2/√π − `twoOverSqrtPi`
  @inlinable static var twoOverSqrtPiLow: Double { 1.533545961316588e-17 }

  /// A constant in `T`'s precision: its `Double` plus its low part, which
  /// rounds away in `Double` and `Float` and gives `Float80` its last bits.
  @inlinable @inline(__always)
  static func value<T: DifferentiableScalar>(_ high: Double, _ low: Double) -> T { T(high) + T(low) }
}
