import DifferentiableModule

// The Double matrix product C[m×n] = A[m×k]·B[k×n], all row-major: blocked
// (kc × nc panels of B, mc × kc blocks of A, both packed), a 6×4 register
// microkernel on SIMD4<Double> (12 accumulators fit the 16 SSE2 registers of
// baseline x86-64), and the rows of C split between two threads when the
// product is large enough to pay for a thread.

@usableFromInline let _gemmMR = 6
@usableFromInline let _gemmNR = 4
let _gemmKC = 256
let _gemmMC = 96
let _gemmNC = 512

/// C = A·B for Double (C is overwritten).
@usableFromInline
func _gemmDouble(
  _ m: Int, _ n: Int, _ k: Int,
  _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>
) {
  _gemmDouble(m, n, k, _GemmOperand(a, rowStride: k, columnStride: 1),
              _GemmOperand(b, rowStride: n, columnStride: 1), c)
}

/// A matrix operand read through strides: element (i, j) at
/// `base[i·rowStride + j·columnStride]`, so that a transposed matrix is read
/// in place (packing copies the operands anyway).
@usableFromInline
struct _GemmOperand {
  @usableFromInline let base: UnsafePointer<Double>
  @usableFromInline let rowStride: Int
  @usableFromInline let columnStride: Int

  @usableFromInline
  init(_ base: UnsafePointer<Double>, rowStride: Int, columnStride: Int) {
    self.base = base
    self.rowStride = rowStride
    self.columnStride = columnStride
  }

  @inline(__always)
  subscript(i: Int, j: Int) -> Double { base[i * rowStride + j * columnStride] }
}

/// C[m×n] = A·B for Double operands read through strides (C row-major,
/// overwritten).
@usableFromInline
func _gemmDouble(_ m: Int, _ n: Int, _ k: Int, _ a: _GemmOperand, _ b: _GemmOperand, _ c: UnsafeMutablePointer<Double>) {
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
func _gemmBand(
  _ rows: Range<Int>, _ n: Int, _ k: Int, _ a: _GemmOperand, _ b: _GemmOperand, _ c: UnsafeMutablePointer<Double>
) {
  let mr = _gemmMR, nr = _gemmNR
  let packedB = UnsafeMutablePointer<Double>.allocate(capacity: _gemmKC * (_gemmNC + nr))
  // A is packed with every element duplicated, so that the microkernel loads
  // a broadcast pair with one 16-byte load (SSE2 has no broadcast load).
  let packedA = UnsafeMutablePointer<Double>.allocate(capacity: 2 * (_gemmMC + mr) * _gemmKC)
  defer {
    packedB.deallocate()
    packedA.deallocate()
  }
  var tile = (SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>())
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
          let dst = packedA + 2 * ip * kc
          for i in 0..<mr {
            if i < h {
              for p in 0..<kc {
                let v = a[ic + ip + i, pc + p]
                dst[2 * (p * mr + i)] = v
                dst[2 * (p * mr + i) + 1] = v
              }
            } else {
              for p in 0..<kc {
                dst[2 * (p * mr + i)] = 0
                dst[2 * (p * mr + i) + 1] = 0
              }
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
            _kernel6x4(kc, packedA + 2 * ir * kc, packedB + jr * kc, &tile)
            let cBase = c + (ic + ir) * n + jc + jr
            withUnsafeBytes(of: &tile) { raw in
              let t = raw.bindMemory(to: Double.self)
              if w == nr {
                for i in 0..<h {
                  let row = cBase + i * n
                  row[0] += t[i * 4]
                  row[1] += t[i * 4 + 1]
                  row[2] += t[i * 4 + 2]
                  row[3] += t[i * 4 + 3]
                }
              } else {
                for i in 0..<h {
                  for j in 0..<w { cBase[i * n + j] += t[i * 4 + j] }
                }
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

/// The 6×4 register tile of Apanel (kc × 6 duplicated pairs, k-major) times
/// Bpanel (kc × 4): twelve SIMD2 accumulators, two B loads and six A pair
/// loads per step.
@inline(__always)
func _kernel6x4(
  _ kc: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
  _ tile: inout (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>)
) {
  typealias V = SIMD2<Double>
  var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
  var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
  var pa = UnsafeRawPointer(a)
  var pb = UnsafeRawPointer(b)
  for _ in 0..<kc {
    let b0 = pb.loadUnaligned(as: V.self)
    let b1 = pb.loadUnaligned(fromByteOffset: 16, as: V.self)
    let a0 = pa.loadUnaligned(as: V.self)
    let a1 = pa.loadUnaligned(fromByteOffset: 16, as: V.self)
    let a2 = pa.loadUnaligned(fromByteOffset: 32, as: V.self)
    c00 += a0 * b0
    c01 += a0 * b1
    c10 += a1 * b0
    c11 += a1 * b1
    c20 += a2 * b0
    c21 += a2 * b1
    let a3 = pa.loadUnaligned(fromByteOffset: 48, as: V.self)
    let a4 = pa.loadUnaligned(fromByteOffset: 64, as: V.self)
    let a5 = pa.loadUnaligned(fromByteOffset: 80, as: V.self)
    c30 += a3 * b0
    c31 += a3 * b1
    c40 += a4 * b0
    c41 += a4 * b1
    c50 += a5 * b0
    c51 += a5 * b1
    pa += 96
    pb += 32
  }
  tile = (SIMD4(lowHalf: c00, highHalf: c01), SIMD4(lowHalf: c10, highHalf: c11),
          SIMD4(lowHalf: c20, highHalf: c21), SIMD4(lowHalf: c30, highHalf: c31),
          SIMD4(lowHalf: c40, highHalf: c41), SIMD4(lowHalf: c50, highHalf: c51))
}

/// C += A·B by i-k-j loops (small products, and scalar types other than
/// `Double`).
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
