import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("jacobian(at:mode:of:) (JacobianModule)")
struct JacobianTests {
  static let modes: [DifferentiationMode] = [.forward, .reverse, .automatic]

  @Test(arguments: CatalogShape.allCases, modes)
  func everyModeEqualsHandDerivedJacobian(_ shape: CatalogShape, _ mode: DifferentiationMode) {
    shape.with { f, hand in
      let (y, J) = valueWithJacobian(at: shape.point, mode: mode, of: f)
      #expect(vectorsAgree(y, f(shape.point), tolerance: 0))
      #expect(matricesAgree(J, hand, tolerance: Tolerance.roundoff), "\(shape) \(mode)\n\(J)")
      #expect(jacobian(at: shape.point, mode: mode, of: f) == J)
    }
  }

  @Test(arguments: CatalogShape.allCases)
  func modesAgreeWithEachOther(_ shape: CatalogShape) {
    shape.with { f, _ in
      let forward = jacobian(at: shape.point, mode: .forward, of: f)
      let reverse = jacobian(at: shape.point, mode: .reverse, of: f)
      let automatic = jacobian(at: shape.point, of: f)
      #expect(matricesAgree(forward, reverse.rowArrays, tolerance: Tolerance.roundoff))
      let n = shape.point.count, m = forward.rows
      #expect(automatic == (n <= m ? forward : reverse))
    }
  }

  @Test(arguments: CatalogShape.allCases, modes)
  func floatEveryMode(_ shape: CatalogShape, _ mode: DifferentiationMode) {
    shape.with { f, hand in
      let J = jacobian(at: shape.point.map { Float($0) }, mode: mode, of: f)
      #expect(matricesAgree(J.map { Double($0) }, hand, tolerance: Tolerance.floatRoundoff), "\(shape) \(mode)")
    }
  }

  @Test func outputsThatIgnoreTheInputs() {
    struct Constant: VectorFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { [2, x[1], 3 * x[1]] }
    }
    for mode in Self.modes {
      #expect(jacobian(at: [1.0, 2.0], mode: mode, of: Constant()) == Matrix([[0.0, 0], [0, 1], [0, 3]]))
    }
  }

  @Test func closureFormTrails() {
    let J = jacobian(at: [1.0, 2.0]) { x in [x[0] * x[1], sin(x[0])] }
    #expect(J == Matrix([[2.0, 1], [cos(1.0), 0]]))
  }
}

// MARK: - NIST StRD: Misra1a

/// NIST's Misra1a (y = b₁(1 − e^(−b₂x))): residual Jacobian in all three modes,
/// and Gauss–Newton from NIST's start 2 to the certified values.
@Suite("NIST Misra1a residual Jacobian (JacobianModule)")
struct NISTMisra1aTests {
  struct Residuals: VectorFunction {
    static let x = [77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0]
    static let y = [10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.4, 75.47, 81.78]
    func callAsFunction<T: Differentiable>(_ b: [T]) -> [T] {
      (0..<Self.x.count).map { i in T(Self.y[i]) - b[0] * (1 - exp(-b[1] * T(Self.x[i]))) }
    }
    /// ∂rᵢ/∂b₁ = −(1 − e^(−b₂xᵢ)),  ∂rᵢ/∂b₂ = −b₁xᵢe^(−b₂xᵢ).
    static func jacobian(_ b: [Double]) -> [[Double]] {
      x.map { xi in [-(1 - exp(-b[1] * xi)), -b[0] * xi * exp(-b[1] * xi)] }
    }
  }
  static let start = [250.0, 0.0005]
  static let certified = [238.94212918, 0.00055015643181]
  static let certifiedRSS = 0.12455138894

  @Test func residualJacobianAgreesInAllModes() {
    let report = checkDerivatives(at: Self.start, of: Residuals())
    #expect(report.agrees, "\(report)")
    #expect(matricesAgree(jacobian(at: Self.start, mode: .reverse, of: Residuals()),
                          Residuals.jacobian(Self.start), tolerance: Tolerance.roundoff))
  }

  @Test func gaussNewtonReachesTheCertifiedValues() {
    var b = Self.start
    for _ in 0..<50 {
      let (r, J) = valueWithJacobian(at: b, of: Residuals())
      // Normal equations (2×2, well enough conditioned after scaling by the columns' norms).
      let s = (0..<2).map { j in (0..<J.rows).reduce(0.0) { $0 + J[$1, j] * J[$1, j] }.squareRoot() }
      var a = [[0.0, 0], [0, 0]], g = [0.0, 0]
      for i in 0..<J.rows {
        for p in 0..<2 {
          g[p] -= J[i, p] / s[p] * r[i]
          for q in 0..<2 { a[p][q] += J[i, p] / s[p] * J[i, q] / s[q] }
        }
      }
      let det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
      let d0 = (g[0] * a[1][1] - g[1] * a[0][1]) / det / s[0]
      let d1 = (a[0][0] * g[1] - a[1][0] * g[0]) / det / s[1]
      b[0] += d0
      b[1] += d1
      if Swift.abs(d0 / b[0]) < 1e-14 && Swift.abs(d1 / b[1]) < 1e-14 { break }
    }
    let rss = Residuals()(b).reduce(0) { $0 + $1 * $1 }
    #expect(Swift.abs(b[0] - Self.certified[0]) / Self.certified[0] < 1e-8)
    #expect(Swift.abs(b[1] - Self.certified[1]) / Self.certified[1] < 1e-8)
    #expect(Swift.abs(rss - Self.certifiedRSS) / Self.certifiedRSS < 1e-9)
  }
}
