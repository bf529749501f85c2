/// Which automatic-differentiation mode computes a Jacobian.
///
/// ```swift
/// jacobian(at: x, mode: .forward, of: f)     // ⌈n/8⌉ passes of 8-partial duals
/// jacobian(at: x, mode: .reverse, of: f)     // one recording, one sweep for all rows
/// jacobian(at: x, of: f)                     // .automatic
/// ```
///
/// `.automatic` picks by the shape of f: ℝⁿ → ℝᵐ uses forward mode when
/// n ≤ m (its cost grows with the number of inputs) and reverse mode when
/// n > m (its cost grows with the number of outputs).
public enum DifferentiationMode: Sendable, Hashable {
  /// Forward mode: columns of the Jacobian, several per pass.
  case forward
  /// Reverse mode: rows of the Jacobian, from one recording of the function.
  case reverse
  /// Forward mode when inputs ≤ outputs, reverse mode otherwise.
  case automatic

  /// The concrete mode `.automatic` resolves to for `inputs` → `outputs`.
  ///
  /// ```swift
  /// DifferentiationMode.automatic.resolved(inputs: 64, outputs: 1)   // .reverse
  /// ```
  @inlinable
  public func resolved(inputs: Int, outputs: Int) -> DifferentiationMode {
    switch self {
    case .forward, .reverse: return self
    case .automatic: return inputs <= outputs ? .forward : .reverse
    }
  }
}
