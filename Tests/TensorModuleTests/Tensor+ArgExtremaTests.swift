import Leibniz
import Testing
import _LeibnizTestSupport

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
