import Leibniz
import Testing
import _LeibnizTestSupport

/// A random shape of rank `rank` with extents in `extents`.
private func randomShape(rank: Int, extents: ClosedRange<Int> = 1...4, using g: inout SeededRandom) -> [Int] {
  (0..<rank).map { _ in Int.random(in: extents, using: &g) }
}

/// The permutation that moves axis `ax` to the front, keeping the others in
/// order, and its inverse.
private func moveToFront(_ ax: Int, rank: Int) -> (forward: [Int], inverse: [Int]) {
  let forward = [ax] + (0..<rank).filter { $0 != ax }
  var inverse = forward
  for (i, p) in forward.enumerated() { inverse[p] = i }
  return (forward, inverse)
}

/// The error output of an exit test.
private func errorOutput(of result: ExitTest.Result?) -> String {
  String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}

/// Values and gradients of `f` and `g` at the same random input with the same
/// random cotangent: they must agree within roundoff (a new operation
/// against a composition of existing ones).
private func expectSameValuesAndGradients(
  shape: [Int], seed: UInt64, _ f: (Tensor<Double>) -> Tensor<Double>, _ g: (Tensor<Double>) -> Tensor<Double>,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  var rng = SeededRandom(seed: seed)
  let x = Tensor<Double>.randomUniform(shape, in: -1...1, requiresGrad: true, using: &rng)
  let (fx, gx) = (f(x), g(x))
  #expect(fx.shape == gx.shape, sourceLocation: sourceLocation)
  #expect(fx.scalars == gx.scalars, sourceLocation: sourceLocation)
  let w = Tensor<Double>.randomUniform(fx.shape, in: 0.5...1.5, using: &rng)
  let df = gradients(of: (fx * w).sum(), wrt: [x])[0]
  let dg = gradients(of: (gx * w).sum(), wrt: [x])[0]
  #expect(df.shape == shape, sourceLocation: sourceLocation)
  for (a, b) in zip(df.scalars, dg.scalars) {
    #expect(isClose(a, b, tolerance: Tolerance.roundoff), sourceLocation: sourceLocation)
  }
}

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

// MARK: - where and clamp

@Suite("Tensor: where and clamp")
struct TensorWhereAndClampTests {
  @Test func whereValuesAndBroadcasting() {
    let a = Tensor<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let chosen = Tensor.where([true, false, true, false, true, false], a, Tensor(0))
    #expect(chosen.shape == [2, 3] && chosen.scalars == [1, 0, 3, 0, 5, 0])
    let rows = Tensor.where([true, false, false, true], Tensor<Double>([1, 2], shape: [2, 1]), Tensor([10, 20]))
    #expect(rows.shape == [2, 2] && rows.scalars == [1, 20, 10, 2])
    #expect(Tensor.where([false], Tensor<Double>(1), Tensor(2)).shape == [])
    #expect(Tensor.where([false], Tensor<Double>(1), Tensor(2)).scalar == 2)
    #expect(Tensor.where([], Tensor<Double>.zeros([0]), Tensor(2)).shape == [0])
  }

  @Test func whereGradientGoesToTheChosenOperand() {
    let a = Tensor<Double>([1, 2, 3], requiresGrad: true)
    let b = Tensor<Double>([10, 20, 30], requiresGrad: true)
    (Tensor.where([true, false, true], a, b) * Tensor([1, 2, 3])).sum().backward()
    #expect(a.grad!.scalars == [1, 0, 3])
    #expect(b.grad!.scalars == [0, 2, 0])
    // A broadcast operand gets the chosen gradients summed.
    let s = Tensor<Double>(5, requiresGrad: true)
    Tensor.where([true, false, true], s, b.detached()).sum().backward()
    #expect(s.grad!.scalar == 2)
    // The operand not chosen gets exactly 0, even where a value on the path is infinite.
    let x = Tensor<Double>([0, 1], requiresGrad: true)
    let y = Tensor.where([false, true], Tensor.log(x), x)   // log 0 = −∞ is not chosen
    y.sum().backward()
    #expect(y.scalars == [0, 0])
    #expect(x.grad!.scalars == [1, 1])
  }

  @Test func whereGradientsByFiniteDifferences() {
    var rng = SeededRandom(seed: 61)
    // The operands' shapes and their broadcast shape.
    for (sa, sb, out) in [([2, 3], [2, 3], [2, 3]), ([2, 3], [3], [2, 3]), ([2, 1], [1, 3], [2, 3]), ([], [4], [4])] {
      let mask = (0..<out.reduce(1, *)).map { _ in Bool.random(using: &rng) }
      checkGradients(shapes: [sa, sb], seed: 62) { Tensor.where(mask, $0[0], $0[1]) * $0[0] }
    }
  }

