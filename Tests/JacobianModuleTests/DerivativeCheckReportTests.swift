import Leibniz
import Testing
@testable import JacobianModule

@Suite("Derivative check report (JacobianModule)")
struct DerivativeCheckReportTests {
  let a = Matrix([[1.0, 2.0, 0.0], [4.0, 5.0, 6.0]])
  let b = Matrix([[1.0, 2.0, 0.0], [4.0, 5.0, 6.0 + 3e-13]])
  let c = Matrix([[1.0, 2.0 + 1e-3, 1e-9], [4.0, 5.0, 6.0]])

  var report: DerivativeCheckReport {
    DerivativeCheckReport(
      methods: ["forward", "reverse", "finite differences"], jacobians: [a, b, c],
      approximate: [false, false, true], point: [1, 2, 3], value: [0, 0], tolerances: .double)
  }

  @Test func worstEntriesAndValues() throws {
    let r = report
    #expect(r.comparisons.count == 3)
    let fr = r.comparisons[0]
    #expect(fr.first == 0 && fr.second == 1 && fr.agrees)
    let worst = try #require(fr.worstAbsolute)
    #expect(worst.row == 1 && worst.column == 2)
    #expect(worst.values == [6.0, 6.0 + 3e-13, 6.0])
    let ffd = r.comparisons[1]
    #expect(ffd.worstAbsolute?.row == 0 && ffd.worstAbsolute?.column == 1)
    #expect(ffd.failures == 1 && !ffd.agrees)
    #expect(ffd.tolerance == DerivativeCheckTolerances.double.againstFiniteDifferences)
    #expect(!r.agrees)
    #expect(r.jacobian("reverse") == b)
    #expect(r.jacobian("claimed") == nil)
  }

  @Test func descriptionIsACompactTable() {
    let text = report.description
    let lines = text.split(separator: "\n")
    #expect(lines.count == 6)
    #expect(lines[0] == "derivative check, ℝ³ → ℝ², 2×3 Jacobian: DISAGREE")
    #expect(lines[2].hasPrefix("forward – reverse"))
    #expect(lines[3].hasPrefix("forward – finite differences") && lines[3].contains("(0, 1)"))
    #expect(lines[5].hasPrefix("worst entry (0, 1): forward 2  reverse 2  finite differences 2.001"))
  }

  /// A NaN entry is the worst disagreement and is reported as NaN, not as
  /// an infinite difference.
  @Test func nanIsTheWorstAndReportedAsNaN() throws {
    let n = Matrix([[1.0, .nan, 0.0], [4.0, 5.0, 6.0 + 1e-3]])
    let r = DerivativeCheckReport(
      methods: ["forward", "reverse"], jacobians: [a, n], approximate: [false, false],
      point: [1, 2, 3], value: [0, 0], tolerances: .double)
    let worst = try #require(r.comparisons[0].worstAbsolute)
    #expect(worst.row == 0 && worst.column == 1)
    #expect(worst.absolute.isNaN && worst.relative.isNaN)
    #expect(r.comparisons[0].failures == 2 && !r.agrees)
    #expect(r.description.contains("nan") && !r.description.contains("inf"))
  }

  /// The table and the worst-entry line point at a NaN or infinite
  /// disagreement, not at a finite one elsewhere.
  @Test func nonFiniteDisagreementsArePointedAt() {
    let forward = Matrix([[1.0, -1.0], [-1.0, 2.0]])
    let fd = Matrix([[1.0, -1.0], [Double.nan, 2.0 + 1e-12]])
    let r = DerivativeCheckReport(
      methods: ["forward", "finite differences"], jacobians: [forward, fd], approximate: [false, true],
      point: [-1, 1], value: [0, 0], tolerances: .double)
    let lines = r.description.split(separator: "\n")
    #expect(lines[2].contains("(1, 0)"), "\(r)")
    #expect(lines[3].hasPrefix("worst entry (1, 0): forward -1  finite differences nan"), "\(r)")
    let infinite = Matrix([[2.0, 0.0], [.infinity, 1.0]])
    let finite = Matrix([[2.0 + 1e-14, 0.0], [3841.8, 1.0]])
    let q = DerivativeCheckReport(
      methods: ["forward", "finite differences"], jacobians: [infinite, finite], approximate: [false, true],
      point: [0, 1], value: [0, 0], tolerances: .double)
    #expect(q.comparisons[0].worstRelative?.row == 1 && q.comparisons[0].worstRelative?.column == 0)
    #expect(q.description.contains("worst entry (1, 0): forward inf  finite differences 3841.8"), "\(q)")
  }

  @Test func numbersBelowAMillionPrintInFixedNotation() {
    let r = DerivativeCheckReport(
      methods: ["x", "y"], jacobians: [Matrix([[151.0]]), Matrix([[151.5]])], approximate: [false, false],
      point: [0], value: [0], tolerances: .double)
    #expect(r.description.contains("0.5 ") && r.description.contains("151.5") && !r.description.contains("e+"), "\(r)")
    let big = DerivativeCheckReport(
      methods: ["x", "y"], jacobians: [Matrix([[123_456.0]]), Matrix([[0.0]])], approximate: [false, false],
      point: [0], value: [0], tolerances: .double)
    #expect(big.description.contains("123456 "), "\(big)")
    // A carry into a new digit stays in fixed notation (99999.7 prints as 100000, not 1e+5).
    #expect(_formatDouble(99999.7, digits: 2) == "100000")
    #expect(_formatDouble(-999.96, digits: 3) == "-1000")
    #expect(_formatDouble(9.97, digits: 2) == "10")
    #expect(_formatDouble(999_999.7, digits: 2) == "1e+6")
  }

  @Test func agreeingReport() {
    let r = DerivativeCheckReport(
      methods: ["x", "y"], jacobians: [a, a], approximate: [false, false],
      point: [], value: [], tolerances: .double)
    #expect(r.agrees)
    #expect(r.description.hasPrefix("derivative check, ℝ³ → ℝ², 2×3 Jacobian: agree"))
  }

  @Test func mismatchedShapesStop() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = DerivativeCheckReport(
        methods: ["x", "y"], jacobians: [Matrix([[1.0]]), Matrix([[1.0, 2]])],
        approximate: [false, false], point: [], value: [], tolerances: .double)
    }
    #expect(standardError(result).contains("DerivativeCheckReport: Jacobians of shapes 1×1 and 1×2"))
  }
}
