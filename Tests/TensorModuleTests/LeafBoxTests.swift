import Testing
import Leibniz

@Suite("Tensor: leaf gradients in atomic words")
struct LeafBoxTests {
  @Test func anyDoubleBitPatternAssignedAsAGradientReadsBackAsThatValue() {
    let x = Tensor<Double>(2.0, requiresGrad: true)
    #expect(x.grad == nil)
    // A signalling NaN (the word of "no gradient" in the box) reads back as
    // a NaN, not as no gradient.
    x.grad = Tensor(Double(bitPattern: 0x7FF0_0000_0000_0001))
    #expect(x.grad != nil)
    #expect(x.grad!.scalar.isNaN)
    for v in [0.0, -0.0, 1.5, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude] {
      x.grad = Tensor(v)
      #expect(x.grad!.scalar.bitPattern == v.bitPattern)
    }
    x.grad = nil
    #expect(x.grad == nil)
  }

  @Test func floatGradientsAccumulateFromNoneAndReset() {
    let x = Tensor<Float>(3, requiresGrad: true)
    (x * x).backward()
    #expect(x.grad!.scalar == 6)
    (x * 2).backward()
    #expect(x.grad!.scalar == 8)
    x.grad = nil
    #expect(x.grad == nil)
    (x * x).backward()
    #expect(x.grad!.scalar == 6)
  }
}
