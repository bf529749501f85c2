import Leibniz
import Testing
import _LeibnizTestSupport
@testable import TensorModule

// Edge cases of the packed matrix product (Gemm.swift): every kernel this CPU
// runs, both scalar types and every transposition, against a plain i-p-j loop
// in the same scalar type (for NaN and infinities) and a loop in Double (for
// the values). Operands live in buffers of exactly their size, so that
// AddressSanitizer sees any read or write past them.
extension MatmulTests {
  /// The blocked path itself (`_gemmBand`, which `_gemm` only takes from
  /// 32³ multiply-adds on), on sizes 1 to a few tiles, below, at and above
  /// the tile extents 6 (rows) and 4, 8, 16 (columns), k = 1 included.
  @Test func blockedPathOnEdgeTiles() {
    let ms = [1, 5, 6, 7, 12, 13], ns = [1, 3, 4, 5, 8, 9, 15, 16, 17, 33], ks = [1, 2, 7]
    for m in ms {
      for n in ns {
        for k in ks {
          expectEveryKernel(Double.self, m, n, k, path: .band)
          expectEveryKernel(Float.self, m, n, k, path: .band)
        }
      }
    }
  }

  /// `_gemm` on sizes just across the block sizes (96 rows of A, 256 steps
  /// of k, 512 columns of B) and degenerate ones (one row, one column, k = 1)
  /// that are still large enough for the blocked path.
  @Test(arguments: [
    (97, 7, 49), (95, 9, 50), (13, 11, 257), (12, 13, 255), (7, 513, 13), (5, 520, 14),
    (1, 600, 60), (600, 1, 60), (200, 200, 1), (1, 33000, 1), (193, 17, 11),
  ])
  func blockBoundariesMatchPlainLoop(_ size: (Int, Int, Int)) {
    let (m, n, k) = size
    expectEveryKernel(Double.self, m, n, k, path: .gemm)
    expectEveryKernel(Float.self, m, n, k, path: .gemm)
  }

  /// Full blocks plus one: a 256 × 512 panel of B and a 96 × 256 block of A
  /// packed to capacity (AddressSanitizer watches the packed buffers), then
  /// the one-step, eight-column and one-row remainders.
  @Test func fullBlocksPlusRemainders() {
    for (m, n, k) in [(1, 520, 257), (97, 9, 257)] {
      expectEveryKernel(Double.self, m, n, k, path: .band, transpositions: [(false, false), (true, true)])
      expectEveryKernel(Float.self, m, n, k, path: .band, transpositions: [(false, true), (true, false)])
    }
  }

  /// Around the two-thread threshold (2²⁰ multiply-adds and 12 rows) and the
  /// split (a multiple of six rows, the rest to the second thread).
  @Test(arguments: [
    (11, 320, 300), (12, 300, 292), (12, 291, 300), (13, 300, 270), (19, 240, 240), (103, 101, 103),
  ])
  func aroundTheThreadThreshold(_ size: (Int, Int, Int)) {
    let (m, n, k) = size
    expectEveryKernel(Double.self, m, n, k, path: .gemm, transpositions: [(false, false)])
    expectEveryKernel(Float.self, m, n, k, path: .gemm, transpositions: [(true, true)])
  }

  /// A band computes its own rows only: C outside it keeps its values (the
  /// two threads write disjoint rows), inside it the product is added.
  @Test func bandWritesOnlyItsRows() {
    expectBandWritesOnlyItsRows(Double.self)
    expectBandWritesOnlyItsRows(Float.self)
  }

  /// Empty products: m, n or k = 0 (C all zeros, nothing read).
  @Test func emptyProducts() {
    for (m, n, k) in [(0, 5, 3), (4, 0, 3), (4, 5, 0), (0, 0, 0), (40, 40, 0), (0, 600, 600)] {
      expectEveryKernel(Double.self, m, n, k, path: .gemm)
      expectEveryKernel(Float.self, m, n, k, path: .gemm)
    }
  }

