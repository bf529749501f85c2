import DifferentiableModule

// The matrix product C[m×n] = A[m×k]·B[k×n] for Double and Float, all
// row-major: blocked (kc × nc panels of B, mc × kc blocks of A, both packed),
// a register microkernel of six rows by two SSE vectors (6×4 for Double,
// 6×8 for Float: twelve accumulators fit the 16 SSE2 registers of baseline
// x86-64), and the rows of C split between two threads when the product is
// large enough to pay for a thread.

/// A scalar type with a packed matrix-product kernel: `Lanes` is the vector
/// of one 16-byte SSE register.
@usableFromInline
protocol _GemmScalar: DifferentiableScalar {
  associatedtype Lanes: SIMD where Lanes.Scalar: FloatingPoint
}

extension Double: _GemmScalar {
  @usableFromInline typealias Lanes = SIMD2<Double>
}

extension Float: _GemmScalar {
  @usableFromInline typealias Lanes = SIMD4<Float>
}

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
func _gemm<S: _GemmScalar>(_ m: Int, _ n: Int, _ k: Int, _ a: _GemmOperand<S>, _ b: _GemmOperand<S>, _ c: UnsafeMutablePointer<S>) {
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
    var split = (m / 2 + _gemmMR - 1) / _gemmMR * _gemmMR
    if split >= m { split = m / 2 }
    _runOnSecondThread({ _gemmBand(split..<m, n, k, a, b, c) }, while: { _gemmBand(0..<split, n, k, a, b, c) })
    return
  }
  _gemmBand(0..<m, n, k, a, b, c)
}

/// One band of rows of the product (C rows `rows` += A rows `rows`·B).
func _gemmBand<S: _GemmScalar>(
  _ rows: Range<Int>, _ n: Int, _ k: Int, _ a: _GemmOperand<S>, _ b: _GemmOperand<S>, _ c: UnsafeMutablePointer<S>
) {
  let lanes = S.Lanes.scalarCount
  let mr = _gemmMR, nr = 2 * lanes
  let packedB = UnsafeMutablePointer<S>.allocate(capacity: _gemmKC * (_gemmNC + nr))
  // A is packed with every element repeated `lanes` times, so that the
  // microkernel loads a broadcast vector with one 16-byte load (SSE2 has no
  // broadcast load).
  let packedA = UnsafeMutablePointer<S>.allocate(capacity: lanes * (_gemmMC + mr) * _gemmKC)
  let tile = UnsafeMutablePointer<S>.allocate(capacity: mr * nr)
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
      // Pack B[pc..<pc+kc, jc..<jc+nc] into column panels of width NR.
      var jp = 0
      while jp < nc {
        let w = Swift.min(nr, nc - jp)
        let dst = packedB + jp * kc
        for p in 0..<kc {
          for j in 0..<nr { dst[p * nr + j] = j < w ? b[pc + p, jc + jp + j] : 0 }
        }
        jp += nr
      }
      var ic = rows.lowerBound
      while ic < rows.upperBound {
        let mc = Swift.min(_gemmMC, rows.upperBound - ic)
        // Pack A[ic..<ic+mc, pc..<pc+kc] into row panels of height MR.
        var ip = 0
        while ip < mc {
          let h = Swift.min(mr, mc - ip)
          let dst = packedA + lanes * ip * kc
          for i in 0..<mr {
            for p in 0..<kc {
              let v = i < h ? a[ic + ip + i, pc + p] : 0
              (dst + lanes * (p * mr + i)).update(repeating: v, count: lanes)
            }
          }
          ip += mr
        }
        // Microkernels over the block.
        var jr = 0
        while jr < nc {
          let w = Swift.min(nr, nc - jr)
          var ir = 0
          while ir < mc {
            let h = Swift.min(mr, mc - ir)
            _kernel(kc, packedA + lanes * ir * kc, packedB + jr * kc, tile)
            let cBase = c + (ic + ir) * n + jc + jr
            for i in 0..<h {
              let row = cBase + i * n
              for j in 0..<w { row[j] += tile[i * nr + j] }
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

/// The MR × NR register tile (six rows, two vectors) of Apanel (kc steps of
/// six broadcast vectors) times Bpanel (kc steps of two vectors), written to
/// `tile` row by row: twelve vector accumulators, two B loads and six A
/// loads per step.
@inline(__always)
func _kernel<S: _GemmScalar>(_ kc: Int, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ tile: UnsafeMutablePointer<S>) {
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
  let t = UnsafeMutableRawPointer(tile)
  t.storeBytes(of: c00, toByteOffset: 0, as: V.self)
  t.storeBytes(of: c01, toByteOffset: size, as: V.self)
  t.storeBytes(of: c10, toByteOffset: 2 * size, as: V.self)
  t.storeBytes(of: c11, toByteOffset: 3 * size, as: V.self)
  t.storeBytes(of: c20, toByteOffset: 4 * size, as: V.self)
  t.storeBytes(of: c21, toByteOffset: 5 * size, as: V.self)
  t.storeBytes(of: c30, toByteOffset: 6 * size, as: V.self)
  t.storeBytes(of: c31, toByteOffset: 7 * size, as: V.self)
  t.storeBytes(of: c40, toByteOffset: 8 * size, as: V.self)
  t.storeBytes(of: c41, toByteOffset: 9 * size, as: V.self)
  t.storeBytes(of: c50, toByteOffset: 10 * size, as: V.self)
  t.storeBytes(of: c51, toByteOffset: 11 * size, as: V.self)
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
