/// The result of `checkDerivatives`: the same Jacobian computed two or three
/// ways (forward mode, reverse mode, finite differences, or a derivative
/// claimed by the caller), compared pair by pair.
///
/// ```swift
/// let report = checkDerivatives(at: [2.0, 0.5], of: Polar())
/// print(report)                 // a compact table
/// if !report.agrees { … }       // within `report.tolerances`
/// report.comparisons[0].worstRelative   // row, column, values, difference
/// ```
///
/// `description` prints, for each pair, the worst absolute and relative
/// disagreement and where it occurs, with the values of every method there.
public struct DerivativeCheckReport: Sendable {
  /// The names of the computations compared, e.g. `["forward", "reverse", "finite differences"]`.
  public let methods: [String]
  /// The Jacobian by each method (in `methods` order), as `Double`.
  public let jacobians: [Matrix<Double>]
  /// The point the derivatives were taken at.
  public let point: [Double]
  /// f at the point.
  public let value: [Double]
  /// One comparison per pair of methods.
  public let comparisons: [Comparison]
  /// The tolerances the comparisons were judged by.
  public let tolerances: DerivativeCheckTolerances

  /// Whether every pair agrees within its tolerance at every entry.
  ///
  /// ```swift
  /// precondition(checkDerivatives(at: x, of: f).agrees)
  /// ```
  public var agrees: Bool { comparisons.allSatisfy(\.agrees) }

  /// The Jacobian computed by the method named `name`, if it was part of the check.
  ///
  /// ```swift
  /// let Jr = report.jacobian("reverse")
  /// ```
  public func jacobian(_ name: String) -> Matrix<Double>? {
    methods.firstIndex(of: name).map { jacobians[$0] }
  }

  /// One entry where two methods differ.
  public struct Disagreement: Sendable, Hashable {
    /// The output index (row of the Jacobian).
    public let row: Int
    /// The input index (column of the Jacobian).
    public let column: Int
    /// |a − b| for the two methods compared.
    public let absolute: Double
    /// |a − b| / max(|a|, |b|, floor), where the floor is the level below which
    /// the absolute tolerance governs (0 where both are exactly equal).
    public let relative: Double
    /// The entry by every method of the report, in `methods` order.
    public let values: [Double]
  }

  /// Two methods compared entry by entry.
  public struct Comparison: Sendable, Hashable {
    /// The index in `methods` of the first method.
    public let first: Int
    /// The index in `methods` of the second method.
    public let second: Int
    /// The entry with the largest absolute difference (nil for an empty Jacobian).
    public let worstAbsolute: Disagreement?
    /// The entry with the largest relative difference (nil for an empty Jacobian).
    public let worstRelative: Disagreement?
    /// The number of entries outside the tolerance.
    public let failures: Int
    /// The tolerance applied.
    public let tolerance: AgreementTolerance
    /// Whether every entry is within the tolerance.
    public var agrees: Bool { failures == 0 }
  }

  /// Compares every pair of `jacobians`; `approximate[k]` marks a finite-difference one.
  ///
  /// ```swift
  /// let r = DerivativeCheckReport(methods: ["a", "b"], jacobians: [Ja, Jb],
  ///                               approximate: [false, false], point: x, value: y,
  ///                               tolerances: .double)
  /// ```
  public init(
    methods: [String], jacobians: [Matrix<Double>], approximate: [Bool],
    point: [Double], value: [Double], tolerances: DerivativeCheckTolerances
  ) {
    guard methods.count == jacobians.count, approximate.count == jacobians.count else {
      fatalError("DerivativeCheckReport: \(methods.count) names, \(jacobians.count) Jacobians, \(approximate.count) flags")
    }
    for J in jacobians where J.rows != jacobians[0].rows || J.columns != jacobians[0].columns {
      fatalError("DerivativeCheckReport: Jacobians of shapes \(jacobians[0].rows)×\(jacobians[0].columns) and \(J.rows)×\(J.columns)")
    }
    self.methods = methods
    self.jacobians = jacobians
    self.point = point
    self.value = value
    self.tolerances = tolerances
    var comparisons = [Comparison]()
    for a in 0..<jacobians.count {
      for b in (a + 1)..<jacobians.count {
        let tolerance = approximate[a] || approximate[b]
          ? tolerances.againstFiniteDifferences : tolerances.betweenModes
        comparisons.append(Self.compare(a, b, jacobians, tolerance))
      }
    }
    self.comparisons = comparisons
  }

  static func compare(
    _ a: Int, _ b: Int, _ jacobians: [Matrix<Double>], _ tolerance: AgreementTolerance
  ) -> Comparison {
    let A = jacobians[a].elements, B = jacobians[b].elements
    let columns = jacobians[a].columns
    var scale = 1.0
    for k in A.indices where A[k].isFinite && B[k].isFinite {
      scale = Swift.max(scale, A[k].magnitude, B[k].magnitude)
    }
    let floor = tolerance.relative > 0 ? tolerance.absolute * scale / tolerance.relative : 0
    var worstAbs: (Int, Double)? = nil, worstRel: (Int, Double, Double)? = nil
    var failures = 0
    for k in A.indices {
      let same = A[k] == B[k]
      let d = same ? 0 : (A[k] - B[k]).magnitude
      let dd = d.isNaN ? Double.infinity : d
      // A non-finite difference (NaN, or ∞ against a finite value) ranks as
      // the worst, absolutely and relatively (∞/∞ would be NaN).
      let r = same ? 0 : dd.isInfinite ? .infinity
        : dd / Swift.max(A[k].magnitude, B[k].magnitude, floor, .leastNormalMagnitude)
      if !tolerance.accepts(A[k], B[k], scale: scale) { failures += 1 }
      if worstAbs == nil || dd > worstAbs!.1 { worstAbs = (k, dd) }
      if worstRel == nil || r > worstRel!.2 { worstRel = (k, dd, r) }
    }
    // A NaN difference ranks as the worst (as ∞) but is reported as NaN.
    func disagreement(_ k: Int, _ d: Double, _ r: Double) -> Disagreement {
      let isNaN = !(A[k] == B[k]) && (A[k] - B[k]).isNaN
      return Disagreement(row: k / Swift.max(columns, 1), column: k % Swift.max(columns, 1),
                          absolute: isNaN ? .nan : d, relative: isNaN ? .nan : r,
                          values: jacobians.map { $0.elements[k] })
    }
    return Comparison(
      first: a, second: b,
      worstAbsolute: worstAbs.map { k, d in
        let r = A[k] == B[k] ? 0 : d.isInfinite ? .infinity
          : d / Swift.max(A[k].magnitude, B[k].magnitude, floor, .leastNormalMagnitude)
        return disagreement(k, d, r)
      },
      worstRelative: worstRel.map { disagreement($0.0, $0.1, $0.2) },
      failures: failures, tolerance: tolerance)
  }
}
