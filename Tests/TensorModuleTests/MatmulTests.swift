import Leibniz
import Testing
import _LeibnizTestSupport
@testable import TensorModule

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

  /// The blocked, threaded kernels (Double, Float) against a plain triple
  /// loop in Double, on sizes that are not multiples of the block sizes.
  @Test(arguments: [(1, 1, 1), (7, 5, 3), (33, 65, 17), (130, 97, 140), (256, 256, 256)])
  func largeProductsMatchNaiveLoop(_ size: (Int, Int, Int)) {
    expectProductMatchesNaiveLoop(Double.self, size)
    expectProductMatchesNaiveLoop(Float.self, size)
  }

  /// Every microkernel this CPU runs (the SSE2 Swift kernel, and the AVX2 +
  /// FMA C kernel where the CPU has it), with each operand read plainly or
  /// transposed in place, against a plain loop in Double.
  @Test(arguments: [(7, 5, 3), (33, 65, 17), (130, 97, 140)])
  func everyKernelMatchesNaiveLoop(_ size: (Int, Int, Int)) {
    expectKernelsMatchNaiveLoop(Double.self, size)
    expectKernelsMatchNaiveLoop(Float.self, size)
  }

  /// The gradients of a large product read an operand transposed in place
  /// (g·Bᵀ and Aᵀ·g): checked against plain loops, on sizes that are not
  /// multiples of the block sizes, small and large (threaded).
  @Test(arguments: [(5, 4, 3), (33, 65, 17), (130, 97, 140)])
  func gradientsOfLargeProductsMatchNaiveLoops(_ size: (Int, Int, Int)) {
    expectProductGradientsMatchNaiveLoops(Double.self, size)
    expectProductGradientsMatchNaiveLoops(Float.self, size)
  }

  /// Scalar types without a packed kernel take the plain loops.
  @Test func float80ProductUsesGenericKernel() {
    let a = Tensor<Float80>([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
    let b = Tensor<Float80>([1, 0, 0, 1], shape: [2, 2])
    matmul(a, b).sum().backward()
    #expect(a.grad!.scalars == [1, 1, 1, 1])
    let x = Tensor<Float80>.randomUniform([40, 40], in: -1...1, seed: 3)
    let y = Tensor<Float80>.randomUniform([40, 40], in: -1...1, seed: 4)
    let z = matmul(x, y).scalars, px = x.scalars, py = y.scalars
    var s: Float80 = 0
    for p in 0..<40 { s += px[39 * 40 + p] * py[p * 40 + 38] }
    #expect(Swift.abs(z[39 * 40 + 38] - s) <= 1e-15)
  }

  /// Batched products against one 2-d product per matrix, with the batch
  /// axes broadcast by hand (index arithmetic written independently).
  @Test(arguments: [
    ([2, 3, 4], [2, 4, 5]), ([3, 4], [2, 4, 5]), ([2, 3, 4], [4, 5]), ([2, 1, 3, 4], [5, 4, 2]),
    ([1, 2, 3], [4, 3, 2]), ([2, 2, 1, 3], [2, 1, 3, 2]),
  ])
  func batchedProductsMatchPerMatrixProducts(_ shapes: ([Int], [Int])) {
    let (sa, sb) = shapes
    let a = Tensor<Double>.randomUniform(sa, in: -1...1, seed: 5)
    let b = Tensor<Double>.randomUniform(sb, in: -1...1, seed: 6)
    let c = matmul(a, b)
    let m = sa[sa.count - 2], k = sa[sa.count - 1], n = sb[sb.count - 1]
    let ba = Array(sa.dropLast(2)), bb = Array(sb.dropLast(2))
    let rank = max(ba.count, bb.count)
    let pad = { (s: [Int]) in [Int](repeating: 1, count: rank - s.count) + s }
    let pa = pad(ba), pb = pad(bb)
    let batch = zip(pa, pb).map { max($0, $1) }
    #expect(c.shape == batch + [m, n])
    // Matrix `index` (a multi-index into `batch`) of an operand with batch
    // extents `ext` (1 where broadcast), as a flat matrix number.
    func matrix(_ index: [Int], _ ext: [Int]) -> Int {
      var flat = 0
      for (i, e) in zip(index, ext) { flat = flat * e + (e == 1 ? 0 : i) }
      return flat
    }
    let av = a.scalars, bv = b.scalars, cv = c.scalars
    for t in 0..<batch.reduce(1, *) {
      var index = [Int](repeating: 0, count: rank), r = t
      for d in stride(from: rank - 1, through: 0, by: -1) {
        index[d] = r % batch[d]
        r /= batch[d]
      }
      let ma = matrix(index, pa), mb = matrix(index, pb)
      for i in 0..<m {
        for j in 0..<n {
          var s = 0.0
          for p in 0..<k { s += av[ma * m * k + i * k + p] * bv[mb * k * n + p * n + j] }
          #expect(isClose(cv[t * m * n + i * n + j], s, tolerance: 1e-12), "matrix \(t) [\(i), \(j)]")
        }
      }
    }
  }

  /// Gradients of batched products, broadcast batch axes and vector operands
  /// included, against finite differences.
  @Test func batchedGradientsByFiniteDifferences() {
    checkGradients(shapes: [[2, 3, 4], [2, 4, 2]]) { matmul($0[0], $0[1]) }
    checkGradients(shapes: [[3, 4], [2, 4, 2]]) { matmul($0[0], $0[1]) }
    checkGradients(shapes: [[2, 1, 2, 3], [3, 3, 2]]) { matmul($0[0], $0[1]) }
    checkGradients(shapes: [[3], [2, 3, 4]]) { matmul($0[0], $0[1]) }
    checkGradients(shapes: [[2, 4, 3], [3]]) { matmul($0[0], $0[1]) }
  }

  @Test func batchedVectorShapesFollowNumPy() {
    #expect(matmul(Tensor<Double>.ones([3]), Tensor<Double>.ones([2, 3, 4])).shape == [2, 4])
    #expect(matmul(Tensor<Double>.ones([2, 4, 3]), Tensor<Double>.ones([3])).shape == [2, 4])
    #expect(matmul(Tensor<Double>.ones([2, 4, 3]), Tensor<Double>.ones([3])).scalars == [Double](repeating: 3, count: 8))
  }
}

// MARK: - Checks against plain loops

/// Whether `got` is within the rounding-error bound of a sum of `k` products
/// whose magnitudes add up to `magnitude`: k·ε·magnitude, with ε the unit
/// roundoff of `S`, doubled for slack (the reference itself is summed in
/// Double).
private func withinProductBound<S: BinaryFloatingPoint>(
  _: S.Type, _ got: Double, _ exact: Double, k: Int, magnitude: Double
) -> Bool {
  Swift.abs(got - exact) <= 2 * Double(k) * Double(S.ulpOfOne) * magnitude + 1e-300
}

/// The elements of `xs` in Double.
private func doubles<S: BinaryFloatingPoint>(_ xs: [S]) -> [Double] {
  var result: [Double] = []
  result.reserveCapacity(xs.count)
  for x in xs { result.append(Double(x)) }
  return result
}

/// Checks `matmul` of random m×k and k×n matrices of `S` against a triple
/// loop in Double.
private func expectProductMatchesNaiveLoop<S: DifferentiableScalar & BinaryFloatingPoint>(
  _ type: S.Type, _ size: (Int, Int, Int), sourceLocation: SourceLocation = #_sourceLocation
) {
  let (m, k, n) = size, name = "\(S.self)"
  let a = Tensor<S>.randomUniform([m, k], in: -1...1, seed: 3)
  let b = Tensor<S>.randomUniform([k, n], in: -1...1, seed: 4)
  let c = matmul(a, b).scalars
  let pa = doubles(a.scalars), pb = doubles(b.scalars)
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0, magnitude = 0.0
      for p in 0..<k {
        s += pa[i * k + p] * pb[p * n + j]
        magnitude += Swift.abs(pa[i * k + p] * pb[p * n + j])
      }
      let ok = withinProductBound(S.self, Double(c[i * n + j]), s, k: k, magnitude: magnitude)
      #expect(ok, "\(name) [\(i), \(j)]: \(Double(c[i * n + j])) vs \(s)", sourceLocation: sourceLocation)
    }
  }
}

