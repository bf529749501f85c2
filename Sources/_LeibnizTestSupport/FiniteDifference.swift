/// A high-precision finite-difference derivative for use as an independent
/// reference in tests: central differences at steps h and h/2 combined by one
/// Richardson step, which cancels the h² error term (error O(h⁴)).
///
/// The default step scales with |x| so that it is meaningful at any magnitude.
public func finiteDifferenceDerivative(
  at x: Double, step: Double? = nil, of f: (Double) -> Double
) -> Double {
  let h = step ?? 1e-3 * Swift.max(1, x.magnitude)
  func central(_ h: Double) -> Double { (f(x + h) - f(x - h)) / (2 * h) }
  let coarse = central(h), fine = central(h / 2)
  return fine + (fine - coarse) / 3
}

/// The partial derivative of `f` with respect to coordinate `j` at `x`,
/// by the same Richardson-extrapolated central difference.
public func finiteDifferencePartial(
  at x: [Double], coordinate j: Int, step: Double? = nil, of f: ([Double]) -> Double
) -> Double {
  finiteDifferenceDerivative(at: x[j], step: step) { t in
    var y = x
    y[j] = t
    return f(y)
  }
}
