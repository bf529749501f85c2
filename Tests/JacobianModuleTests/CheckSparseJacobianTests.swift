import Leibniz
import Testing
import _LeibnizTestSupport
@testable import JacobianModule

/// `checkSparseJacobian`: compressed finite differences on the pattern agree
/// with the sparse Jacobian over the catalogue, see a derivative the pattern
/// misses, and catch a wrong entry.
@Suite("checkSparseJacobian (JacobianModule)")
struct CheckSparseJacobianTests {
  @Test func catalogueAgreesInDoubleAndFloat() {
    let point = { (n: Int) in (0..<n).map { 0.3 + 0.1 * Double($0 % 7) } }
    let bratu = checkSparseJacobian(at: (0..<400).map { 0.1 * Double.sin(Double($0)) }, of: Bratu1D())
    #expect(bratu.agrees, "\(bratu)")
    #expect(bratu.colorCount == 3)
    #expect(bratu.automatic.nonzeroCount == 3 * 400 - 2)
    // The compressed differences give the same entries as the dense ones.
    let small: [Double] = (0..<30).map { 0.1 * Double.sin(Double($0)) }
    let dense = finiteDifferenceJacobian(at: small, of: Bratu1D())
    let compressed = checkSparseJacobian(at: small, of: Bratu1D()).finiteDifferences
    for (k, e) in compressed.pattern.nonzeros.enumerated() {
      #expect(isClose(compressed.values[k], dense[e.row, e.column], tolerance: Tolerance.finiteDifference))
    }
    expectAgrees(Stencil2D(k: 8), at: point(64), "stencil")
    expectAgrees(Arrowhead(), at: point(40), "arrowhead")
    expectAgrees(RandomSparse(inputs: 60, outputs: 50, seed: 5), at: point(60), "random")
    expectAgrees(UnusedAndConstant(), at: point(4), "unused input, constant output")
  }

  func expectAgrees<F: VectorFunction>(_ f: F, at x: [Double], _ name: String) {
    let report = checkSparseJacobian(at: x, of: f)
    #expect(report.agrees, "\(name): \(report)")
    let reverse = checkSparseJacobian(at: x, mode: .reverse, of: f)
    #expect(reverse.agrees, "\(name) reverse: \(reverse)")
    let single = checkSparseJacobian(at: x.map { Float($0) }, of: f)
    #expect(single.agrees, "\(name) Float: \(single)")
  }

  /// A pattern that leaves out the sub-diagonal: the compressed differences
  /// see the rows change along inputs outside their pattern.
  @Test func aDerivativeOutsideThePatternIsSeen() {
    let n = 12
    let x: [Double] = (0..<n).map { 0.1 * Double($0) }
    let full = jacobianSparsity(at: x, of: Bratu1D())
    let upper = SparsityPattern(rows: n, columns: n, nonzeros: full.nonzeros.filter { $0.row <= $0.column })
    let (fd, missed) = _compressedFiniteDifferences(at: x, pattern: upper) { Bratu1D()($0) }
    #expect(!missed.isEmpty)
    #expect(missed.allSatisfy { m in m.columns.contains(m.row - 1) })
    let report = SparseDerivativeCheckReport(
      automatic: fd, finiteDifferences: fd, missed: missed, colorCount: 2,
      tolerance: DerivativeCheckTolerances.double.againstFiniteDifferences)
    #expect(!report.agrees)
    #expect(report.description.contains("outside its pattern"))
  }

  /// A wrong entry is reported as the worst, with its row and column.
  @Test func aWrongEntryDisagrees() {
    let x: [Double] = (0..<20).map { 0.05 * Double($0) }
    let good = checkSparseJacobian(at: x, of: Bratu1D())
    var wrong = good.automatic
    let k = wrong.pattern.index(row: 7, column: 8)!
    wrong.values[k] *= 1.001
    let report = SparseDerivativeCheckReport(
      automatic: wrong, finiteDifferences: good.finiteDifferences, missed: [], colorCount: good.colorCount,
      tolerance: good.tolerance)
    #expect(!report.agrees)
    #expect(report.failures == 1)
    #expect(report.worst?.row == 7 && report.worst?.column == 8)
    #expect(report.description.contains("DISAGREE"))
  }

  @Test func aPointOfTheWrongLength() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let pattern = SparsityPattern(rows: 2, columns: 3, nonzeros: [(0, 0)])
      _ = _compressedFiniteDifferences(at: [1, 2], pattern: pattern) { $0 }
    }
    let message = String(decoding: r?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("checkSparseJacobian: the point has 2 entries but the pattern has 3 columns"))
  }

  @Test func theReportReadsAsOneParagraph() {
    let report = checkSparseJacobian(at: (0..<100).map { 0.1 * Double.sin(Double($0)) }, of: Bratu1D())
    let text = report.description
    #expect(text.hasPrefix("sparse derivative check, 100×100, 298 non-zeros, 3 colours: agree"))
    #expect(text.contains("worst entry ("))
    #expect((report.worst?.relative ?? 1) < 1e-8)
  }
}
