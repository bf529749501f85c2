import Leibniz
import Testing
import _LeibnizTestSupport

/// `retainGrad()`: backward stores the gradient of a recorded result too
/// (PyTorch's `retain_grad`), checked against hand derivatives.
@Suite("Tensor: retainGrad")
struct RetainGradTests {
  @Test func scalarResult() {
    // c = 3b, b = a²: ∂c/∂b = 3, ∂c/∂a = 6a.
    let a = Tensor(3.0, requiresGrad: true)
    let b = a * a
    b.retainGrad()
    let c = b * 2 + b
    c.backward()
    #expect(b.grad?.scalar == 3)
    #expect(a.grad?.scalar == 18)
    #expect(b.grad?.shape == [])
  }

  @Test func vectorResultsOnBothRecordingPaths() {
    // z = Σ y², y = 2x: ∂z/∂y = 2y = 4x, ∂z/∂x = 8x. Four elements take the
    // element-by-element path, forty the n-d node path.
    for count in [4, 40] {
      let values = (0..<count).map { Double($0) * 0.25 - 1 }
      let x = Tensor(values, requiresGrad: true)
      let y = x * 2
      y.retainGrad()
      (y * y).sum().backward()
      #expect(y.grad?.shape == [count])
      #expect(y.grad?.scalars == values.map { 4 * $0 }, "\(count) elements")
      #expect(x.grad?.scalars == values.map { 8 * $0 }, "\(count) elements")
    }
  }

  @Test func gradientsAccumulateAndReset() {
    let x = Tensor<Double>([1, 2], requiresGrad: true)
    let h = sin(x)
    h.retainGrad()
    let loss = (h * 3).sum()
    loss.backward(retainGraph: true)
    loss.backward()
    #expect(h.grad?.scalars == [6, 6])
    h.zeroGrad()
    #expect(h.grad?.scalars == [0, 0])
    h.grad = nil
    #expect(h.grad == nil)
  }

  @Test func onlyRetainedResultsStoreGradients() {
    let x = Tensor(2.0, requiresGrad: true)
    let y = x * x, z = y * 3
    z.backward()
    #expect(y.grad == nil)
    // retainGrad on leaves and constants changes nothing.
    x.retainGrad()
    Tensor<Double>(1.0).retainGrad()
    #expect(x.grad?.scalar == 12)
  }

  @Test func aPassThatDoesNotReachTheResultLeavesItsGradAlone() {
    // A backward pass of an unrelated graph on the same thread's tape stores
    // nothing, not zeros.
    let h = sin(Tensor<Double>([1, 2], requiresGrad: true))
    h.retainGrad()
    let keep = (h * h).sum()
    let y = Tensor<Double>([3, 4], requiresGrad: true)
    (y * y).sum().backward()
    #expect(h.grad == nil)
    keep.backward()
    #expect(h.grad?.scalars == [2 * sin(1.0), 2 * sin(2.0)])
  }

  /// A zero gradient counts as not reached on every path (0-d, 3 elements,
  /// 40 elements): grad stays nil rather than holding zeros.
  @Test(arguments: [1, 3, 40])
  func aZeroGradientLeavesGradAloneOnEveryPath(count: Int) {
    let shape = count == 1 ? [] : [count]
    let x = Tensor<Double>.ones(shape, requiresGrad: true)
    let h = sin(x)
    h.retainGrad()
    (h * Tensor.zeros(shape)).sum().backward()
    #expect(h.grad == nil)
    let k = sin(x)
    k.retainGrad()
    (k * 2).sum().backward()
    #expect(k.grad?.scalars == Array(repeating: 2, count: count))
  }

  @Test func gradientsOfDoesNotStoreRetainedGradients() {
    let x = Tensor(2.0, requiresGrad: true)
    let y = x * x
    y.retainGrad()
    _ = gradients(of: y * 3, wrt: [x])
    #expect(y.grad == nil)
  }

  @Test func settingGradOfAnotherResultStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor(2.0, requiresGrad: true)
      (x * x).grad = Tensor(1.0)
    }
    let message = String(decoding: r?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("Tensor.grad: only a leaf that requires gradients, or a result after retainGrad(), stores a gradient"))
  }
}
