import Leibniz
import Testing

/// Bad input traps with a message naming the operation and the shapes.
@Suite("Tensor: error messages")
struct ErrorMessagesTests {
  static func stderr(of result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
  }

  @Test func elementwiseShapeMismatch() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]) + Tensor<Double>.zeros([4])
    }
    #expect(Self.stderr(of: r).contains("Tensor add: shapes [2, 3] and [4] cannot be broadcast together"))
  }

  /// An empty list to stack has no shape to give the result, so stacking it
  /// stops rather than returning shape [0]; the empty array literal has [0].
  @Test func stackingNothingStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>(stacking: [])
    }
    #expect(Self.stderr(of: r).contains("Tensor(stacking:): needs at least one tensor"))
    let empty: Tensor<Double> = []
    #expect(empty.shape == [0])
  }

  @Test func matmulShapeMismatch() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = matmul(Tensor<Double>.zeros([2, 3]), Tensor<Double>.zeros([2, 3]))
    }
    #expect(Self.stderr(of: r).contains("matmul: shapes [2, 3] and [2, 3] do not multiply"))
  }

  @Test func matmulBatchAxesMismatch() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = matmul(Tensor<Double>.zeros([2, 3, 4]), Tensor<Double>.zeros([3, 4, 5]))
    }
    #expect(Self.stderr(of: r).contains(
      "matmul: shapes [2, 3, 4] and [3, 4, 5] do not multiply: the batch axes [2] and [3] do not broadcast"))
  }

  @Test func inPlaceUpdateOfALeafCannotChangeItsShape() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var w = Tensor<Double>([1], requiresGrad: true)
      withoutGradients { w += Tensor([1, 2, 3]) }
    }
    #expect(Self.stderr(of: r).contains(
      "Tensor +=: an in-place update of a leaf that requires gradients cannot change its shape [1] (the result of [1] += [3] has shape [3])"))
  }

  @Test func gradientOfTheWrongShape() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
      x.grad = Tensor.zeros([2, 3])
    }
    #expect(Self.stderr(of: r).contains(
      "Tensor.grad: a gradient of shape [2, 3] cannot be assigned to a tensor of shape [3]"))
  }

  @Test func reshapeMismatch() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).reshaped(to: [4])
    }
    #expect(Self.stderr(of: r).contains("Tensor.reshaped(to:): cannot reshape [2, 3] (6 elements) to [4]"))
  }

  @Test func seedShapeMismatch() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
      (x * 2).backward(seed: [1, 2])
    }
    #expect(Self.stderr(of: r).contains("backward(seed:): the seed has shape [2] but the tensor has shape [3]"))
  }

  @Test func nonScalarWithoutSeed() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
      (x * 2).backward()
    }
    #expect(Self.stderr(of: r).contains("backward: the tensor has shape [3]; a non-scalar needs backward(seed:)"))
  }

  @Test func noPathToGradient() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      Tensor<Double>([1, 2]).sum().backward()
    }
    #expect(Self.stderr(of: r).contains("backward: the tensor of shape [] does not require gradients"))
  }

  @Test func nonFiniteSeed() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor<Double>([1, 2], requiresGrad: true)
      (x * 2).backward(seed: Tensor([1, .nan]))
    }
    #expect(Self.stderr(of: r).contains("backward(seed:): the seed is not finite (nan at element 1 of shape [2])"))
  }

  @Test func secondBackwardThroughConsumedGraph() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor(2.0, requiresGrad: true)
      let y = x * x
      y.backward()
      y.backward()
    }
    #expect(Self.stderr(of: r).contains("backward: the graph through MulBackward was already consumed"))
  }

  @Test func consumedGraphReachedFromNewResult() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor<Double>([1, 2], requiresGrad: true)
      let y = sin(x)
      y.sum().backward()
      (y * 3).sum().backward()
    }
    #expect(Self.stderr(of: r).contains("the graph through SinBackward was already consumed"))
  }

  /// On one thread, a result kept from a graph that a backward pass consumed,
  /// combined with a new result of the same leaves (which a new tape
  /// records): the combination records (the new tape links the old one), and
  /// a backward pass through it stops at the consumed operation, as PyTorch
  /// does; one that does not reach it runs.
  @Test func resultOfAConsumedGraphCombinedWithANewGraph() async {
    let x = Tensor(1.0, requiresGrad: true)
    let kept = x * 2
    kept.backward()
    let fresh = x * 3
    #expect((kept + fresh).scalar == 5)
    let both = kept.detached() + fresh
    x.grad = nil
    both.backward()
    #expect(x.grad?.scalar == 3)
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor(1.0, requiresGrad: true)
      let a = x * 2
      a.backward()
      (a + x * 3).backward()
    }
    #expect(Self.stderr(of: r).contains("backward: the graph through MulBackward was already consumed"))
  }

  @Test func initCountMismatch() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>([1, 2, 3], shape: [2, 2])
    }
    #expect(Self.stderr(of: r).contains("Tensor.init: 3 scalars do not fill shape [2, 2]"))
  }

  @Test func indexOutOfRange() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>([1, 2, 3])[3]
    }
    #expect(Self.stderr(of: r).contains("Tensor subscript: index 3 is out of range for shape [3]"))
  }

  @Test func vjpOfNonScalarOutput() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor<Double>([1, 2], requiresGrad: true)
      _ = Tensor.vectorJacobianProducts(of: [x * 2], wrt: [x], cotangents: [[1]])
    }
    #expect(Self.stderr(of: r).contains("vectorJacobianProducts: output 0 has shape [2]; outputs must be 0-d"))
  }
}

@Suite("Tensor: shapes whose element count overflows")
struct ShapeOverflowTests {
  static func stderr(of result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
  }

  @Test func zerosOfAShapeThatOverflows() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([100_000, 100_000, 100_000, 100_000])
    }
    #expect(Self.stderr(of: r).contains("the shape [100000, 100000, 100000, 100000] has more elements than Int can count"))
  }

  @Test func reshapeToAShapeThatOverflows() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>([1, 2, 3, 4]).reshaped(to: [1 << 32, 1 << 32, -1])
    }
    #expect(Self.stderr(of: r).contains("Tensor.reshaped(to:): the shape [4294967296, 4294967296] has more elements than Int can count"))
    let plain = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>([1, 2, 3, 4]).reshaped(to: [1 << 32, 1 << 32])
    }
    #expect(Self.stderr(of: plain).contains("Tensor.reshaped(to:): the shape [4294967296, 4294967296] has more elements than Int can count"))
  }

  @Test func aZeroExtentAfterAnOverflowingPrefixIsEmpty() {
    #expect(Tensor<Double>.zeros([1 << 32, 1 << 32, 0]).scalarCount == 0)
  }

  @Test func meanOfAnEmptyTensorIsNaN() {
    let x = Tensor<Double>([], shape: [0], requiresGrad: true)
    let m = x.mean()
    #expect(m.scalar.isNaN)
    m.backward()
    #expect(x.grad?.scalarCount == 0)
  }
}