  /// A NaN or an infinity in A or B reaches exactly the outputs a plain
  /// loop gives it (0·∞ = NaN, ∞ − ∞ = NaN), in full and edge tiles, small
  /// and blocked.
  @Test(arguments: [(7, 9, 5), (13, 19, 300), (97, 17, 30), (40, 40, 40)])
  func nanAndInfinityPropagateAsInPlainLoop(_ size: (Int, Int, Int)) {
    let (m, n, k) = size
    for fill in [Fill.nan, .infinities, .zerosTimesInfinity] {
      expectEveryKernel(Double.self, m, n, k, path: .gemm, fill: fill)
      expectEveryKernel(Float.self, m, n, k, path: .gemm, fill: fill)
      expectEveryKernel(Double.self, m, n, k, path: .band, fill: fill)
      expectEveryKernel(Float.self, m, n, k, path: .band, fill: fill)
    }
  }

  /// Subnormal operands and products are not flushed to zero.
  @Test(arguments: [(7, 9, 5), (40, 41, 42)])
  func subnormalsAreKept(_ size: (Int, Int, Int)) {
    let (m, n, k) = size
    expectEveryKernel(Double.self, m, n, k, path: .gemm, fill: .subnormal)
    expectEveryKernel(Float.self, m, n, k, path: .gemm, fill: .subnormal)
    expectEveryKernel(Double.self, m, n, k, path: .band, fill: .subnormal)
    expectEveryKernel(Float.self, m, n, k, path: .band, fill: .subnormal)
  }

  /// Batched and vector products through `matmul` large enough for the
  /// packed kernel (each matrix over 32³ multiply-adds), with their
  /// gradients, against plain loops.
  @Test(arguments: [
    ([2, 40, 50], [50, 30]), ([3, 1, 33, 40], [2, 40, 31]), ([300], [300, 130]), ([300, 130], [130]),
    ([2, 200, 170], [170]), ([170], [2, 170, 200]), ([40000], [40000]),
  ])
  func batchedAndVectorProductsThroughTensor(_ shapes: ([Int], [Int])) {
    expectTensorProductMatchesLoops(Double.self, shapes.0, shapes.1)
    expectTensorProductMatchesLoops(Float.self, shapes.0, shapes.1)
  }

  /// Tensors with an empty axis: the product and its gradients are zeros of
  /// the right shapes.
  @Test(arguments: [([0, 5], [5, 3]), ([4, 0], [0, 3]), ([4, 5], [5, 0]), ([2, 0, 5], [5, 3]), ([0], [0])])
  func emptyTensorProducts(_ shapes: ([Int], [Int])) {
    expectTensorProductMatchesLoops(Double.self, shapes.0, shapes.1)
    expectTensorProductMatchesLoops(Float.self, shapes.0, shapes.1)
  }
}

// MARK: - Helpers

private enum GemmPath { case gemm, band }

/// What the operands hold besides uniform values in [-1, 1].
private enum Fill { case plain, nan, infinities, zerosTimesInfinity, subnormal }

/// `count` deterministic values in [-1, 1] (a small linear congruential
/// generator: the tests must not depend on the Tensor code under test).
private func values<S: BinaryFloatingPoint>(_: S.Type, _ count: Int, seed: UInt64) -> [S] {
  var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
  return (0..<count).map { _ in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return S(Double(state >> 11) / Double(1 << 53) * 2 - 1)
  }
}

