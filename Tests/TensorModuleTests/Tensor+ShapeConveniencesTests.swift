import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: flatten, squeeze, unsqueeze")
struct TensorShapeConveniencesTests {
  // MARK: Edge cases

  @Test func zeroDimensionalAndEmpty() {
    let s = Tensor<Double>(3)
    #expect(s.flattened().shape == [1] && s.flattened().scalars == [3])
    #expect(s.squeezed().shape == [])
    #expect(s.unsqueezed(axis: 0).shape == [1])
    #expect(s.unsqueezed(axis: -1).shape == [1])
    let e = Tensor<Double>.zeros([0, 3])
    #expect(e.flattened().shape == [0])
    #expect(e.unsqueezed(axis: 1).shape == [0, 1, 3])
    #expect(Tensor<Double>.zeros([1, 1]).squeezed().shape == [])
  }

  // MARK: Known values

  @Test func values() {
    let m = Tensor<Double>([1, 2, 3, 4, 5, 6], shape: [1, 2, 1, 3])
    #expect(m.flattened().shape == [6] && m.flattened().scalars == [1, 2, 3, 4, 5, 6])
    #expect(m.squeezed().shape == [2, 3] && m.squeezed().scalars == m.scalars)
    #expect(m.squeezed(axis: 0).shape == [2, 1, 3])
    #expect(m.squeezed(axis: 2).shape == [1, 2, 3])
    #expect(m.squeezed(axis: -2).shape == [1, 2, 3])
    let v = Tensor<Double>([1, 2, 3])
    #expect(v.unsqueezed(axis: 0).shape == [1, 3])
    #expect(v.unsqueezed(axis: 1).shape == [3, 1])
    #expect(v.unsqueezed(axis: -1).shape == [3, 1])
    #expect(v.unsqueezed(axis: -2).shape == [1, 3])
    let t = Tensor<Double>.zeros([2, 3])
    #expect(t.unsqueezed(axis: 1).shape == [2, 1, 3])
    #expect(t.unsqueezed(axis: -2).shape == [2, 1, 3])
    #expect(t.unsqueezed(axis: 2).shape == [2, 3, 1])
    #expect(t.unsqueezed(axis: -3).shape == [1, 2, 3])
  }

  @Test func unsqueezeThenSqueezeIsTheIdentity() {
    var rng = SeededRandom(seed: 41)
    for _ in 0..<20 {
      let shape = randomShape(rank: Int.random(in: 0...4, using: &rng), using: &rng)
      let x = Tensor<Double>.randomUniform(shape, using: &rng)
      let axis = Int.random(in: -(shape.count + 1)...shape.count, using: &rng)
      let u = x.unsqueezed(axis: axis)
      let position = axis < 0 ? axis + shape.count + 1 : axis
      #expect(u.shape[position] == 1 && u.rank == x.rank + 1)
      #expect(u.squeezed(axis: position).shape == shape)
      #expect(u.squeezed(axis: position).scalars == x.scalars)
    }
  }

  // MARK: Gradients

  @Test func handComputedGradient() {
    // d/dx Σ wᵢ·flat(x)ᵢ = w reshaped to x's shape.
    let x = Tensor<Double>([1, 2, 3, 4], shape: [2, 1, 2], requiresGrad: true)
    (x.flattened() * Tensor([1, 2, 3, 4])).sum().backward()
    #expect(x.grad!.shape == [2, 1, 2] && x.grad!.scalars == [1, 2, 3, 4])
    let y = Tensor<Double>([5, 6], requiresGrad: true)
    (y.unsqueezed(axis: 0).squeezed() * y.unsqueezed(axis: -1).squeezed(axis: 1)).sum().backward()
    #expect(y.grad!.scalars == [10, 12])
  }

  @Test func gradientsByFiniteDifferencesOnRandomShapes() {
    var rng = SeededRandom(seed: 42)
    for trial in 0..<8 {
      var shape = randomShape(rank: Int.random(in: 1...3, using: &rng), extents: 1...3, using: &rng)
      let ones = Int.random(in: 0...shape.count, using: &rng)
      shape.insert(1, at: ones)
      let axis = Int.random(in: -(shape.count + 1)...shape.count, using: &rng)
      let seed = UInt64(100 + trial)
      checkGradients(shapes: [shape], seed: seed) { $0[0].flattened() }
      checkGradients(shapes: [shape], seed: seed) { $0[0].squeezed() }
      checkGradients(shapes: [shape], seed: seed) { $0[0].squeezed(axis: ones) }
      checkGradients(shapes: [shape], seed: seed) { $0[0].unsqueezed(axis: axis) * $0[0].unsqueezed(axis: axis) }
    }
  }

  // MARK: Errors

  @Test func squeezingAnAxisOfExtentOtherThanOneStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).squeezed(axis: 1)
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.squeezed(axis:): axis 1 of shape [2, 3] has extent 3, not 1"))
  }

  @Test func squeezingAnAxisOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 1]).squeezed(axis: -3)
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.squeezed(axis:): axis -3 is out of range for shape [2, 1]"))
  }

  @Test func unsqueezingAnAxisOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).unsqueezed(axis: 3)
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.unsqueezed(axis:): axis 3 is out of range for shape [2, 3] (the axis must be in -3...2)"))
  }
}
