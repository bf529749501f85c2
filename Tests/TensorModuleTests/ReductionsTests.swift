import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: reductions")
struct ReductionsTests {
  @Test func values() {
    let m: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
    #expect(m.sum().scalar == 21)
    #expect(m.mean().scalar == 3.5)
    #expect(m.sum(alongAxes: 0).scalars == [5, 7, 9])
    #expect(m.sum(alongAxes: 0).shape == [1, 3])
    #expect(m.sum(alongAxes: -1).scalars == [6, 15])
    #expect(m.mean(alongAxes: 1).scalars == [2, 5])
    #expect(m.max().scalar == 6 && m.min().scalar == 1)
    #expect(m.max(alongAxes: 0).scalars == [4, 5, 6])
    #expect(m.min(alongAxes: 1).scalars == [1, 4])
    let s = Tensor<Double>(2.0)
    #expect(s.sum().scalar == 2 && s.mean().scalar == 2)
  }

  @Test func gradientsByFiniteDifferences() {
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].sum() }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].mean() }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].sum(alongAxes: 1) }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].sum(alongAxes: [0, 2]) }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].mean(alongAxes: 0, 2) }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].max() }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].min() }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].max(alongAxes: 2) }
    checkGradients(shapes: [[2, 3, 4]]) { $0[0].min(alongAxes: 0) }
  }

  @Test func maxTiesSplitTheGradient() {
    let x = Tensor<Double>([3, 1, 3], requiresGrad: true)
    x.max().backward()
    #expect(x.grad!.scalars == [0.5, 0, 0.5])
  }
}
