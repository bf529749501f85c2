/// Mathematical constants used by the derivative rules, correctly rounded.
@usableFromInline
enum Constants {
  /// ln 2
  @inlinable static var ln2: Double { 0.693147180559945309417232121458176568 }
  /// ln 10
  @inlinable static var ln10: Double { 2.30258509299404568401799145468436421 }
  /// 2/√π
  @inlinable static var twoOverSqrtPi: Double { 1.12837916709551257389615890312154517 }
}
