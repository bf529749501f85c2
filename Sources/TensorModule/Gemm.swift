import DifferentiableModule
internal import _LeibnizKernels

// The matrix product C[m×n] = A[m×k]·B[k×n] for Double and Float, all
// row-major: blocked (kc × nc panels of B, mc × kc blocks of A, both packed),
// a register microkernel of six rows by two vectors, and the rows of C split
// between two threads when the product is large enough to pay for a thread.
//
// The microkernel is chosen at run time: on a CPU with AVX2 and FMA, the C
// kernels of _LeibnizKernels (256-bit vectors, fused multiply-add: 6×8 for
// Double, 6×16 for Float); otherwise the Swift kernel below on 16-byte SSE2
// vectors (6×4 for Double, 6×8 for Float), as default Swift builds target
// baseline x86-64 and a library must not raise that for its clients.

/// A scalar type with a packed matrix-product kernel: `Lanes` is the vector
/// of one 16-byte SSE register.
protocol _GemmScalar: DifferentiableScalar {
  associatedtype Lanes: SIMD where Lanes.Scalar: FloatingPoint
  /// The AVX2 + FMA kernel.
  static var _wideKernel: _GemmKernel<Self> { get }
}

extension Double: _GemmScalar {
  typealias Lanes = SIMD2<Double>
  static var _wideKernel: _GemmKernel<Double> {
    _GemmKernel(width: 8, repeatsA: 1) { leibniz_kernel_f64_6x8($0, $1, $2, $3, $4) }
  }
}

extension Float: _GemmScalar {
  typealias Lanes = SIMD4<Float>
  static var _wideKernel: _GemmKernel<Float> {
    _GemmKernel(width: 16, repeatsA: 1) { leibniz_kernel_f32_6x16($0, $1, $2, $3, $4) }
  }
}

/// A register-tile microkernel: `run(kc, packedA, packedB, c, ldc)` adds the
/// 6 × `width` tile of a packed A panel (kc steps of six values, each
/// repeated `repeatsA` times) times a packed B panel (kc steps of `width`
/// values) to the rows c, c + ldc, … of C.
struct _GemmKernel<S> {
  let width: Int
  let repeatsA: Int
  let run: (Int, UnsafePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>, Int) -> Void

  /// The Swift kernel on 16-byte SSE2 vectors (A values repeated across a
  /// vector: SSE2 has no broadcast load).
  static func sse() -> _GemmKernel where S: _GemmScalar {
    _GemmKernel(width: 2 * S.Lanes.scalarCount, repeatsA: S.Lanes.scalarCount) { _kernel($0, $1, $2, $3, $4) }
  }

  /// The fastest kernel this CPU runs.
  static func best() -> _GemmKernel where S: _GemmScalar { _cpuHasAVX2FMA ? S._wideKernel : sse() }
}

/// Whether this CPU runs the AVX2 + FMA kernels (checked once).
let _cpuHasAVX2FMA = leibniz_has_avx2_fma() != 0

/// Rows of the register tile.
let _gemmMR = 6
let _gemmKC = 256
let _gemmMC = 96
let _gemmNC = 512

/// A matrix operand read through strides: element (i, j) at
/// `base[i·rowStride + j·columnStride]`, so that a transposed matrix is read
/// in place (packing copies the operands anyway).
struct _GemmOperand<Scalar> {
  let base: UnsafePointer<Scalar>
  let rowStride: Int
  let columnStride: Int

  init(_ base: UnsafePointer<Scalar>, rowStride: Int, columnStride: Int) {
    self.base = base
    self.rowStride = rowStride
    self.columnStride = columnStride
  }

  /// A row-major `rows × columns` matrix at `base`, or its transpose (read
  /// in place) when `transposed` (then `base` holds `columns × rows`).
  init(_ base: UnsafePointer<Scalar>, rows: Int, columns: Int, transposed: Bool) {
    self.init(base, rowStride: transposed ? 1 : columns, columnStride: transposed ? rows : 1)
  }

  @inline(__always)
  subscript(i: Int, j: Int) -> Scalar { base[i * rowStride + j * columnStride] }
}

