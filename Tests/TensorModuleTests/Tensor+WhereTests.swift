import Leibniz
import Testing
import _LeibnizTestSupport

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
    #expect(y.gradFunction == "ClampBackward")
    #expect(x.clamped(min: 0).gradFunction == "ClampBackward" && x.clamped(max: 0).gradFunction == "ClampBackward")
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
