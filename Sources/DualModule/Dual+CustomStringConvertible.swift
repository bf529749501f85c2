extension Dual: CustomStringConvertible {
  /// `value + tangent·ε`, for example `4.0 + 3.0ε`.
  public var description: String { "\(value) + \(tangent)ε" }
}

extension MultiDual: CustomStringConvertible {
  /// The value and the partials, for example `4.0 + [1.0, 2.0]·ε`.
  public var description: String {
    "\(value) + \((0..<Partials.scalarCount).map { partials[$0] })·ε"
  }
}