/// Whether `Scalar` has the packed matrix-product kernel.
@usableFromInline
func _hasPackedProduct<Scalar>(_: Scalar.Type) -> Bool { Scalar.self == Double.self || Scalar.self == Float.self }

/// C[m×n] = op(A)·op(B) with the packed kernel when `Scalar` has one (Double,
/// Float), where op transposes an operand read in place; false otherwise
/// (C untouched). `a` holds A as `m × k` (`k × m` when `transposingA`), `b`
/// holds B as `k × n` (`n × k` when `transposingB`), C is row-major and
/// overwritten.
@usableFromInline
func _gemmIfSupported<Scalar>(
  _ m: Int, _ n: Int, _ k: Int,
  _ a: UnsafePointer<Scalar>, transposingA: Bool, _ b: UnsafePointer<Scalar>, transposingB: Bool,
  _ c: UnsafeMutablePointer<Scalar>
) -> Bool {
  func run<S: _GemmScalar>(_: S.Type) {
    _gemm(m, n, k,
          _GemmOperand(UnsafeRawPointer(a).assumingMemoryBound(to: S.self), rows: m, columns: k, transposed: transposingA),
          _GemmOperand(UnsafeRawPointer(b).assumingMemoryBound(to: S.self), rows: k, columns: n, transposed: transposingB),
          UnsafeMutableRawPointer(c).assumingMemoryBound(to: S.self))
  }
  if Scalar.self == Double.self { run(Double.self) } else if Scalar.self == Float.self { run(Float.self) }
  return _hasPackedProduct(Scalar.self)
}

/// C[m×n] = A·B for operands read through strides (C row-major,
/// overwritten).
@_specialize(where S == Double)
@_specialize(where S == Float)
func _gemm<S: _GemmScalar>(
  _ m: Int, _ n: Int, _ k: Int, _ a: _GemmOperand<S>, _ b: _GemmOperand<S>, _ c: UnsafeMutablePointer<S>,
  kernel: _GemmKernel<S> = .best()
) {
  c.update(repeating: 0, count: m * n)
  if m == 0 || n == 0 || k == 0 { return }
  if m * n * k < 32 * 32 * 32 {
    if a.columnStride == 1 && a.rowStride == k && b.columnStride == 1 && b.rowStride == n {
      _gemmAccumulate(m, n, k, a.base, b.base, c)
    } else {
      for i in 0..<m { for p in 0..<k { let v = a[i, p]; for j in 0..<n { c[i * n + j] += v * b[p, j] } } }
    }
    return
  }
  let work = m * n * k
  if work >= 1 << 20 && m >= 2 * _gemmMR {
    // Two threads: each computes a band of rows (a multiple of MR rows).
    // (Below m, since m ≥ 2·MR.)
    let split = (m / 2 + _gemmMR - 1) / _gemmMR * _gemmMR
    runOnSecondThread({ _gemmBand(split..<m, n, k, a, b, c, kernel) }, while: { _gemmBand(0..<split, n, k, a, b, c, kernel) })
    return
  }
  _gemmBand(0..<m, n, k, a, b, c, kernel)
}

/// Room for `count` values of `S` starting on a 64-byte cache-line boundary
/// (free with `deallocate()`).
func _allocateLineAligned<S>(_: S.Type, _ count: Int) -> UnsafeMutablePointer<S> {
  UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<S>.stride, alignment: 64)
    .bindMemory(to: S.self, capacity: count)
}