/// Logical A (m × k) and B (k × n), row-major, filled as `fill` says.
private func operands<S: BinaryFloatingPoint>(
  _: S.Type, _ m: Int, _ n: Int, _ k: Int, _ fill: Fill
) -> (a: [S], b: [S]) {
  var a = values(S.self, m * k, seed: UInt64(m * 1_000_003 + k)), b = values(S.self, k * n, seed: UInt64(n * 7 + k))
  func set(_ x: inout [S], _ rows: Int, _ columns: Int, _ i: Int, _ j: Int, _ v: S) {
    if rows > 0 && columns > 0 { x[(i % rows) * columns + j % columns] = v }
  }
  switch fill {
  case .plain: break
  case .nan:
    set(&a, m, k, m - 1, k / 2, .nan)  // the last row (an edge tile when m % 6 ≠ 0)
    set(&b, k, n, 0, n - 1, .nan)  // the last column
    set(&b, k, n, k - 1, n / 3, -.nan)
  case .infinities:
    set(&a, m, k, m / 2, 0, .infinity)
    set(&a, m, k, m - 1, k - 1, -.infinity)
    set(&b, k, n, k / 2, n - 1, .infinity)
    set(&b, k, n, k - 1, 1, -.infinity)
    set(&b, k, n, k - 1, 0, .infinity)
  case .zerosTimesInfinity:
    // Column p = 0 of A all zeros but one infinity; row 0 of B with an
    // infinity and zeros: 0·∞ in most outputs of a column.
    for i in 0..<m { set(&a, m, k, i, 0, 0) }
    set(&a, m, k, m - 1, 0, .infinity)
    set(&b, k, n, 0, n - 1, -.infinity)
    set(&b, k, n, 0, 0, 0)
  case .subnormal:
    // Products (and most of A) below the least normal magnitude.
    a = a.map { $0 * S.leastNormalMagnitude / 4 }
    b = b.map { $0 == 0 ? 1 : $0 }
  }
  return (a, b)
}

/// The storage of logical `x` (rows × columns, row-major), transposed when
/// `transposed` (then columns × rows).
private func stored<S>(_ x: [S], rows: Int, columns: Int, transposed: Bool) -> [S] {
  guard transposed else { return x }
  var t = x
  for i in 0..<rows { for j in 0..<columns { t[j * rows + i] = x[i * columns + j] } }
  return t
}

/// `body` on a copy of `xs` in a buffer of exactly `xs.count` elements.
private func withExactBuffer<S, R>(_ xs: [S], _ body: (UnsafeMutablePointer<S>) -> R) -> R {
  let p = UnsafeMutablePointer<S>.allocate(capacity: xs.count)
  p.initialize(from: xs, count: xs.count)
  defer { p.deallocate() }
  return body(p)
}

/// The kernels this CPU runs.
private func kernels<S: _GemmScalar>(_: S.Type) -> [(String, _GemmKernel<S>)] {
  var result = [("SSE2", _GemmKernel<S>.sse())]
  if _cpuHasAVX2FMA { result.append(("AVX2", S._wideKernel)) }
  return result
}

/// Whether `got` agrees with a plain loop in `S` (`plain`: NaN and the
/// infinities exactly) and with the exact value (within k·ε of the sum of
/// magnitudes, plus k subnormal steps).
private func agrees<S: BinaryFloatingPoint>(_ got: S, plain: S, exact: Double, magnitude: Double, k: Int) -> Bool {
  if plain.isNaN { return got.isNaN }
  if plain.isInfinite { return got == plain }
  guard got.isFinite else { return false }
  let bound = 2 * Double(k) * (Double(S.ulpOfOne) * magnitude + Double(S.leastNonzeroMagnitude))
  return Swift.abs(Double(got) - exact) <= bound
}