/// Checks `_gemm` with each kernel this CPU runs and each transposition.
private func expectKernelsMatchNaiveLoop<S: _GemmScalar & BinaryFloatingPoint>(
  _ type: S.Type, _ size: (Int, Int, Int), sourceLocation: SourceLocation = #_sourceLocation
) {
  let (m, k, n) = size, name = "\(S.self)"
  var kernels = [("SSE2", _GemmKernel<S>.sse())]
  if _cpuHasAVX2FMA { kernels.append(("AVX2", S._wideKernel)) }
  let a = Tensor<S>.randomUniform([m * k], in: -1...1, seed: 8).scalars
  let b = Tensor<S>.randomUniform([k * n], in: -1...1, seed: 9).scalars
  let da = doubles(a), db = doubles(b)
  var c = [S](repeating: .nan, count: m * n)
  for (kernelName, kernel) in kernels {
    for transposingA in [false, true] {
      for transposingB in [false, true] {
        // A transposed is held k × m, B transposed n × k.
        let ai = { (i: Int, p: Int) in transposingA ? p * m + i : i * k + p }
        let bi = { (p: Int, j: Int) in transposingB ? j * k + p : p * n + j }
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              _gemm(m, n, k,
                    _GemmOperand(pa.baseAddress!, rows: m, columns: k, transposed: transposingA),
                    _GemmOperand(pb.baseAddress!, rows: k, columns: n, transposed: transposingB),
                    pc.baseAddress!, kernel: kernel)
            }
          }
        }
        var wrong = 0
        for i in 0..<m {
          for j in 0..<n {
            var s = 0.0, magnitude = 0.0
            for p in 0..<k {
              s += da[ai(i, p)] * db[bi(p, j)]
              magnitude += Swift.abs(da[ai(i, p)] * db[bi(p, j)])
            }
            if !withinProductBound(S.self, Double(c[i * n + j]), s, k: k, magnitude: magnitude) { wrong += 1 }
          }
        }
        #expect(wrong == 0, "\(name) \(kernelName) Aᵀ: \(transposingA) Bᵀ: \(transposingB)", sourceLocation: sourceLocation)
      }
    }
  }
}