/// One band of rows of the product (C rows `rows` += A rows `rows`·B).
func _gemmBand<S: _GemmScalar>(
  _ rows: Range<Int>, _ n: Int, _ k: Int, _ a: _GemmOperand<S>, _ b: _GemmOperand<S>, _ c: UnsafeMutablePointer<S>,
  _ kernel: _GemmKernel<S>
) {
  let lanes = kernel.repeatsA
  let mr = _gemmMR, nr = kernel.width
  // On cache-line boundaries: a B step is one or two 64-byte lines, and a
  // 32-byte load across two lines costs about double (a plain allocation is
  // only 16-byte aligned, so where the buffer landed decided how many did).
  let packedB = _allocateLineAligned(S.self, _gemmKC * (_gemmNC + nr))
  // A is packed with every element repeated `lanes` times (the SSE2 kernel
  // loads a broadcast vector with one 16-byte load).
  let packedA = _allocateLineAligned(S.self, lanes * (_gemmMC + mr) * _gemmKC)
  let tile = _allocateLineAligned(S.self, mr * nr)
  defer {
    packedB.deallocate()
    packedA.deallocate()
    tile.deallocate()
  }
  var jc = 0
  while jc < n {
    let nc = Swift.min(_gemmNC, n - jc)
    var pc = 0
    while pc < k {
      let kc = Swift.min(_gemmKC, k - pc)
      _packB(b, rows: pc..<pc + kc, columns: jc..<jc + nc, width: nr, into: packedB)
      var ic = rows.lowerBound
      while ic < rows.upperBound {
        let mc = Swift.min(_gemmMC, rows.upperBound - ic)
        _packA(a, rows: ic..<ic + mc, columns: pc..<pc + kc, repeats: lanes, into: packedA)
        // Microkernels over the block.
        var jr = 0
        while jr < nc {
          let w = Swift.min(nr, nc - jr)
          var ir = 0
          while ir < mc {
            let h = Swift.min(mr, mc - ir)
            let cBase = c + (ic + ir) * n + jc + jr
            if h == mr && w == nr {
              kernel.run(kc, packedA + lanes * ir * kc, packedB + jr * kc, cBase, n)
            } else {
              // An edge tile: computed apart, then its h × w part added.
              tile.update(repeating: 0, count: mr * nr)
              kernel.run(kc, packedA + lanes * ir * kc, packedB + jr * kc, tile, nr)
              for i in 0..<h {
                for j in 0..<w { cBase[i * n + j] += tile[i * nr + j] }
              }
            }
            ir += mr
          }
          jr += nr
        }
        ic += mc
      }
      pc += kc
    }
    jc += nc
  }
}

/// Adds the MR × NR register tile (six rows, two vectors) of Apanel (kc
/// steps of six broadcast vectors) times Bpanel (kc steps of two vectors) to
/// the rows c, c + ldc, … of C: twelve vector accumulators, two B loads and
/// six A loads per step (the SSE2 kernel of `_GemmKernel.sse()`).
@inline(__always)
func _kernel<S: _GemmScalar>(
  _ kc: Int, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ c: UnsafeMutablePointer<S>, _ ldc: Int
) {
  typealias V = S.Lanes
  let size = MemoryLayout<V>.size
  var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
  var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
  var pa = UnsafeRawPointer(a)
  var pb = UnsafeRawPointer(b)
  for _ in 0..<kc {
    let b0 = pb.loadUnaligned(as: V.self)
    let b1 = pb.loadUnaligned(fromByteOffset: size, as: V.self)
    let a0 = pa.loadUnaligned(as: V.self)
    let a1 = pa.loadUnaligned(fromByteOffset: size, as: V.self)
    let a2 = pa.loadUnaligned(fromByteOffset: 2 * size, as: V.self)
    c00 += a0 * b0
    c01 += a0 * b1
    c10 += a1 * b0
    c11 += a1 * b1
    c20 += a2 * b0
    c21 += a2 * b1
    let a3 = pa.loadUnaligned(fromByteOffset: 3 * size, as: V.self)
    let a4 = pa.loadUnaligned(fromByteOffset: 4 * size, as: V.self)
    let a5 = pa.loadUnaligned(fromByteOffset: 5 * size, as: V.self)
    c30 += a3 * b0
    c31 += a3 * b1
    c40 += a4 * b0
    c41 += a4 * b1
    c50 += a5 * b0
    c51 += a5 * b1
    pa += 6 * size
    pb += 2 * size
  }
  func add(_ x: V, _ y: V, toRow i: Int) {
    let r = UnsafeMutableRawPointer(c + i * ldc)
    r.storeBytes(of: r.loadUnaligned(as: V.self) + x, as: V.self)
    r.storeBytes(of: r.loadUnaligned(fromByteOffset: size, as: V.self) + y, toByteOffset: size, as: V.self)
  }
  add(c00, c01, toRow: 0)
  add(c10, c11, toRow: 1)
  add(c20, c21, toRow: 2)
  add(c30, c31, toRow: 3)
  add(c40, c41, toRow: 4)
  add(c50, c51, toRow: 5)
}

