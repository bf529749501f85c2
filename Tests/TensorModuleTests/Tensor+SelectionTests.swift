import Leibniz
import Testing
import _LeibnizTestSupport

// MARK: - Along an axis

@Suite("Tensor: selecting and slicing along an axis")
struct TensorSelectionAlongAxisTests {
  @Test func edgeCases() {
    let v = Tensor<Double>([7, 8, 9])
    #expect(v.selecting(index: 1, alongAxis: 0).shape == [])
    #expect(v.selecting(index: 1, alongAxis: 0).scalar == 8)
    #expect(v.slicing(1..<1, alongAxis: 0).shape == [0])
    #expect(v.slicing(0..<3, alongAxis: -1).scalars == [7, 8, 9])
    let m = Tensor<Double>.zeros([2, 0])
    #expect(m.selecting(index: 1, alongAxis: 0).shape == [0])
    #expect(m.slicing(0..<0, alongAxis: 1).shape == [2, 0])
  }

  @Test func values() {
    // t[i][j][k] = 100i + 10j + k.
    var elements: [Double] = []
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { elements.append(Double(100 * i + 10 * j + k)) } } }
    let t = Tensor<Double>(elements, shape: [2, 3, 4])
    let s1 = t.selecting(index: 2, alongAxis: 1)
    #expect(s1.shape == [2, 4] && s1.scalars == [20, 21, 22, 23, 120, 121, 122, 123])
    let s2 = t.selecting(index: -1, alongAxis: -1)
    #expect(s2.shape == [2, 3] && s2.scalars == [3, 13, 23, 103, 113, 123])
    #expect(t.selecting(index: 1, alongAxis: 0).scalars == t[1].scalars)
    let r = t.slicing(1..<3, alongAxis: 2)
    #expect(r.shape == [2, 3, 2] && r.scalars == [1, 2, 11, 12, 21, 22, 101, 102, 111, 112, 121, 122])
    #expect(t.slicing(0..<1, alongAxis: -3).scalars == t[0..<1].scalars)
    // Range expressions, resolved against the axis' extent.
    #expect(t.slicing(2..., alongAxis: 2).scalars == t.slicing(2..<4, alongAxis: 2).scalars)
    #expect(t.slicing(..<2, alongAxis: 1).scalars == t.slicing(0..<2, alongAxis: 1).scalars)
    #expect(t.slicing(1...2, alongAxis: 1).scalars == t.slicing(1..<3, alongAxis: 1).scalars)
    #expect(t.slicing(...0, alongAxis: 0).shape == [1, 3, 4])
  }

  @Test func handComputedGradients() {
    let m = Tensor<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3], requiresGrad: true)
    // d/dm Σ m[:, 1]² = 2·m at column 1, 0 elsewhere.
    m.selecting(index: 1, alongAxis: 1).squared().sum().backward()
    #expect(m.grad!.scalars == [0, 4, 0, 0, 10, 0])
    m.zeroGrad()
    // d/dm Σ w ⊙ m[:, 1:3] = w scattered into columns 1 and 2.
    (m.slicing(1..<3, alongAxis: 1) * Tensor([10, 20, 30, 40], shape: [2, 2])).sum().backward()
    #expect(m.grad!.scalars == [0, 10, 20, 0, 30, 40])
    #expect(m.selecting(index: 0, alongAxis: 1).gradFunction == "IndexBackward")
    #expect(m.slicing(0..<1, alongAxis: 1).gradFunction == "SliceBackward")
  }

  @Test func agreeWithTransposeAndFirstAxisIndexingOnRandomShapes() {
    var rng = SeededRandom(seed: 51)
    for trial in 0..<30 {
      let shape = randomShape(rank: Int.random(in: 1...4, using: &rng), using: &rng)
      let axis = Int.random(in: -shape.count..<shape.count, using: &rng)
      let ax = axis < 0 ? axis + shape.count : axis
      let (forward, inverse) = moveToFront(ax, rank: shape.count)
      let index = Int.random(in: -shape[ax]..<shape[ax], using: &rng)
      let lower = Int.random(in: 0...shape[ax], using: &rng)
      let upper = Int.random(in: lower...shape[ax], using: &rng)
      let seed = UInt64(500 + trial)
      expectSameValuesAndGradients(shape: shape, seed: seed) {
        $0.selecting(index: index, alongAxis: axis)
      } _: {
        $0.transposed(permutation: forward)[index]
      }
      expectSameValuesAndGradients(shape: shape, seed: seed) {
        $0.slicing(lower..<upper, alongAxis: axis)
      } _: {
        $0.transposed(permutation: forward)[lower..<upper].transposed(permutation: inverse)
      }
    }
  }

  @Test func gradientsByFiniteDifferencesOnRandomShapes() {
    var rng = SeededRandom(seed: 52)
    for trial in 0..<6 {
      let shape = randomShape(rank: Int.random(in: 1...3, using: &rng), extents: 1...3, using: &rng)
      let axis = Int.random(in: -shape.count..<shape.count, using: &rng)
      let extent = shape[axis < 0 ? axis + shape.count : axis]
      let index = Int.random(in: 0..<extent, using: &rng)
      let seed = UInt64(600 + trial)
      checkGradients(shapes: [shape], seed: seed) { $0[0].selecting(index: index, alongAxis: axis).squared() }
      checkGradients(shapes: [shape], seed: seed) { Tensor.exp($0[0].slicing(index..., alongAxis: axis)) }
    }
  }

  // MARK: Errors

  @Test func indexOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).selecting(index: 3, alongAxis: 1)
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.selecting(index:alongAxis:): index 3 is out of range for axis 1 of shape [2, 3]"))
  }

  @Test func axisOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).selecting(index: 0, alongAxis: 2)
    }
    #expect(errorOutput(of: r).contains("Tensor.selecting(index:alongAxis:): axis 2 is out of range for shape [2, 3]"))
  }

  @Test func rangeOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).slicing(1..<4, alongAxis: -1)
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.slicing(_:alongAxis:): range 1..<4 is out of range for axis -1 of shape [2, 3]"))
  }

  @Test func rangeExpressionOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).slicing(4..., alongAxis: 1)
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.slicing(_:alongAxis:): range 4... is out of range for axis 1 of shape [2, 3]"))
  }
}
