import Leibniz
import Testing

/// Graphs built one after another on the same thread share its tape; a
/// backward pass consumes only the operations it goes through, so each graph
/// can be back-propagated on its own, in any order (as in PyTorch).
@Suite("Tensor: independent graphs on one thread")
struct IndependentGraphsTests {
  @Test func scalarGraphsInEitherOrder() {
    let x = Tensor(0.7, requiresGrad: true), y = Tensor(-0.3, requiresGrad: true)
    let lossA = sin(x) * x          // ∂/∂x = cos x · x + sin x
    let lossB = exp(y) * 2          // ∂/∂y = 2 eʸ
    lossB.backward()
    lossA.backward()
    #expect(abs(x.grad!.scalar - (cos(0.7) * 0.7 + sin(0.7))) < 1e-15)
    #expect(abs(y.grad!.scalar - 2 * exp(-0.3)) < 1e-15)
  }

  @Test func arrayGraphsSharingALeaf() {
    // Two losses of one parameter, as a GAN step's two losses: the second
    // backward still has its saved activations, and the gradients add up.
    let w = Tensor<Double>([0.5, -1, 2], requiresGrad: true)
    let lossA = (tanh(w * 3) * w).sum()
    let lossB = (w * w).mean()
    lossA.backward()
    lossB.backward()
    let expected = w.scalars.map { v in
      (1 - tanh(3 * v) * tanh(3 * v)) * 3 * v + tanh(3 * v) + 2 * v / 3
    }
    for (g, e) in zip(w.grad!.scalars, expected) { #expect(abs(g - e) < 1e-12) }
  }

  @Test func aSharedIntermediateIsStillConsumed() async {
    // y's product is consumed by a's backward pass; b's goes through it.
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor(2.0, requiresGrad: true)
      let y = x * x
      let a = y * 2, b = y * 3
      a.backward()
      b.backward()
    }
    let message = String(decoding: r?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("backward: the graph through MulBackward was already consumed"))
  }

  @Test func retainGraphKeepsTheSharedIntermediate() {
    let x = Tensor(2.0, requiresGrad: true)
    let y = x * x
    let a = y * 2, b = y * 3
    a.backward(retainGraph: true)
    b.backward()
    #expect(x.grad?.scalar == 20)   // (2 + 3) · 2x
  }

  @Test func backwardLeavesTheLeavesOfAnotherGraphAlone() {
    // Leaves of a graph whose result is alive share the tape with the loss,
    // but a backward pass from the loss does not touch their grad (a thread
    // may be training them); a leaf the loss uses with a zero gradient gets
    // zeros, as in PyTorch. On the 0-d, small and n-d paths.
    let a = Tensor(2.0, requiresGrad: true), x = Tensor(3.0, requiresGrad: true)
    let z = Tensor(1.0, requiresGrad: true)
    let kept = a * a
    (x * x + z * 0).backward()
    #expect(a.grad == nil && x.grad?.scalar == 6 && z.grad?.scalar == 0)
    let w = Tensor<Double>([1, 2, 3], requiresGrad: true), v = Tensor<Double>([1, -1], requiresGrad: true)
    let big = Tensor<Double>((0..<40).map(Double.init), requiresGrad: true)
    let keptSmall = (w * w).sum(), keptBig = (big * 2).sum()
    (v * v).sum().backward()
    #expect(w.grad == nil && big.grad == nil && v.grad?.scalars == [2, -2])
    let u = Tensor<Double>((0..<40).map { _ in 1 }, requiresGrad: true)
    (u * u).sum().backward()
    #expect(w.grad == nil && big.grad == nil && u.grad?.scalars == Array(repeating: 2, count: 40))
    _ = (kept.scalar, keptSmall.scalar, keptBig.scalar)
  }
}
