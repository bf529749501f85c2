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

  /// On dual scalars (forward over reverse), a reduced maximum or minimum at
  /// a tie carries the mean of the tied tangents, as its gradient splits
  /// evenly and as `Tensor.maximum` and `Dual`'s max do; so Hessians through
  /// it stay symmetric (keeping the first tied element's tangent would
  /// give H = [[1, 0], [1, 0]] for max(x)² at [1, 1]).
  @Test(arguments: [2, 20])
  func dualMaxAtATieCarriesTheMeanTangent(count: Int) {
    typealias D = Dual<Double>
    // x = [1, 1, 0, 0, …]: the first two elements tie for the maximum.
    func point(_ v: [Double]) -> Tensor<D> {
      Tensor((0..<count).map { D($0 < 2 ? 1 : 0, tangent: $0 < 2 ? v[$0] : 0) }, shape: [count], requiresGrad: true)
    }
    #expect(point([1, 0]).max().scalar.tangent == 0.5)
    #expect(point([1, 0]).max().scalar.value == 1)
    #expect(Tensor.maximum(point([1, 0])[0], point([1, 0])[1]).scalar.tangent == 0.5)
    #expect(point([0, 3]).max(alongAxes: 0).scalars[0].tangent == 1.5)
    #expect((-point([2, 0])).min().scalar.tangent == -1)
    // Columns of the Hessian of max(x)² from forward over reverse: with the
    // gradient split [m, m, 0, …], ∂²/∂xᵢ∂xⱼ = 1/2 for i, j < 2.
    for j in 0..<2 {
      let x = point(j == 0 ? [1, 0] : [0, 1])
      let m = x.max()
      let column = gradients(of: m * m, wrt: [x])[0].scalars.map(\.tangent)
      #expect(column == [0.5, 0.5] + Array(repeating: 0, count: count - 2), "column \(j)")
    }
    // Plain scalars keep the first tied value exactly (no averaging), -0 included.
    #expect(Tensor<Double>([-0.0, 0.0]).max().scalar.sign == .minus)
  }
}

// MARK: - Accuracy of long sums

/// Relative error allowed for a long Float sum: pairwise summation keeps it
/// near log₂(n)·ε, while a running sum of a million 0.1s is off by 1 %
/// (2e-3 already for a quarter million).
private let longSumTolerance = 1e-5

/// Whether `value` is within `longSumTolerance` of `expected`, relatively.
private func isCloseRelative(_ value: Double, _ expected: Double) -> Bool {
  (value - expected).magnitude <= longSumTolerance * expected.magnitude
}

/// Long sums of 0.1 through every summing path, for one scalar type.
private func checkLongSums<T: DifferentiableScalar>(_: T.Type, sourceLocation: SourceLocation = #_sourceLocation) {
  let n = 1_000_000
  let tenth = T(0.1)
  let expected = 0.1 * Double(n)
  let flat = Tensor<T>.full(tenth, shape: [n])
  #expect(isCloseRelative(flat.sum().scalar.primalDouble, expected), sourceLocation: sourceLocation)
  #expect(isCloseRelative(flat.mean().scalar.primalDouble, 0.1), sourceLocation: sourceLocation)
  // Along the last axis (contiguous runs) and the first axis (rows).
  let wide = Tensor<T>.full(tenth, shape: [2, n / 2])
  for v in wide.sum(alongAxes: 1).scalars {
    #expect(isCloseRelative(v.primalDouble, expected / 2), sourceLocation: sourceLocation)
  }
  for v in wide.mean(alongAxes: [-1]).scalars {
    #expect(isCloseRelative(v.primalDouble, 0.1), sourceLocation: sourceLocation)
  }
  let tall = Tensor<T>.full(tenth, shape: [n / 2, 2])
  for v in tall.sum(alongAxes: 0).scalars {
    #expect(isCloseRelative(v.primalDouble, expected / 2), sourceLocation: sourceLocation)
  }
  // Two separated reduced axes.
  let cube = Tensor<T>.full(tenth, shape: [500, 2, 1000])
  for v in cube.sum(alongAxes: 0, 2).scalars {
    #expect(isCloseRelative(v.primalDouble, expected / 2), sourceLocation: sourceLocation)
  }
  // The gradient of a broadcast operand sums the incoming gradient.
  let b = Tensor<T>([0], requiresGrad: true)
  ((flat + b) * Tensor(tenth)).sum().backward()
  #expect(isCloseRelative(b.grad!.scalar.primalDouble, expected), sourceLocation: sourceLocation)
}

