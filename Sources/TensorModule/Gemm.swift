// The Double matrix product kernel: C[m×n] = A[m×k]·B[k×n], all row-major.
// Simple i-k-j with SIMD rows for now.

@usableFromInline
func _gemmDouble(
  _ m: Int, _ n: Int, _ k: Int,
  _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>
) {
  c.update(repeating: 0, count: m * n)
  for i in 0..<m {
    let row = c + i * n
    for p in 0..<k {
      let aip = a[i * k + p]
      let brow = b + p * n
      for j in 0..<n { row[j] += aip * brow[j] }
    }
  }
}
