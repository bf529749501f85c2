import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: shape operations")
struct TensorShapeTests {
  @Test func values() {
    let m: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
    #expect(m.transposed().scalars == [1, 4, 2, 5, 3, 6])
    #expect(m.transposed().shape == [3, 2])
    #expect(m.reshaped(to: [3, -1]).shape == [3, 2])
    #expect(m[1].scalars == [4, 5, 6])
    #expect(m[-1][0].scalar == 4)
    #expect(m[0..<1].shape == [1, 3])
    let c = Tensor(concatenating: [m, m], alongAxis: 1)
    #expect(c.shape == [2, 6])
    #expect(c.scalars == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
    let s = Tensor(stacking: [Tensor<Double>([1, 2]), Tensor([3, 4])], alongAxis: 1)
    #expect(s.shape == [2, 2] && s.scalars == [1, 3, 2, 4])
    #expect(Tensor<Double>([1, 2]).broadcasted(to: [2, 2]).scalars == [1, 2, 1, 2])
    let t = Tensor<Double>((0..<24).map(Double.init), shape: [2, 3, 4]).transposed(permutation: [2, 0, 1])
    #expect(t.shape == [4, 2, 3])
    #expect(t[1][1][2].scalar == 21)  // original [1][2][1]
  }

  @Test func gradientsByFiniteDifferences() {
    checkGradients(shapes: [[2, 3]]) { $0[0].transposed() }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].transposed(permutation: [1, 2, 0]) }
    checkGradients(shapes: [[2, 3]]) { $0[0].reshaped(to: [3, 2]) }
    checkGradients(shapes: [[3, 2]]) { $0[0][1] }
    checkGradients(shapes: [[4, 2]]) { $0[0][1..<3] }
    checkGradients(shapes: [[2, 3], [2, 1]]) { Tensor(concatenating: [$0[0], $0[1]], alongAxis: 1) }
    checkGradients(shapes: [[2, 3], [2, 3]]) { Tensor(stacking: [$0[0], $0[1]], alongAxis: 1) }
    checkGradients(shapes: [[3]]) { $0[0].broadcasted(to: [2, 3]) }
  }

  @Test func literalsAndScalars() {
    let v: Tensor<Double> = [1, 2, 3]
    #expect(v.shape == [3])
    let s: Tensor<Double> = 2.5
    #expect(s.shape == [] && s.scalar == 2.5)
    #expect(Tensor<Double>(4).scalars == [4])
    #expect(Tensor<Double>.full(7, shape: [2]).scalars == [7, 7])
    #expect(Tensor<Double>.randomUniform([4], seed: 9).scalars == Tensor<Double>.randomUniform([4], seed: 9).scalars)
    #expect(Tensor<Double>.randomNormal([5], seed: 9).scalars.count == 5)
    #expect("\(Tensor<Double>([[1, 2], [3, 4]]))" == "[[1.0, 2.0], [3.0, 4.0]]")
  }

  @Test func valueSemantics() {
    let a = Tensor<Double>([1, 2, 3])
    var b = a
    b += 1
    #expect(a.scalars == [1, 2, 3])
    #expect(b.scalars == [2, 3, 4])
  }
}

@Suite("Tensor: indexing by several indices")
struct TensorMultiIndexTests {
  @Test func valuesAndGradient() {
    let m = Tensor<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3], requiresGrad: true)
    #expect(m[1, 0].scalar == 4)
    #expect(m[-1, -1].scalar == 6)
    #expect(m[0, 2].shape == [])
    // d/dm (m[1, 2]² + m[0, 0]) = 2·6 at [1, 2] and 1 at [0, 0].
    (m[1, 2] * m[1, 2] + m[0, 0]).backward()
    #expect(m.grad!.scalars == [1, 0, 0, 0, 0, 12])
    let t = Tensor<Double>((0..<24).map(Double.init), shape: [2, 3, 4])
    #expect(t[1, 2].scalars == [20, 21, 22, 23])
    #expect(t[1, 2, 3].scalar == 23)
  }

  @Test func outOfRangeStopsWithTheWholeShape() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>([1, 2, 3, 4], shape: [2, 2])[1, 2]
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("Tensor subscript: index 2 is out of range for axis 1 of shape [2, 2]"))
  }
}
