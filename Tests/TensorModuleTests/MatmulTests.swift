import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: matmul")
struct MatmulTests {
  @Test func smallProduct() {
    let a: Tensor<Double> = [[1, 2], [3, 4]]
    let b: Tensor<Double> = [[5, 6], [7, 8]]
    #expect(matmul(a, b).scalars == [19, 22, 43, 50])
    #expect(matmul(a, b).gradFunction == nil)
  }

  @Test func gradientsByFiniteDifferences() {
    checkGradients(shapes: [[3, 4], [4, 2]]) { matmul($0[0], $0[1]) }
    checkGradients(shapes: [[1, 5], [5, 1]]) { matmul($0[0], $0[1]) }
  }

  @Test func vectorOperandsAsInNumPy() {
    let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
    let x: Tensor<Double> = [1, 0, -1]
    let y: Tensor<Double> = [2, 1]
    #expect(matmul(a, x).shape == [2] && matmul(a, x).scalars == [-2, -2])
    #expect(matmul(y, a).shape == [3] && matmul(y, a).scalars == [6, 9, 12])
    #expect(matmul(x, x).shape == [] && matmul(x, x).scalar == 2)
    checkGradients(shapes: [[3, 4], [4]]) { matmul($0[0], $0[1]) }
    checkGradients(shapes: [[4], [4, 2]]) { matmul($0[0], $0[1]) }
    checkGradients(shapes: [[5], [5]]) { matmul($0[0], $0[1]) }
  }

  /// The blocked, threaded Double kernel against a plain triple loop, on
  /// sizes that are not multiples of the block sizes.
  @Test(arguments: [(1, 1, 1), (7, 5, 3), (33, 65, 17), (130, 97, 140), (256, 256, 256)])
  func largeProductsMatchNaiveLoop(_ size: (Int, Int, Int)) {
    let (m, k, n) = size
    let a = Tensor<Double>.randomUniform([m, k], in: -1...1, seed: 3)
    let b = Tensor<Double>.randomUniform([k, n], in: -1...1, seed: 4)
    let c = matmul(a, b).scalars
    let pa = a.scalars, pb = b.scalars
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += pa[i * k + p] * pb[p * n + j] }
        #expect(isClose(c[i * n + j], s, tolerance: 1e-12), "[\(i), \(j)]")
      }
    }
  }

  @Test func floatProductUsesGenericKernel() {
    let a = Tensor<Float>([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
    let b = Tensor<Float>([1, 0, 0, 1], shape: [2, 2])
    matmul(a, b).sum().backward()
    #expect(a.grad!.scalars == [1, 1, 1, 1])
  }
}