  @Test func clampValuesAndGradientIncludingTheBounds() {
    let x = Tensor<Double>([-2, -1, 0, 1, 2, .nan], requiresGrad: true)
    let y = x.clamped(min: -1, max: 1)
    #expect(Array(y.scalars[0..<5]) == [-1, -1, 0, 1, 1] && y.scalars[5].isNaN)
    y.sum().backward()
    // 1 on the closed interval (as PyTorch), 0 outside and at NaN.
    #expect(x.grad!.scalars == [0, 1, 1, 1, 0, 0])
    #expect(Tensor<Double>([-2, 3]).clamped(min: 0).scalars == [0, 3])
    #expect(Tensor<Double>([-2, 3]).clamped(max: 0).scalars == [-2, 0])
    #expect(Tensor<Double>([-2, 0.5, 3]).clamped(to: -1...1).scalars == [-1, 0.5, 1])
    #expect(Tensor<Float>([-2, 0.5, 3]).clamped(to: -1...1).scalars == [-1, 0.5, 1])
    #expect(Tensor<Double>(5).clamped(to: 0...0).scalar == 0)
  }

  @Test func clampGradientOnEveryRecordingPath() {
    // 0-d, small vectors (element by element) and large tensors (one node).
    for count in [0, 3, 1000] {
      let values = count == 0 ? [0.5] : (0..<count).map { Double($0 % 5) - 2 }   // -2 … 2
      let x = Tensor<Double>(values, shape: count == 0 ? [] : [count], requiresGrad: true)
      x.clamped(min: -1, max: 1).sum().backward()
      let expected = values.map { $0 >= -1 && $0 <= 1 ? 1.0 : 0 }
      let got = x.grad!.scalars
      let firstWrong = got.indices.first { got[$0] != expected[$0] }
      #expect(firstWrong == nil, "count \(count): gradient \(got[firstWrong ?? 0]) at element \(firstWrong ?? 0)")
    }
    let f = Tensor<Float>([-1, 1, 2], requiresGrad: true)
    f.clamped(max: 1).sum().backward()
    #expect(f.grad!.scalars == [1, 1, 0])
  }

  @Test func clampAgreesWithMaximumAndMinimumAwayFromTheBounds() {
    var rng = SeededRandom(seed: 63)
    for trial in 0..<10 {
      let shape = randomShape(rank: Int.random(in: 0...3, using: &rng), using: &rng)
      let lo = Double.random(in: -0.6 ... -0.1, using: &rng), hi = Double.random(in: 0.1...0.6, using: &rng)
      expectSameValuesAndGradients(shape: shape, seed: UInt64(700 + trial)) {
        $0.clamped(min: lo, max: hi)
      } _: {
        Tensor.minimum(Tensor.maximum($0, Tensor(lo)), Tensor(hi))
      }
      // The same clamp as a choice between x and its limit.
      expectSameValuesAndGradients(shape: shape, seed: UInt64(700 + trial)) {
        $0.clamped(min: lo)
      } _: { x in
        Tensor.where(x.scalars.map { $0 >= lo }, x, Tensor.full(lo, shape: x.shape))
      }
    }
  }

  @Test func clampGradientsByFiniteDifferences() {
    // The seeded inputs stay more than a finite-difference step from ±0.5.
    checkGradients(shapes: [[3, 4]], seed: 64) { $0[0].clamped(min: -0.5, max: 0.5) * $0[0] }
    checkGradients(shapes: [[5]], seed: 65) { $0[0].clamped(to: -0.5...0.5) }
  }

  // MARK: Errors

  @Test func whereConditionOfTheWrongCountStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.where([true, false], Tensor<Double>.zeros([2, 3]), Tensor.zeros([3]))
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.where: the condition has 2 elements, but shapes [2, 3] and [3] broadcast to [2, 3] (6 elements)"))
  }

  @Test func whereShapesThatDoNotBroadcastStop() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.where([true], Tensor<Double>.zeros([2, 3]), Tensor.zeros([2]))
    }
    #expect(errorOutput(of: r).contains("Tensor.where: shapes [2, 3] and [2] cannot be broadcast together"))
  }

  @Test func clampWithMinAboveMaxStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2]).clamped(min: 1, max: 0)
    }
    #expect(errorOutput(of: r).contains(
      "Tensor.clamped(min:max:): the bounds (min 1.0, max 0.0) must not be NaN and min must not exceed max (shape [2])"))
  }

  @Test func clampWithANaNBoundStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2]).clamped(max: .nan)
    }
    #expect(errorOutput(of: r).contains("Tensor.clamped(max:): the bounds (max nan) must not be NaN"))
  }
}

