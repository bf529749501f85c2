// W6: sparse Jacobians and Hessians (BENCHMARKS.md).
import Leibniz
import _LeibnizTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The 1-D Bratu residual of BENCHMARKS.md: (u[i−1] − 2u[i] + u[i+1])·(n+1)² + e^u[i].
struct W6Bratu1D: VectorFunction, Sendable {
  func callAsFunction<T: DifferentiableScalar>(_ u: [T]) -> [T] {
    let n = u.count
    let scale = T(Double((n + 1) * (n + 1)))
    var out = [T]()
    out.reserveCapacity(n)
    for i in 0..<n {
      let left: T = i > 0 ? u[i - 1] : 0, right: T = i < n - 1 ? u[i + 1] : 0
      out.append((left - 2 * u[i] + right) * scale + exp(u[i]))
    }
    return out
  }
}

/// The 2-D Bratu residual on an m×m interior grid: (Σ neighbours − 4u)·(m+1)² + 6e^u.
struct W6Bratu2D: VectorFunction, Sendable {
  let m: Int
  func callAsFunction<T: DifferentiableScalar>(_ u: [T]) -> [T] {
    let scale = T(Double((m + 1) * (m + 1)))
    var out = [T]()
    out.reserveCapacity(m * m)
    for k in 0..<m * m {
      let (r, c) = (k / m, k % m)
      var s: T = -4 * u[k]
      if r > 0 { s = s + u[k - m] }
      if r < m - 1 { s = s + u[k + m] }
      if c > 0 { s = s + u[k - 1] }
      if c < m - 1 { s = s + u[k + 1] }
      out.append(s * scale + 6 * exp(u[k]))
    }
    return out
  }
}

func w6Point1D(_ n: Int) -> [Double] { (0..<n).map { 0.1 * sin(Double($0)) } }

/// The peak resident memory of this process, in MB (Linux), or nil.
func w6PeakResidentMB() -> Double? { peakResidentBytes().map { Double($0) / Double(1 << 20) } }

func runW6() {
  // Verify against the dense verbs, entry by entry.
  for (name, f, x) in [
    ("1-D Bratu", AnyW6(W6Bratu1D()), w6Point1D(300)),
    ("2-D Bratu", AnyW6(W6Bratu2D(m: 12)), (0..<144).map { 0.05 * cos(Double($0)) }),
  ] {
    let dense = jacobian(at: x, mode: .forward, of: f)
    for mode in [DifferentiationMode.forward, .reverse] {
      let sparse = Matrix(SparseJacobianPlan(at: x, mode: mode, of: f).jacobian(at: x))
      for i in 0..<dense.rows {
        for j in 0..<dense.columns where abs(sparse[i, j] - dense[i, j]) > 1e-12 * max(1, abs(dense[i, j])) {
          verify("W6 \(name) \(mode) J[\(i), \(j)]", sparse[i, j], dense[i, j], tolerance: 1e-12)
        }
      }
    }
  }

  let n = 1000
  let x = w6Point1D(n)
  let f = W6Bratu1D()
  let plan = SparseJacobianPlan(at: x, of: f)
  var sink = 0.0
  let timings = measureSideBySide([
    ("primal (Double)", { sink += f(x)[n / 2] }),
    ("detection (pattern only)", { sink += Double(jacobianSparsity(at: x, of: f).nonzeroCount) }),
    ("plan's Jacobian", { sink += plan.jacobian(at: x).values[7] }),
    ("dense forward Jacobian", { sink += jacobian(at: x, mode: .forward, of: f)[3, 4] }),
  ])
  blackHole(sink)
  printTable("W6 sparse Jacobian, 1-D Bratu, n = \(n)", unit: "µs", perCall: 1e-6, timings)
  print("colours: \(plan.colorCount) (\(plan.mode)); dense ÷ sparse: \(format(ratio(timings[3], to: timings[2])))×")

  let m = 100
  let u2 = (0..<m * m).map { 0.05 * cos(Double($0)) }
  let f2 = W6Bratu2D(m: m)
  let plan2 = SparseJacobianPlan(at: u2, of: f2)
  var sink2 = 0.0
  let timings2 = measureSideBySide([
    ("primal (Double)", { sink2 += f2(u2)[m] }),
    ("plan's Jacobian", { sink2 += plan2.jacobian(at: u2).values[11] }),
  ])
  blackHole(sink2)
  printTable("W6 sparse Jacobian, 2-D Bratu, \(m)×\(m), n = \(m * m)", unit: "µs", perCall: 1e-6, timings2)
  print("colours: \(plan2.colorCount) (\(plan2.mode)); 5 is optimal")

  // The sparse Hessian of W2's Rosenbrock loop, n = 10,000, beside one gradient.
  let xh = w2Point(10_000)
  let hplan = SparseHessianPlan(at: xh, of: W2Loss())
  let dense = hessian(at: Array(xh.prefix(40)), of: W2Loss())
  let small = Matrix(SparseHessianPlan(at: Array(xh.prefix(40)), of: W2Loss()).hessian(at: Array(xh.prefix(40))))
  for i in 0..<40 { for j in 0..<40 where abs(small[i, j] - dense[i, j]) > 1e-10 * max(1, abs(dense[i, j])) {
    verify("W6 sparse Hessian H[\(i), \(j)]", small[i, j], dense[i, j], tolerance: 1e-10)
  } }
  var sink3 = 0.0
  let timings3 = measureSideBySide([
    ("gradient(at:of:)", { sink3 += gradient(at: xh, of: W2Loss())[5] }),
    ("plan's Hessian", { sink3 += hplan.hessian(at: xh).values[5] }),
  ])
  blackHole(sink3)
  printTable("W6 sparse Hessian, Rosenbrock, n = 10000", unit: "µs", perCall: 1e-6, timings3)
  print("colours: \(hplan.colorCount)")

  let big = 100_000
  let xb = w6Point1D(big)
  let clock = ContinuousClock()
  var detected = 0
  let t = clock.measure {
    let p = SparseJacobianPlan(at: xb, of: f)
    detected = p.jacobian(at: xb).nonzeroCount
  }
  print("n = \(big): plan + one Jacobian \(t), \(detected) non-zeros, peak resident \(w6PeakResidentMB().map { format($0) } ?? "?") MB")
}

/// A `VectorFunction` of either residual, so that both are verified in one loop.
struct AnyW6: VectorFunction, Sendable {
  let one: W6Bratu1D?
  let two: W6Bratu2D?
  init(_ f: W6Bratu1D) { (one, two) = (f, nil) }
  init(_ f: W6Bratu2D) { (one, two) = (nil, f) }
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { one?(x) ?? two!(x) }
}
