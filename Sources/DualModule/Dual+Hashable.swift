// Hashing agrees with `==`, which compares values only.
extension Dual: Hashable where T: Hashable {
  @inlinable
  public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension MultiDual: Hashable where Partials.Scalar: Hashable {
  @inlinable
  public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