/// C = A·B by `_gemm` (or `_gemmBand` on all rows, C zeroed first) with
/// each kernel and each transposition, against plain loops.
private func expectEveryKernel<S: _GemmScalar & BinaryFloatingPoint>(
  _: S.Type, _ m: Int, _ n: Int, _ k: Int, path: GemmPath, fill: Fill = .plain,
  transpositions: [(Bool, Bool)] = [(false, false), (false, true), (true, false), (true, true)],
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let (a, b) = operands(S.self, m, n, k, fill)
  // The plain loop in S, and the exact value and magnitude in Double.
  var plain = [S](repeating: 0, count: m * n)
  var exact = [Double](repeating: 0, count: m * n), magnitude = [Double](repeating: 0, count: m * n)
  for i in 0..<m {
    for p in 0..<k {
      for j in 0..<n {
        let x = a[i * k + p], y = b[p * n + j]
        plain[i * n + j] += x * y
        let e = Double(x) * Double(y)
        exact[i * n + j] += e
        magnitude[i * n + j] += Swift.abs(e)
      }
    }
  }
  if fill == .subnormal {
    // Not flushed: some outputs are nonzero subnormals.
    #expect(m * n * k == 0 || plain.contains { $0 != 0 && $0.isSubnormal }, sourceLocation: sourceLocation)
  }
  for (kernelName, kernel) in kernels(S.self) {
    for (transposingA, transposingB) in transpositions {
      let sa = stored(a, rows: m, columns: k, transposed: transposingA)
      let sb = stored(b, rows: k, columns: n, transposed: transposingB)
      let c: [S] = withExactBuffer(sa) { pa in
        withExactBuffer(sb) { pb in
          withExactBuffer([S](repeating: .nan, count: m * n)) { pc in
            let opA = _GemmOperand(UnsafePointer(pa), rows: m, columns: k, transposed: transposingA)
            let opB = _GemmOperand(UnsafePointer(pb), rows: k, columns: n, transposed: transposingB)
            switch path {
            case .gemm:
              _gemm(m, n, k, opA, opB, pc, kernel: kernel)
            case .band:
              pc.update(repeating: 0, count: m * n)
              _gemmBand(0..<m, n, k, opA, opB, pc, kernel)
            }
            return Array(UnsafeBufferPointer(start: pc, count: m * n))
          }
        }
      }
      var wrong: [String] = []
      for i in 0..<m {
        for j in 0..<n where !agrees(c[i * n + j], plain: plain[i * n + j], exact: exact[i * n + j],
                                     magnitude: magnitude[i * n + j], k: k) {
          if wrong.count < 4 { wrong.append("[\(i), \(j)]: \(c[i * n + j]), plain loop \(plain[i * n + j])") }
        }
      }
      #expect(
        wrong.isEmpty,
        "\(S.self) \(kernelName) \(path) \(m)×\(k)·\(k)×\(n) \(fill) Aᵀ: \(transposingA) Bᵀ: \(transposingB): \(wrong)",
        sourceLocation: sourceLocation)
    }
  }
}

/// `_gemmBand` on rows r0..<r1 leaves the other rows of C as they were and
/// adds the product to its own.
private func expectBandWritesOnlyItsRows<S: _GemmScalar & BinaryFloatingPoint>(
  _: S.Type, sourceLocation: SourceLocation = #_sourceLocation
) {
  for (m, n, k, r0, r1) in [(30, 37, 20, 12, 30), (30, 37, 20, 0, 12), (25, 9, 300, 7, 13), (200, 17, 5, 6, 103)] {
    let (a, b) = operands(S.self, m, n, k, .plain)
    let before = values(S.self, m * n, seed: 99)
    for (kernelName, kernel) in kernels(S.self) {
      let c: [S] = withExactBuffer(a) { pa in
        withExactBuffer(b) { pb in
          withExactBuffer(before) { pc in
            _gemmBand(r0..<r1, n, k, _GemmOperand(UnsafePointer(pa), rows: m, columns: k, transposed: false),
                      _GemmOperand(UnsafePointer(pb), rows: k, columns: n, transposed: false), pc, kernel)
            return Array(UnsafeBufferPointer(start: pc, count: m * n))
          }
        }
      }
      var wrong = 0
      for i in 0..<m {
        for j in 0..<n {
          if !(r0..<r1).contains(i) {
            if c[i * n + j] != before[i * n + j] { wrong += 1 }
            continue
          }
          var s = Double(before[i * n + j]), magnitude = Swift.abs(s)
          for p in 0..<k {
            s += Double(a[i * k + p]) * Double(b[p * n + j])
            magnitude += Swift.abs(Double(a[i * k + p]) * Double(b[p * n + j]))
          }
          if !agrees(c[i * n + j], plain: S(s), exact: s, magnitude: magnitude, k: k + 1) { wrong += 1 }
        }
      }
      #expect(wrong == 0, "\(S.self) \(kernelName) rows \(r0)..<\(r1) of \(m)", sourceLocation: sourceLocation)
    }
  }
}

