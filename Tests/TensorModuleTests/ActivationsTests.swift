import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: activations")
struct ActivationsTests {
  @Test func values() {
    #expect(Tensor<Double>([-1, 2]).relu().scalars == [0, 2])
    #expect(Tensor<Double>(0).sigmoid().scalar == 0.5)
    #expect(Tensor<Double>([1, 1]).softmax().scalars == [0.5, 0.5])
    #expect(isClose(Tensor<Double>([0, 0]).logSumExp().scalar, log(2.0), tolerance: Tolerance.roundoff))
    // Large inputs stay finite (computed relative to the maximum).
    #expect(Tensor<Double>([1000, 1000]).logSumExp().scalar.isFinite)
    #expect(Tensor<Double>([-800]).sigmoid().scalars[0] >= 0)
  }

  @Test func gradientsByFiniteDifferences() {
    checkGradients(shapes: [[2, 3]]) { $0[0].softmax() }
    checkGradients(shapes: [[2, 3]]) { $0[0].softmax(alongAxis: 0) }
    checkGradients(shapes: [[2, 3]]) { $0[0].logSumExp() }
    checkGradients(shapes: [[2, 3]]) { $0[0].logSumExp(alongAxes: [1]) }
    // One node either way, named for logsumexp: the full reduction is not named
    // "ReshapeBackward", after the reshape that drops its axes.
    let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
    #expect(x.logSumExp().gradFunction == "LogsumexpBackward" && x.logSumExp().shape == [])
    #expect(x.logSumExp(alongAxes: 0).gradFunction == "LogsumexpBackward")
    checkGradients(shapes: [[2, 3]]) { $0[0].sigmoid() }
    checkGradients(shapes: [[2, 3]], range: 0.1...1) { $0[0].relu() }
    checkGradients(shapes: [[2, 3]]) { $0[0].squared() }
  }

  /// Empty tensors: softmax gives an empty tensor of the same shape (as
  /// logSoftmax does, and PyTorch), and log Σ exp over no elements is
  /// log 0 = −∞ (PyTorch's logsumexp); gradients are empty. Neither traps
  /// with "Tensor.max: empty tensor", which would name an operation the
  /// caller did not call.
  @Test func softmaxAndLogSumExpOfEmptyTensors() {
    let x = Tensor<Double>.zeros([2, 0], requiresGrad: true)
    #expect(x.softmax().shape == [2, 0])
    #expect(x.softmax(alongAxis: 0).shape == [2, 0])
    let rows = x.logSumExp(alongAxes: 1)
    #expect(rows.shape == [2, 1] && rows.scalars == [-.infinity, -.infinity])
    #expect(x.logSumExp(alongAxes: 0).shape == [1, 0])
    #expect(Tensor<Double>.zeros([0]).logSumExp().scalar == -.infinity)
    let g = gradients(of: x.softmax().sum() + rows.sum() + x.logSumExp(alongAxes: 0).sum(), wrt: [x])
    #expect(g[0].shape == [2, 0])
  }

  @Test func reluDerivativeAtZeroIsZero() {
    let x = Tensor<Double>([0, -1, 1], requiresGrad: true)
    x.relu().sum().backward()
    #expect(x.grad!.scalars == [0, 0, 1])
  }

  /// NaN stays NaN (not 0), as in PyTorch and `clamped(min: 0)`, on the
  /// element-by-element path and the n-d one.
  @Test(arguments: [3, 40])
  func reluKeepsNaN(_ count: Int) {
    var values = [Double](repeating: 2, count: count)
    values[0] = .nan
    values[1] = -1
    let x = Tensor<Double>(values, shape: [count], requiresGrad: true)
    let y = x.relu()
    #expect(y.scalars[0].isNaN && y.scalars[1] == 0 && y.scalars[2] == 2)
    #expect(x.clamped(min: 0).scalars[0].isNaN)
    y.sum().backward()
    #expect(x.grad!.scalars[0] == 0 && x.grad!.scalars[1] == 0 && x.grad!.scalars[2] == 1)
  }

  @Test func logSumExpWithInfiniteInputs() {
    // As in PyTorch: +∞ anywhere gives +∞, and only −∞ gives −∞.
    #expect(Tensor<Double>([.infinity, 0]).logSumExp().scalar == .infinity)
    #expect(Tensor<Double>([-.infinity, -.infinity]).logSumExp().scalar == -.infinity)
    #expect(Tensor<Double>([-.infinity, 0]).logSumExp().scalar == 0)
    #expect(Tensor<Float>([.infinity, -.infinity]).logSumExp().scalar == .infinity)
    #expect(Tensor<Double>([.nan, 0]).logSumExp().scalar.isNaN)
    let rows = Tensor<Double>([.infinity, 0, -.infinity, -.infinity, 0, 0], shape: [3, 2])
    let r = rows.logSumExp(alongAxes: [1]).scalars
    #expect(r[0] == .infinity && r[1] == -.infinity)
    #expect(isClose(r[2], log(2.0), tolerance: Tolerance.roundoff))
  }

  @Test func softmaxOfARowWithInfinitiesIsNaN() {
    // exp(x − max) is NaN for x = max = +∞ and for a row of −∞ (as in
    // PyTorch): no finite value is made up, and other rows are unaffected.
    let rows = Tensor<Double>([.infinity, 0, -.infinity, -.infinity, 0, 0], shape: [3, 2])
    let y = rows.softmax().scalars
    #expect(y[0..<4].allSatisfy { $0.isNaN })
    #expect(y[4] == 0.5 && y[5] == 0.5)
    let z = Tensor<Double>([-.infinity, 0]).softmax().scalars
    #expect(z == [0, 1])
  }
}