/// Checks the gradients of `matmul` (g·Bᵀ and Aᵀ·g) for `S` against loops
/// in Double.
private func expectProductGradientsMatchNaiveLoops<S: DifferentiableScalar & BinaryFloatingPoint>(
  _ type: S.Type, _ size: (Int, Int, Int), sourceLocation: SourceLocation = #_sourceLocation
) {
  let (m, k, n) = size, name = "\(S.self)"
  let a = Tensor<S>.randomUniform([m, k], in: -1...1, seed: 5, requiresGrad: true)
  let b = Tensor<S>.randomUniform([k, n], in: -1...1, seed: 6, requiresGrad: true)
  let g = Tensor<S>.randomUniform([m, n], in: -1...1, seed: 7)
  matmul(a, b).backward(seed: g)
  let pa = doubles(a.scalars), pb = doubles(b.scalars), pg = doubles(g.scalars)
  let ga = a.grad!.scalars, gb = b.grad!.scalars
  for i in 0..<m {
    for p in 0..<k {
      var s = 0.0, magnitude = 0.0
      for j in 0..<n {  // (g·Bᵀ)[i, p]
        s += pg[i * n + j] * pb[p * n + j]
        magnitude += Swift.abs(pg[i * n + j] * pb[p * n + j])
      }
      let ok = withinProductBound(S.self, Double(ga[i * k + p]), s, k: n, magnitude: magnitude)
      #expect(ok, "\(name) ∂A[\(i), \(p)]", sourceLocation: sourceLocation)
    }
  }
  for p in 0..<k {
    for j in 0..<n {
      var s = 0.0, magnitude = 0.0
      for i in 0..<m {  // (Aᵀ·g)[p, j]
        s += pa[i * k + p] * pg[i * n + j]
        magnitude += Swift.abs(pa[i * k + p] * pg[i * n + j])
      }
      let ok = withinProductBound(S.self, Double(gb[p * n + j]), s, k: m, magnitude: magnitude)
      #expect(ok, "\(name) ∂B[\(p), \(j)]", sourceLocation: sourceLocation)
    }
  }
}
