import Leibniz
import Testing
import _LeibnizTestSupport

/// logSoftmax at inputs around 1000, where exp overflows (in Float already
/// at 89): it must equal logSoftmax of the same inputs shifted to 0, since
/// shifting a slice leaves it unchanged, within the scalar's roundoff.
private func checkLargeInputs<T: DifferentiableScalar>(
  _: T.Type, tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
  let offsets: [Double] = [0, 1, 2, 0.5, 0, -3]
  let large = Tensor<T>(offsets.map { T(1000 + $0) }, shape: [2, 3]).logSoftmax()
  let small = Tensor<T>(offsets.map { T($0) }, shape: [2, 3]).logSoftmax()
  for (a, b) in zip(large.scalars, small.scalars) {
    #expect(a.primalDouble.isFinite, sourceLocation: sourceLocation)
    #expect(isClose(a.primalDouble, b.primalDouble, tolerance: tolerance), sourceLocation: sourceLocation)
  }
  let pair = Tensor<T>([T(1000), T(1000)]).logSoftmax().scalars
  for v in pair {
    #expect(isClose(v.primalDouble, -Double.log(2), tolerance: tolerance), sourceLocation: sourceLocation)
  }
}

@Suite("Tensor: logSoftmax")
struct LogSoftmaxTests {
  // MARK: Edge cases

  @Test func zeroDimensionalAndEmpty() {
    #expect(Tensor<Double>(3).logSoftmax().scalar == 0)
    let x = Tensor<Double>(3, requiresGrad: true)
    x.logSoftmax().backward()
    #expect(x.grad!.scalar == 0)
    #expect(Tensor<Double>.zeros([2, 0]).logSoftmax().shape == [2, 0])
    #expect(Tensor<Double>([5]).logSoftmax().scalars == [0])
  }

  @Test func infiniteAndNaNInputs() {
    // As softmax and PyTorch: −∞ beside finite values gives −∞; a slice with
    // +∞, NaN or only −∞ gives NaN throughout; other slices are unaffected.
    let rows = Tensor<Double>([-.infinity, 0, .infinity, 0, .nan, 0, -.infinity, -.infinity, 1, 1], shape: [5, 2])
    let y = rows.logSoftmax().scalars
    #expect(y[0] == -.infinity && y[1] == 0)
    #expect(y[2..<8].allSatisfy { $0.isNaN })
    #expect(isClose(y[8], -log(2.0), tolerance: Tolerance.roundoff) && y[8] == y[9])
  }

  // MARK: Known values

  @Test func values() {
    let y = Tensor<Double>([0, 0]).logSoftmax().scalars
    #expect(y.allSatisfy { isClose($0, -log(2.0), tolerance: Tolerance.roundoff) })
    // [0, log 3] → softmax [1/4, 3/4].
    let z = Tensor<Double>([0, log(3.0)]).logSoftmax().scalars
    #expect(isClose(z[0], log(0.25), tolerance: Tolerance.roundoff))
    #expect(isClose(z[1], log(0.75), tolerance: Tolerance.roundoff))
    let columns = Tensor<Double>([0, 5, log(3.0), 5], shape: [2, 2]).logSoftmax(alongAxis: 0).scalars
    #expect(isClose(columns[0], log(0.25), tolerance: Tolerance.roundoff))
    #expect(isClose(columns[1], -log(2.0), tolerance: Tolerance.roundoff))
    #expect(isClose(columns[2], log(0.75), tolerance: Tolerance.roundoff))
  }

  @Test func stableAtLargeInputs() {
    checkLargeInputs(Double.self, tolerance: Tolerance.roundoff)
    checkLargeInputs(Float.self, tolerance: Tolerance.floatRoundoff)
    // The gradient stays finite there too: Σ logSoftmax has gradient 1 − n·softmax.
    let x = Tensor<Double>([1000, 1000, 1000, 1000], requiresGrad: true)
    x.logSoftmax().sum().backward()
    #expect(x.grad!.scalars.allSatisfy { isClose($0, 0, tolerance: Tolerance.roundoff) })
  }

  @Test func equalsLogOfSoftmaxOnRandomShapes() {
    var rng = SeededRandom(seed: 81)
    for _ in 0..<20 {
      let shape = randomShape(rank: Int.random(in: 1...4, using: &rng), using: &rng)
      let axis = Int.random(in: -shape.count..<shape.count, using: &rng)
      let x = Tensor<Double>.randomUniform(shape, in: -5...5, using: &rng)
      let y = x.logSoftmax(alongAxis: axis)
      let reference = Tensor.log(x.softmax(alongAxis: axis))
      #expect(y.shape == shape)
      for (a, b) in zip(y.scalars, reference.scalars) {
        #expect(isClose(a, b, tolerance: Tolerance.roundoff))
      }
    }
  }

  // MARK: Gradients

  @Test func handComputedGradient() {
    // ∂ logSoftmax(x)₀ / ∂x = e₀ − softmax(x); at x = [0, log 3]: [3/4, −3/4].
    let x = Tensor<Double>([0, log(3.0)], requiresGrad: true)
    x.logSoftmax().backward(seed: [1, 0])
    #expect(isClose(x.grad!.scalars[0], 0.75, tolerance: Tolerance.roundoff))
    #expect(isClose(x.grad!.scalars[1], -0.75, tolerance: Tolerance.roundoff))
  }

  @Test func gradientsByFiniteDifferencesOnRandomShapes() {
    var rng = SeededRandom(seed: 82)
    for trial in 0..<8 {
      let shape = randomShape(rank: Int.random(in: 1...3, using: &rng), extents: 1...3, using: &rng)
      let axis = Int.random(in: -shape.count..<shape.count, using: &rng)
      checkGradients(shapes: [shape], range: -3...3, seed: UInt64(800 + trial)) { $0[0].logSoftmax(alongAxis: axis) }
    }
  }

  @Test func gradientAgreesWithLogOfSoftmax() {
    var rng = SeededRandom(seed: 83)
    let x = Tensor<Double>.randomUniform([3, 4], in: -2...2, requiresGrad: true, using: &rng)
    let w = Tensor<Double>.randomUniform([3, 4], in: 0.5...1.5, using: &rng)
    for axis in [0, 1, -1] {
      let direct = gradients(of: (x.logSoftmax(alongAxis: axis) * w).sum(), wrt: [x])[0]
      let composed = gradients(of: (Tensor.log(x.softmax(alongAxis: axis)) * w).sum(), wrt: [x])[0]
      for (a, b) in zip(direct.scalars, composed.scalars) {
        #expect(isClose(a, b, tolerance: Tolerance.roundoff))
      }
    }
  }

  // MARK: Errors

  @Test func axisOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).logSoftmax(alongAxis: 2)
    }
    let message = String(decoding: r?.standardErrorContent ?? [], as: UTF8.self) as String
    #expect(message.contains("Tensor.logSoftmax(alongAxis:): axis 2 is out of range for shape [2, 3]"))
  }
}
