import Leibniz
import Testing

@Suite("Differentiation mode (JacobianModule)")
struct DifferentiationModeTests {
  @Test func automaticPicksByShape() {
    #expect(DifferentiationMode.automatic.resolved(inputs: 0, outputs: 0) == .forward)
    #expect(DifferentiationMode.automatic.resolved(inputs: 3, outputs: 3) == .forward)
    #expect(DifferentiationMode.automatic.resolved(inputs: 2, outputs: 5) == .forward)
    #expect(DifferentiationMode.automatic.resolved(inputs: 10, outputs: 3) == .reverse)
    #expect(DifferentiationMode.automatic.resolved(inputs: 64, outputs: 1) == .reverse)
  }

  @Test func explicitModesStay() {
    #expect(DifferentiationMode.forward.resolved(inputs: 64, outputs: 1) == .forward)
    #expect(DifferentiationMode.reverse.resolved(inputs: 1, outputs: 64) == .reverse)
  }
}