@Suite("Tensor: reductions, accuracy and edge cases")
struct ReductionsEdgeCaseTests {
  @Test func longFloatSumsArePairwise() {
    checkLongSums(Float.self)
    checkLongSums(Double.self)
  }

  @Test func sumsAlongAxesMatchANaiveSum() {
    // Shapes with extents 0 and 1 and runs longer than a pairwise block (128),
    // every subset of axes, against a sum by multi-index in Double.
    var rng = SeededRandom(seed: 31)
    let shapes: [[Int]] = [[300], [3, 1, 4], [2, 0, 3], [1, 260, 3], [5, 2, 140], [2, 3, 2, 70], [130, 1, 2, 3]]
    for shape in shapes {
      let count = shape.reduce(1, *)
      let values = (0..<count).map { _ in Double.random(in: -1...1, using: &rng) }
      let x = Tensor(values, shape: shape)
      let strides = shape.indices.map { i in shape[(i + 1)...].reduce(1, *) }
      for mask in 0..<(1 << shape.count) {
        let axes = shape.indices.filter { mask & (1 << $0) != 0 }
        let kept = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
        var expected = [Double](repeating: 0, count: kept.reduce(1, *))
        let keptStrides = kept.indices.map { i in kept[(i + 1)...].reduce(1, *) }
        for flat in 0..<count {
          var o = 0
          for d in shape.indices where !axes.contains(d) { o += (flat / strides[d]) % shape[d] * keptStrides[d] }
          expected[o] += values[flat]
        }
        let got = x.sum(alongAxes: axes)
        #expect(got.shape == kept, "shape \(shape), axes \(axes)")
        #expect(zip(got.scalars, expected).allSatisfy { isClose($0, $1, tolerance: Tolerance.roundoff) },
                "shape \(shape), axes \(axes)")
      }
    }
  }

  @Test func smallTermsAfterALargeOneAreNotLost() {
    // In a running Float sum, 1 + 1e-8 rounds back to 1 every time.
    var scalars = [Float](repeating: 1e-8, count: 100_001)
    scalars[0] = 1
    let s = Tensor(scalars, shape: [scalars.count]).sum().scalar
    #expect(isCloseRelative(Double(s), 1.001))
  }

  @Test func dualScalarsSumValueAndTangent() {
    let x = Tensor<Dual<Double>>([Dual<Double>](repeating: Dual(0.5, tangent: 2), count: 1000), shape: [1000])
    #expect(x.sum().scalar.value == 500 && x.sum().scalar.tangent == 2000)
    let rows = x.reshaped(to: [500, 2]).sum(alongAxes: 0)
    #expect(rows.scalars.map(\.value) == [250, 250] && rows.scalars.map(\.tangent) == [1000, 1000])
  }

  // MARK: Empty axis lists

  @Test func emptyAxisListIsTheIdentity() {
    let s = Tensor<Double>(3.0)
    #expect(s.sum(alongAxes: []).scalar == 3)
    #expect(s.mean(alongAxes: []).scalar == 3)
    #expect(s.logSumExp(alongAxes: []).scalar == 3)
    #expect(s.max(alongAxes: []).scalar == 3 && s.min(alongAxes: []).scalar == 3)
    let m: Tensor<Double> = [[1, -2], [3, 0.5]]
    for r in [m.sum(alongAxes: []), m.mean(alongAxes: []), m.logSumExp(alongAxes: []),
              m.max(alongAxes: []), m.min(alongAxes: [])] {
      #expect(r.shape == [2, 2] && r.scalars == m.scalars)
    }
  }

  @Test func emptyAxisListPassesGradientsThrough() {
    let x0 = Tensor<Double>(3.0, requiresGrad: true)
    (x0.sum(alongAxes: []) * 2 + x0.mean(alongAxes: []) + x0.logSumExp(alongAxes: [])).backward()
    #expect(x0.grad!.scalar == 4)
    let x = Tensor<Double>([1, -2, 3], requiresGrad: true)
    let seed = Tensor<Double>([1, 10, 100])
    x.sum(alongAxes: []).backward(seed: seed)
    #expect(x.grad!.scalars == [1, 10, 100])
    x.grad = nil
    x.mean(alongAxes: []).backward(seed: seed)
    #expect(x.grad!.scalars == [1, 10, 100])
    x.grad = nil
    x.logSumExp(alongAxes: []).backward(seed: seed)
    #expect(x.grad!.scalars == [1, 10, 100])
  }

  // MARK: NaN

  @Test func maxAndMinPropagateNaNAnywhere() {
    for row: [Double] in [[.nan, 1, 3], [1, .nan, 3], [1, 3, .nan]] {
      let x = Tensor(row, shape: [3])
      #expect(x.max().scalar.isNaN && x.min().scalar.isNaN)
    }
    let m = Tensor<Double>([1, .nan, 3, 2], shape: [2, 2])
    let rowMax = m.max(alongAxes: 1).scalars, colMin = m.min(alongAxes: 0).scalars
    #expect(rowMax[0].isNaN && rowMax[1] == 3)
    #expect(colMin[0] == 1 && colMin[1].isNaN)
    let f = Tensor<Float>([2, .nan, 1]).max()
    #expect(f.scalar.isNaN)
  }

  @Test func gradientOfANaNMaximumGoesToTheNaNElements() {
    let x = Tensor<Double>([1, .nan, 3, .nan], requiresGrad: true)
    x.max().backward()
    #expect(x.grad!.scalars == [0, 0.5, 0, 0.5])
    let y = Tensor<Double>([1, .nan, 3], requiresGrad: true)
    y.min().backward()
    #expect(y.grad!.scalars == [0, 1, 0])
  }

  // MARK: Shapes and spellings

  @Test func maxAndMinAlongAllAxesKeepThem() {
    let m: Tensor<Double> = [[1, 5], [7, 2]]
    #expect(m.max(alongAxes: 0, 1).shape == [1, 1] && m.max(alongAxes: 0, 1).scalars == [7])
    #expect(m.min(alongAxes: [0, 1]).shape == [1, 1] && m.min(alongAxes: [0, 1]).scalars == [1])
    #expect(m.max().shape == [] && m.min().shape == [])
  }

  @Test func axesAcceptBothSpellings() {
    let m: Tensor<Double> = [[1, 5], [7, 2]]
    #expect(m.max(alongAxes: [1]).scalars == m.max(alongAxes: 1).scalars)
    #expect(m.min(alongAxes: [-1]).scalars == m.min(alongAxes: -1).scalars)
    #expect(m.logSumExp(alongAxes: 1).scalars == m.logSumExp(alongAxes: [1]).scalars)
    #expect(m.logSumExp(alongAxes: 0, 1).shape == [1, 1])
  }

  // MARK: Repeated axes

  static func stderr(of result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
  }

  @Test func repeatedAxisInSum() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).sum(alongAxes: [1, -1])
    }
    #expect(Self.stderr(of: r).contains("Tensor.sum(alongAxes:): axes [1, -1] name axis 1 more than once (shape [2, 3])"))
  }

  @Test func repeatedAxisInMean() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>([[1, 2], [3, 4]]).mean(alongAxes: [1, 1])
    }
    #expect(Self.stderr(of: r).contains("Tensor.mean(alongAxes:): axes [1, 1] name axis 1 more than once (shape [2, 2])"))
  }

  @Test func repeatedAxisInMax() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3, 4]).max(alongAxes: 0, 2, 0)
    }
    #expect(Self.stderr(of: r).contains("Tensor.max(alongAxes:): axes [0, 2, 0] name axis 0 more than once (shape [2, 3, 4])"))
  }

  @Test func repeatedAxisInMin() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).min(alongAxes: [0, 0])
    }
    #expect(Self.stderr(of: r).contains("Tensor.min(alongAxes:): axes [0, 0] name axis 0 more than once (shape [2, 3])"))
  }

  @Test func repeatedAxisInLogSumExp() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]).logSumExp(alongAxes: [-2, 0])
    }
    #expect(Self.stderr(of: r).contains("Tensor.logSumExp(alongAxes:): axes [-2, 0] name axis 0 more than once (shape [2, 3])"))
  }
}
