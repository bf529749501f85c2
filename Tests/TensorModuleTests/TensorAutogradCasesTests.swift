import Leibniz
import Testing
import _LeibnizTestSupport

/// The cases people meet first (issue 3), with exact expected numbers.
@Suite("Tensor: first autograd cases")
struct TensorFirstCasesTests {
  @Test func meanOfSquaredShift() {
    let x = Tensor<Double>.ones([2, 2], requiresGrad: true)
    let y = x + 2
    let z = y * y * 3
    let out = z.mean()
    #expect(out.scalar == 27)
    #expect(out.shape == [])
    #expect(y.gradFunction == "AddBackward")
    #expect(z.gradFunction == "MulBackward")
    #expect(out.gradFunction == "MeanBackward")
    #expect(x.gradFunction == nil)
    out.backward()
    #expect(x.grad!.scalars == [4.5, 4.5, 4.5, 4.5])
    #expect(x.grad!.shape == [2, 2])
  }

  @Test func seedTwoGivesNine() {
    let x = Tensor<Double>.ones([2, 2], requiresGrad: true)
    let out = ((x + 2) * (x + 2) * 3).mean()
    out.backward(seed: 2)
    #expect(x.grad!.scalars == [9, 9, 9, 9])
  }

  @Test func sumOfSquares() {
    let x: Tensor<Double> = [[1, 0], [-1, 1]]
    var leaf = x
    leaf.requiresGrad = true
    let z = (leaf * leaf).sum()
    #expect(z.gradFunction == "SumBackward")
    z.backward()
    #expect(leaf.grad!.scalars == [2, 0, -2, 2])
    #expect(leaf.grad!.shape == [2, 2])
  }

  @Test func doublingUntilNormExceeds1000() {
    let x = Tensor<Double>([0.4, -1.3, 0.7], requiresGrad: true)
    var y = x * 2
    var k = 1
    while sqrt((y * y).sum()).scalar < 1000 {
      y = y * 2
      k += 1
    }
    y.backward(seed: [0.1, 1.0, 0.001])
    var scale = 1.0
    for _ in 0..<k { scale *= 2 }
    #expect(x.grad!.scalars == [0.1 * scale, 1.0 * scale, 0.001 * scale])
    // Norm of x ≈ 1.531 so 1.531·2^k ≥ 1000 first at k = 10.
    #expect(k == 10)
    #expect(x.grad!.scalars == [102.4, 1024, 1.024])
  }

  @Test func gradientsAccumulateUntilReset() {
    let x = Tensor(3.0, requiresGrad: true)
    (x * x).backward()
    (x * x).backward()
    #expect(x.grad!.scalar == 12)
    x.zeroGrad()
    #expect(x.grad!.scalar == 0)
    x.grad = nil
    (x * x * x).backward()
    #expect(x.grad!.scalar == 27)
  }

  @Test func retainGraphAllowsSecondBackward() {
    let x = Tensor<Double>([1, 2], requiresGrad: true)
    let loss = (x * x).sum()
    loss.backward(retainGraph: true)
    loss.backward()
    #expect(x.grad!.scalars == [4, 8])
  }
}

/// Linear regression trained by plain gradient descent.
@Suite("Tensor: linear regression")
struct TensorLinearRegressionTests {
  static func train(epochs: Int) -> (w: Double, b: Double) {
    let X: Tensor<Double> = [[1], [2], [3]]
    let y: Tensor<Double> = [[2], [4], [6]]
    var w = Tensor<Double>.zeros([1, 1], requiresGrad: true)
    var b = Tensor<Double>.zeros([1, 1], requiresGrad: true)
    for _ in 0..<epochs {
      let prediction = matmul(X, w) + b
      let loss = ((prediction - y) * (prediction - y)).mean()
      loss.backward()
      withoutGradients {
        w -= 0.01 * w.grad!
        b -= 0.01 * b.grad!
      }
      w.zeroGrad()
      b.zeroGrad()
    }
    return (w.scalar, b.scalar)
  }

  @Test func hundredEpochs() {
    let (w, b) = Self.train(epochs: 100)
    #expect(isClose(w, 1.745077, tolerance: 1e-6))
    #expect(isClose(b, 0.579465, tolerance: 1e-6))
  }

  @Test func tenThousandEpochs() {
    let (w, b) = Self.train(epochs: 10_000)
    #expect(isClose(w, 2, tolerance: 1e-6))
    #expect(Swift.abs(b) < 1e-5)
  }
}
