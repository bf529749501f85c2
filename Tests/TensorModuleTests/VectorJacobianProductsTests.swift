import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: vector-Jacobian products")
struct VectorJacobianProductsTests {
  /// F: ℝⁿ → ℝⁿ of W3, written generically.
  static func F<T: Differentiable>(_ x: [T]) -> [T] {
    let n = x.count
    return (0..<n).map { i in
      var s: T = 0
      for j in 0..<n { s = s + T(Foundationless.sin(Double(i + 2 * j)) / Double(n)) * x[j] }
      return tanh(s) * x[i] + sin(x[(i + 1) % n])
    }
  }

  @Test func fullJacobianMatchesForwardMode() {
    let n = 11
    let x0 = (0..<n).map { 0.1 * Foundationless.cos(Double($0)) }
    let leaves = x0.map { Tensor($0, requiresGrad: true) }
    let outputs = Self.F(leaves)
    let identity = (0..<n).map { k in (0..<n).map { $0 == k ? 1.0 : 0.0 } }
    let J = Tensor.vectorJacobianProducts(of: outputs, wrt: leaves, cotangents: identity)
    // Column j by forward mode.
    for j in 0..<n {
      let col = Self.F(x0.enumerated().map { Dual($0.element, tangent: $0.offset == j ? 1 : 0) })
      for i in 0..<n {
        #expect(isClose(J[i][j], col[i].tangent, tolerance: Tolerance.roundoff), "J[\(i)][\(j)]")
      }
    }
    // The graph is kept: a second call gives the same result; grads untouched.
    let again = Tensor.vectorJacobianProducts(of: outputs, wrt: leaves, cotangents: [identity[3]])
    #expect(again[0] == J[3])
    #expect(leaves.allSatisfy { $0.grad == nil })
  }

  @Test func singleCotangentAndUnusedInput() {
    let x = Tensor(1.0, requiresGrad: true), y = Tensor(2.0, requiresGrad: true)
    let unused = Tensor(9.0, requiresGrad: true)
    let r = Tensor.vectorJacobianProducts(of: [x * y, x + y, x], wrt: [x, y, unused], cotangents: [[1, 2, 3]])
    let expected: [[Double]] = [[7, 3, 0]]
    #expect(r == expected)
  }

  @Test func graphWithArrayOperationsTakesTheGeneralPath() {
    let x = Tensor(1.5, requiresGrad: true)
    let v = Tensor<Double>([1, 2, 3]) * x      // n-d node
    let outputs = [v.sum(), (v * v).sum()]
    let r = Tensor.vectorJacobianProducts(of: outputs, wrt: [x], cotangents: [[1, 0], [0, 1]])
    #expect(r[0][0] == 6)
    #expect(isClose(r[1][0], 2 * 14 * 1.5, tolerance: Tolerance.roundoff))
  }

  @Test func forwardOverReverseHessianRows() {
    typealias D = Dual<Double>
    // f(x, y) = x³y: Hessian [[6xy, 3x²], [3x², 0]]
    let (a, b) = (1.2, 0.5)
    let x = Tensor(D(a, tangent: 1), requiresGrad: true)
    let y = Tensor(D(b, tangent: 0), requiresGrad: true)
    let r = Tensor.vectorJacobianProducts(of: [x * x * x * y], wrt: [x, y], cotangents: [[1]])
    #expect(isClose(r[0][0].tangent, 6 * a * b, tolerance: Tolerance.roundoff))
    #expect(isClose(r[0][1].tangent, 3 * a * a, tolerance: Tolerance.roundoff))
  }

  @Test func manyLanesInChunks() {
    // 19 cotangents: two full chunks of 8 and one of 3.
    let leaves = (0..<5).map { Tensor(Double($0) + 0.5, requiresGrad: true) }
    let outputs = [leaves[0] * leaves[1], sin(leaves[2]) + leaves[3] * leaves[4]]
    let cots = (0..<19).map { k in [Double(k), Double(19 - k)] }
    let r = Tensor.vectorJacobianProducts(of: outputs, wrt: leaves, cotangents: cots)
    for (k, c) in cots.enumerated() {
      let expected = [c[0] * 1.5, c[0] * 0.5, c[1] * Foundationless.cos(2.5), c[1] * 4.5, c[1] * 3.5]
      for j in 0..<5 { #expect(isClose(r[k][j], expected[j], tolerance: Tolerance.roundoff)) }
    }
  }

  @Test func anInfinitePartialStaysInItsOwnRow() {
    // Rows of [√x, 3y]: √x at 0 has an infinite partial; the second row must
    // stay [0, 3], not pick up 0·∞ = NaN from the shared sweep.
    let x = Tensor<Double>(0.0, requiresGrad: true), y = Tensor<Double>(1.0, requiresGrad: true)
    let rows = Tensor.vectorJacobianProducts(of: [sqrt(x), 3 * y], wrt: [x, y], cotangents: [[1, 0], [0, 1]])
    #expect(rows[0][0] == .infinity && rows[0][1] == 0)
    #expect(rows[1] == [0, 3])
  }
}

/// libm on Double without Foundation, for reference values.
enum Foundationless {
  static func sin(_ x: Double) -> Double { Double.sin(x) }
  static func cos(_ x: Double) -> Double { Double.cos(x) }
}