// MARK: - argmax and argmin

@Suite("Tensor: argmax and argmin")
struct TensorArgExtremumTests {
  @Test func edgeCases() {
    #expect(Tensor<Double>(3).argmax() == 0 && Tensor<Double>(3).argmin() == 0)
    #expect(Tensor<Double>([4]).argmax(alongAxis: 0) == [0])
    #expect(Tensor<Double>.zeros([0, 3]).argmax(alongAxis: 1) == [])
  }

  @Test func values() {
    let m: Tensor<Double> = [[1, 5, 3], [7, 2, 7]]
    #expect(m.argmax() == 3 && m.argmin() == 0)
    #expect(m.argmax(alongAxis: 1) == [1, 0])
    #expect(m.argmax(alongAxis: 0) == [1, 0, 1])
    #expect(m.argmin(alongAxis: -1) == [0, 1])
    #expect(m.argmin(alongAxis: -2) == [0, 1, 0])
    #expect(Tensor<Float>([2, 9, 9, 1]).argmax() == 1)   // the first at a tie
    #expect(Tensor<Float>([2, 1, 1, 9]).argmin() == 1)
  }

  @Test func nanCountsAsTheExtremum() {
    // As PyTorch: the first NaN, for argmax and argmin alike.
    let x = Tensor<Double>([1, .nan, 3, .nan])
    #expect(x.argmax() == 1 && x.argmin() == 1)
    let m = Tensor<Double>([5, .nan, 1, 2], shape: [2, 2])
    #expect(m.argmax(alongAxis: 1) == [1, 1] && m.argmin(alongAxis: 1) == [1, 0])
    #expect(m.argmax(alongAxis: 0) == [0, 0] && m.argmin(alongAxis: 0) == [1, 0])
  }

  @Test func agreeWithMaxAndMinOnRandomShapes() {
    var rng = SeededRandom(seed: 71)
    for _ in 0..<30 {
      let shape = randomShape(rank: Int.random(in: 1...4, using: &rng), using: &rng)
      // Few distinct values, so ties are common.
      let x = Tensor<Double>((0..<shape.reduce(1, *)).map { _ in Double(Int.random(in: 0..<4, using: &rng)) }, shape: shape)
      let axis = Int.random(in: -shape.count..<shape.count, using: &rng)
      for isMax in [true, false] {
        let indices = isMax ? x.argmax(alongAxis: axis) : x.argmin(alongAxis: axis)
        let extrema = isMax ? x.max(alongAxes: [axis]) : x.min(alongAxes: [axis])
        #expect(indices.count == extrema.scalarCount)
        // The element at each index is the extremum, and no earlier one is.
        let moved = x.transposed(permutation: moveToFront(axis < 0 ? axis + shape.count : axis, rank: shape.count).forward)
        let columns = moved.reshaped(to: [moved.shape[0], -1])
        let best = extrema.scalars
        for (j, k) in indices.enumerated() {
          let column = columns.selecting(index: j, alongAxis: 1).scalars
          #expect(column[k] == best[j])
          #expect(!column[..<k].contains(best[j]))
        }
        let flat = isMax ? x.argmax() : x.argmin()
        #expect(x.scalars[flat] == (isMax ? x.max() : x.min()).scalar)
        #expect(!x.scalars[..<flat].contains(x.scalars[flat]))
      }
    }
  }

  // MARK: Errors

  @Test func argmaxOfAnEmptyTensorStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([0]).argmax()
    }
    #expect(errorOutput(of: r).contains("Tensor.argmax(): empty tensor of shape [0]"))
  }

  @Test func argminAlongAnEmptyAxisStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 0]).argmin(alongAxis: 1)
    }
    #expect(errorOutput(of: r).contains("Tensor.argmin(alongAxis:): axis 1 of shape [2, 0] has extent 0"))
  }

  @Test func argmaxAlongAnAxisOutOfRangeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).argmax(alongAxis: -3)
    }
    #expect(errorOutput(of: r).contains("Tensor.argmax(alongAxis:): axis -3 is out of range for shape [2, 3]"))
  }
}