/// `matmul` of tensors of shapes `sa` and `sb` (batched, broadcast or
/// vectors) and its gradients for a seed g, against loops in Double.
private func expectTensorProductMatchesLoops<S: DifferentiableScalar & BinaryFloatingPoint>(
  _: S.Type, _ sa: [Int], _ sb: [Int], sourceLocation: SourceLocation = #_sourceLocation
) {
  let count = { (s: [Int]) in s.reduce(1, *) }
  let av = values(S.self, count(sa), seed: 11), bv = values(S.self, count(sb), seed: 12)
  let a = Tensor<S>(av, shape: sa, requiresGrad: true), b = Tensor<S>(bv, shape: sb, requiresGrad: true)
  let c = matmul(a, b)
  // Vectors as matrices, batch axes padded with ones and broadcast.
  let ma = sa.count == 1 ? [1] + sa : sa, mb = sb.count == 1 ? sb + [1] : sb
  let m = ma[ma.count - 2], k = ma[ma.count - 1], n = mb[mb.count - 1]
  let ba = Array(ma.dropLast(2)), bb = Array(mb.dropLast(2))
  let rank = Swift.max(ba.count, bb.count)
  let pa = [Int](repeating: 1, count: rank - ba.count) + ba, pb = [Int](repeating: 1, count: rank - bb.count) + bb
  let batch = zip(pa, pb).map { Swift.max($0, $1) }
  var shape = batch + [m, n]
  if sb.count == 1 { shape.removeLast() }
  if sa.count == 1 { shape.remove(at: shape.count - (sb.count == 1 ? 1 : 2)) }
  #expect(c.shape == shape, "\(S.self) \(sa)·\(sb)", sourceLocation: sourceLocation)
  let g = values(S.self, count(shape), seed: 13)
  c.backward(seed: Tensor<S>(g, shape: shape))
  func matrix(_ index: [Int], _ ext: [Int]) -> Int {
    var flat = 0
    for (i, e) in zip(index, ext) { flat = flat * e + (e == 1 ? 0 : i) }
    return flat
  }
  let cv = c.scalars
  var ga = [Double](repeating: 0, count: av.count), gb = [Double](repeating: 0, count: bv.count)
  var ma2 = [Double](repeating: 0, count: av.count), mb2 = [Double](repeating: 0, count: bv.count)
  var wrong = 0
  for t in 0..<count(batch) {
    var index = [Int](repeating: 0, count: rank), r = t
    for d in stride(from: rank - 1, through: 0, by: -1) {
      index[d] = r % batch[d]
      r /= batch[d]
    }
    let oa = matrix(index, pa) * m * k, ob = matrix(index, pb) * k * n
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0, magnitude = 0.0
        for p in 0..<k {
          let e = Double(av[oa + i * k + p]) * Double(bv[ob + p * n + j])
          s += e
          magnitude += Swift.abs(e)
        }
        let at = t * m * n + i * n + j, gij = Double(g[at])
        if !agrees(cv[at], plain: S(s), exact: s, magnitude: magnitude, k: k) { wrong += 1 }
        for p in 0..<k {
          ga[oa + i * k + p] += gij * Double(bv[ob + p * n + j])
          ma2[oa + i * k + p] += Swift.abs(gij * Double(bv[ob + p * n + j]))
          gb[ob + p * n + j] += Double(av[oa + i * k + p]) * gij
          mb2[ob + p * n + j] += Swift.abs(Double(av[oa + i * k + p]) * gij)
        }
      }
    }
  }
  #expect(wrong == 0, "\(S.self) \(sa)·\(sb): \(wrong) wrong products", sourceLocation: sourceLocation)
  let terms = count(shape) + 1  // a bound on the terms of each gradient sum
  let gotA = a.grad?.scalars ?? [], gotB = b.grad?.scalars ?? []
  #expect(gotA.count == av.count && gotB.count == bv.count, sourceLocation: sourceLocation)
  let wrongA = zip(gotA.indices, gotA).filter { !agrees($1, plain: S(ga[$0]), exact: ga[$0], magnitude: ma2[$0], k: terms) }
  let wrongB = zip(gotB.indices, gotB).filter { !agrees($1, plain: S(gb[$0]), exact: gb[$0], magnitude: mb2[$0], k: terms) }
  #expect(wrongA.isEmpty && wrongB.isEmpty, "\(S.self) \(sa)·\(sb) gradients: \(wrongA.count), \(wrongB.count) wrong",
          sourceLocation: sourceLocation)
}