/// Packs B[rows, columns] into column panels of `width` (the last padded
/// with zeros): panel q holds, for each row p, the `width` values of columns
/// q·width …, at `dst[q·width·kc + p·width + j]`. Reads along the operand's
/// unit stride (rows of a plain operand, columns of a transposed one).
func _packB<S: _GemmScalar>(
  _ b: _GemmOperand<S>, rows: Range<Int>, columns: Range<Int>, width: Int, into dst: UnsafeMutablePointer<S>
) {
  let kc = rows.count, nc = columns.count
  let panels = (nc + width - 1) / width
  // Zero the padding of the last panel.
  let filled = nc - (panels - 1) * width
  if filled < width {
    let last = dst + (panels - 1) * width * kc
    for p in 0..<kc { (last + p * width + filled).update(repeating: 0, count: width - filled) }
  }
  for q in 0..<panels {
    let j0 = q * width, w = Swift.min(width, nc - j0)
    let panel = dst + q * width * kc
    if b.columnStride == 1 {
      for p in 0..<kc {
        let src = b.base + (rows.lowerBound + p) * b.rowStride + columns.lowerBound + j0
        (panel + p * width).update(from: src, count: w)
      }
    } else {
      // Down each column (contiguous in a transposed operand), by pointer
      // steps: subscripting each element cost a third of a small product.
      for j in 0..<w {
        var src = b.base + rows.lowerBound * b.rowStride + (columns.lowerBound + j0 + j) * b.columnStride
        var out = panel + j
        for _ in 0..<kc {
          out.pointee = src.pointee
          src += b.rowStride
          out += width
        }
      }
    }
  }
}

/// Packs A[rows, columns] into row panels of six rows (the last padded with
/// zeros), each value repeated `repeats` times: panel q holds, for each
/// column p, rows 6q … 6q + 5 at `dst[repeats·(6q·kc + 6p + i) + r]`. Reads
/// row by row through the operand's strides.
func _packA<S: _GemmScalar>(
  _ a: _GemmOperand<S>, rows: Range<Int>, columns: Range<Int>, repeats: Int, into dst: UnsafeMutablePointer<S>
) {
  let mr = _gemmMR, mc = rows.count, kc = columns.count
  let panels = (mc + mr - 1) / mr
  let filled = mc - (panels - 1) * mr
  if filled < mr {
    let last = dst + repeats * (panels - 1) * mr * kc
    for p in 0..<kc {
      (last + repeats * (p * mr + filled)).update(repeating: 0, count: repeats * (mr - filled))
    }
  }
  for q in 0..<panels {
    let i0 = q * mr, h = Swift.min(mr, mc - i0)
    let panel = dst + repeats * q * mr * kc
    // Each row of the panel steps by MR values (repeated) in the packed
    // buffer, and along the operand's columns by its column stride (1 for a
    // plain operand, the row count for a transposed one).
    for i in 0..<h {
      var src = a.base + (rows.lowerBound + i0 + i) * a.rowStride + columns.lowerBound * a.columnStride
      var out = panel + repeats * i
      for _ in 0..<kc {
        if repeats == 1 { out.pointee = src.pointee } else { out.update(repeating: src.pointee, count: repeats) }
        src += a.columnStride
        out += repeats * mr
      }
    }
  }
}

/// C += A·B by i-k-j loops (small products, and scalar types other than
/// `Double` and `Float`).
@inlinable
func _gemmAccumulate<Scalar: DifferentiableScalar>(
  _ m: Int, _ n: Int, _ k: Int,
  _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, _ c: UnsafeMutablePointer<Scalar>
) {
  for i in 0..<m {
    let row = c + i * n
    for p in 0..<k {
      let aip = a[i * k + p]
      let brow = b + p * n
      for j in 0..<n { row[j] += aip * brow[j] }
    }
  }
}
