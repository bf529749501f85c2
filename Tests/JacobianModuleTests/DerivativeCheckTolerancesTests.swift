import Leibniz
import Testing

@Suite("Derivative check tolerances (JacobianModule)")
struct DerivativeCheckToleranceTests {
  @Test func defaultsByScalarType() {
    #expect(DerivativeCheckTolerances(for: Double.self) == .double)
    #expect(DerivativeCheckTolerances(for: Float.self) == .float)
  }

  @Test func acceptanceRule() {
    let t = AgreementTolerance(absolute: 1e-8, relative: 1e-6)
    #expect(t.accepts(1, 1 + 0.9e-6, scale: 1))
    #expect(!t.accepts(1, 1 + 1.2e-6 + 1e-8, scale: 1))
    #expect(t.accepts(0, 0.9e-8, scale: 1))          // near zero: absolute part
    #expect(t.accepts(0, 0.9e-6, scale: 100))        // on the problem's scale
    #expect(!t.accepts(.nan, .nan, scale: 1))
    #expect(t.accepts(.infinity, .infinity, scale: 1))
    #expect(!t.accepts(.infinity, 1, scale: 1))
  }
}
