// Newton's method with sparse Jacobians: the 2-D Bratu problem −Δu = λ·eᵘ on
// the unit square, zero boundary values, the 5-point stencil on an m×m
// interior grid (n = m² unknowns). A SparseJacobianPlan detects the
// Jacobian's pattern and colours its columns once; each Newton step takes one
// compressed Jacobian and solves J·δ = −F by conjugate gradients on −J
// (symmetric positive definite here).
import Leibniz

/// F(u) = (Σ neighbours − 4u)·(m+1)² + λ·eᵘ at every interior point.
struct Bratu2D: VectorFunction, Sendable {
  let m: Int
  let lambda: Double
  func callAsFunction<T: DifferentiableScalar>(_ u: [T]) -> [T] {
    let scale = T(Double((m + 1) * (m + 1)))
    return (0..<m * m).map { k in
      let (r, c) = (k / m, k % m)
      var s: T = -4 * u[k]
      if r > 0 { s = s + u[k - m] }
      if r < m - 1 { s = s + u[k + m] }
      if c > 0 { s = s + u[k - 1] }
      if c < m - 1 { s = s + u[k + 1] }
      return s * scale + T(lambda) * exp(u[k])
    }
  }
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

/// Solves A·x = b for a symmetric positive definite A given by its product,
/// by conjugate gradients, to a relative residual of `tolerance`.
func conjugateGradients(_ b: [Double], tolerance: Double = 1e-10, _ product: ([Double]) -> [Double]) -> (x: [Double], iterations: Int) {
  var x = [Double](repeating: 0, count: b.count)
  var r = b, p = r
  var rr = dot(r, r)
  let stop = tolerance * tolerance * rr
  var iterations = 0
  while rr > stop && iterations < 10 * b.count {
    let ap = product(p)
    let alpha = rr / dot(p, ap)
    for i in x.indices {
      x[i] += alpha * p[i]
      r[i] -= alpha * ap[i]
    }
    let next = dot(r, r)
    for i in p.indices { p[i] = r[i] + next / rr * p[i] }
    rr = next
    iterations += 1
  }
  return (x, iterations)
}

let m = 100, n = m * m
let f = Bratu2D(m: m, lambda: 6)
var u = [Double](repeating: 0, count: n)
let clock = ContinuousClock()
var plan: SparseJacobianPlan<Double, Bratu2D>! = nil
let planTime = clock.measure { plan = SparseJacobianPlan(at: u, of: f) }
print("2-D Bratu, λ = 6, \(m)×\(m) grid, n = \(n)")
print("pattern: \(plan.pattern.nonzeroCount) non-zeros, \(plan.colorCount) colours (\(plan.mode) mode); plan made in \(planTime)")

var jacobianTime = Duration.zero
for iteration in 0..<20 {
  let residual = f(u)
  let size = norm(residual) / Double(n).squareRoot()
  print("iteration \(iteration): ‖F(u)‖ (root mean square) = \(size)")
  if size < 1e-9 { break }
  var J: SparseMatrix<Double>! = nil
  jacobianTime += clock.measure { J = plan.jacobian(at: u) }
  // J·δ = −F, as (−J)·δ = F with −J symmetric positive definite.
  let (delta, cg) = conjugateGradients(residual) { v in (J * v).map { -$0 } }
  print("  conjugate gradients: \(cg) iterations")
  for i in u.indices { u[i] += delta[i] }
}
let primalTime = clock.measure { for _ in 0..<20 { _ = f(u) } } / 20
let perJacobian = clock.measure { for _ in 0..<10 { _ = plan.jacobian(at: u) } } / 10
print("max u = \(u.max()!) (the lower solution branch, from u = 0)")
print("one sparse Jacobian: \(perJacobian) (\(Double(perJacobian / primalTime).rounded())× one residual evaluation)")
// The dense forward Jacobian takes ⌈n/8⌉ passes of 8-lane duals over the
// whole residual and fills n² = 10⁸ entries (800 MB): one pass, timed, times
// the number of passes.
let oneDensePass = clock.measure {
  let seeds = u.indices.map { MultiDual<SIMD8<Double>>(u[$0], partials: $0 < 8 ? .init(repeating: 1) : .zero) }
  _ = f(seeds)
}
print("the dense forward Jacobian would take about \(oneDensePass * (n / 8)) (\(n / 8) passes of 8-lane duals) and 800 MB")
