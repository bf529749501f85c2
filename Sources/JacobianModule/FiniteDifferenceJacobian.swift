import DifferentiableModule

// MARK: - Finite differences: the independent third reference
//
// Central differences D(h) = (f(x + h eⱼ) − f(x − h eⱼ)) / 2h have error
// c₂h² + c₄h⁴ + … ; one Richardson step R = D(h/2) + (D(h/2) − D(h))/3 cancels
// the h² term. The step is chosen per coordinate, hⱼ = c·max(|xⱼ|, 0.01) (so a
// parameter of size 5e-4 gets a step of its own size, not one twice as large), with
// c ≈ ε^(1/5) ≈ 1e-3 for the extrapolated O(h⁴) estimate (balancing truncation
// h⁴ against rounding ε/h) and c ≈ ε^(1/3) ≈ 6e-6 for the plain O(h²) one.
// The step is rounded so that x + h is exactly representable ((x + h) − x).
// f is evaluated in Double, whatever the point's type.

/// The Jacobian of f by central finite differences, evaluating f on `Double`:
/// an approximation independent of automatic differentiation.
///
/// ```
/// J[i, j] ≈ (fᵢ(x + hⱼeⱼ) − fᵢ(x − hⱼeⱼ)) / 2hⱼ,   hⱼ = c·max(|xⱼ|, 0.01)
/// ```
///
/// With `extrapolated: true` (the default) two step sizes are combined by
/// Richardson extrapolation (error O(h⁴), about 1e-10 relative for smooth f,
/// 4 evaluations per input); with `false`, one central difference (O(h²),
/// about 1e-8 at best, 2 evaluations per input). f must be defined within
/// about 1e-3·max(|xⱼ|, 0.01) of x.
///
/// ```swift
/// let Jfd = finiteDifferenceJacobian(at: [2.0, 0.5], of: Polar())
/// ```
///
/// See also: `finiteDifferenceGradient(at:of:)`, `checkDerivatives(at:of:)`.
@inlinable
public func finiteDifferenceJacobian<S: BinaryFloatingPoint, F: VectorFunction>(
  at x: [S], extrapolated: Bool = true, of f: F
) -> Matrix<Double> {
  finiteDifferenceJacobian(at: x, extrapolated: extrapolated) { (y: [Double]) in f(y) }
}

/// The Jacobian by finite differences of a function given as a closure over `Double`.
///
/// ```swift
/// let J = finiteDifferenceJacobian(at: [1.0, 2.0]) { x in [x[0] * x[1], sin(x[0])] }
/// ```
@inlinable
public func finiteDifferenceJacobian<S: BinaryFloatingPoint>(
  at x: [S], extrapolated: Bool = true, of f: ([Double]) throws -> [Double]
) rethrows -> Matrix<Double> {
  let point = x.map { Double($0) }
  let n = point.count
  let m = try f(point).count
  var elements = [Double](repeating: 0, count: m * n)
  var probe = point
  for j in 0..<n {
    let xj = point[j]
    func central(_ c: Double) throws -> [Double] {
      let h = (xj + c * Swift.max(xj.magnitude, 0.01)) - xj   // exactly representable
      probe[j] = xj + h
      let plus = try f(probe)
      probe[j] = xj - h
      let minus = try f(probe)
      probe[j] = xj
      if plus.count != m || minus.count != m { _outputCountChanged("finiteDifferenceJacobian", m, plus.count == m ? minus.count : plus.count) }
      return (0..<m).map { (plus[$0] - minus[$0]) / (2 * h) }
    }
    let column: [Double]
    if extrapolated {
      let coarse = try central(1e-3), fine = try central(5e-4)
      column = (0..<m).map { fine[$0] + (fine[$0] - coarse[$0]) / 3 }
    } else {
      column = try central(6e-6)
    }
    for i in 0..<m { elements[i * n + j] = column[i] }
  }
  return Matrix(rows: m, columns: n, elements: elements)
}

/// The gradient of a scalar function by central finite differences in `Double`
/// (Richardson-extrapolated unless `extrapolated` is false).
///
/// ```swift
/// let g = finiteDifferenceGradient(at: [1.5, 2.0], of: Rosenbrock())
/// ```
///
/// See also: `finiteDifferenceJacobian(at:of:)`, `gradient(at:of:)`.
@inlinable
public func finiteDifferenceGradient<S: BinaryFloatingPoint, F: ScalarFunction>(
  at x: [S], extrapolated: Bool = true, of f: F
) -> [Double] {
  finiteDifferenceJacobian(at: x, extrapolated: extrapolated) { (y: [Double]) in [f(y)] }.row(0)
}
