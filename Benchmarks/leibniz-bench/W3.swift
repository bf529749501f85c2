import Leibniz

// W3 dense Jacobian: F: ℝⁿ → ℝⁿ, n = 64,
//   Fᵢ(x) = tanh(Σⱼ Aᵢⱼ·xⱼ)·xᵢ + sin(x₍ᵢ₊₁₎ mod n),  Aᵢⱼ = sin(i + 2j)/n,  xⱼ = 0.1·cos(j).
// Full 64×64 Jacobian in forward, reverse and automatic mode; one J·v and one vᵀ·J;
// each as a ratio to one primal evaluation on plain Double.

let w3N = 64

struct W3Function: VectorFunction {
  let n: Int
  let a: [Double]
  init(n: Int) {
    self.n = n
    a = (0..<n * n).map { k in sin(Double(k / n) + 2 * Double(k % n)) / Double(n) }
  }
  @inlinable
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
    var y = [T]()
    y.reserveCapacity(n)
    for i in 0..<n {
      var s: T = 0
      for j in 0..<n { s += T(a[i * n + j]) * x[j] }
      y.append(tanh(s) * x[i] + sin(x[(i + 1) % n]))
    }
    return y
  }

  /// The Jacobian by hand: (1 − tᵢ²)·Aᵢⱼ·xᵢ + δᵢⱼ·tᵢ + δⱼ,ᵢ₊₁·cos xᵢ₊₁.
  func handJacobian(_ x: [Double]) -> Matrix<Double> {
    var J = Matrix(rows: n, columns: n, repeating: 0.0)
    for i in 0..<n {
      var s = 0.0
      for j in 0..<n { s += a[i * n + j] * x[j] }
      let t = tanh(s)
      for j in 0..<n { J[i, j] = (1 - t * t) * a[i * n + j] * x[i] }
      J[i, i] += t
      J[i, (i + 1) % n] += cos(x[(i + 1) % n])
    }
    return J
  }
}

/// The same function, explicitly not `Sendable`, so its Jacobian stays on one thread.
struct W3OneThread: VectorFunction {
  let f: W3Function
  @inlinable
  func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] { f(x) }
}
@available(*, unavailable) extension W3OneThread: Sendable {}

@inline(never) func w3Sum(_ y: [Double]) -> Double { y.reduce(0, +) }

func runW3() {
  let f = W3Function(n: w3N)
  let x = (0..<w3N).map { 0.1 * cos(Double($0)) }
  let v = (0..<w3N).map { sin(Double($0) + 0.5) }
  let u = (0..<w3N).map { cos(2 * Double($0) + 0.25) }

  // Verify every variant against the hand Jacobian and finite differences first.
  let hand = f.handJacobian(x)
  let fd = finiteDifferenceJacobian(at: x, of: f)
  let variants: [(String, Matrix<Double>)] = [
    ("forward", jacobian(at: x, mode: .forward, of: f)),
    ("forward, one thread", jacobian(at: x, mode: .forward, of: W3OneThread(f: f))),
    ("reverse", jacobian(at: x, mode: .reverse, of: f)),
    ("automatic", jacobian(at: x, of: f)),
  ]
  for (name, J) in variants {
    for k in 0..<(w3N * w3N) {
      verify("W3 \(name) J\(k / w3N),\(k % w3N) vs hand", J.elements[k], hand.elements[k], tolerance: 1e-13)
      verify("W3 \(name) J\(k / w3N),\(k % w3N) vs finite differences", J.elements[k], fd.elements[k], tolerance: 1e-8)
    }
  }
  let Jv = jvp(at: x, direction: v, of: f), handJv = hand * v
  for i in 0..<w3N { verify("W3 J·v[\(i)]", Jv[i], handJv[i], tolerance: 1e-13) }
  let uJ = vjp(at: x, cotangent: u, of: f), handUJ = u * hand
  for j in 0..<w3N { verify("W3 vᵀ·J[\(j)]", uJ[j], handUJ[j], tolerance: 1e-13) }

  let timings = measureSideBySide(rounds: 21, calls: 20, [
    ("primal (Double)", { blackHole(w3Sum(f(x))) }),
    ("forward Jacobian (default: 2 threads above 300 µs)", { blackHole(jacobian(at: x, mode: .forward, of: f)[3, 5]) }),
    ("forward Jacobian (1 thread)", { blackHole(jacobian(at: x, mode: .forward, of: W3OneThread(f: f))[3, 5]) }),
    ("reverse Jacobian", { blackHole(jacobian(at: x, mode: .reverse, of: f)[3, 5]) }),
    ("automatic Jacobian", { blackHole(jacobian(at: x, of: f)[3, 5]) }),
    ("J·v (jvp)", { blackHole(w3Sum(jvp(at: x, direction: v, of: f))) }),
    ("vᵀ·J (vjp)", { blackHole(w3Sum(vjp(at: x, cotangent: u, of: f))) }),
  ])
  printTable("W3 dense Jacobian, n = 64", unit: "µs", perCall: 1e-6, timings)
  let goals: [(Int, String, Double)] = [(1, "forward", 30), (3, "reverse", 60), (5, "J·v", 3), (6, "vᵀ·J", 15)]
  for (k, name, goal) in goals {
    let r = ratio(timings[k], to: timings[0])
    print("\(name): \(format(r))× primal (goal ≤ \(format(goal))×)\(r <= goal ? "" : "  — MISSED")")
  }
  w3ThreadSweep()
}

/// The same function at other sizes: one thread against two, to see where the
/// forward Jacobian's two-thread path starts to pay (the default takes it
/// when the first chunk, timed, shows at least 300 µs of work left; the
/// "2 threads" column is that default, so below that size it is one thread).
func w3ThreadSweep() {
  print("\nforward Jacobian, one thread vs two, by n (two ÷ one; below 1 pays)")
  for n in [16, 32, 48, 64, 96, 128] {
    let f = W3Function(n: n)
    let x = (0..<n).map { 0.1 * cos(Double($0)) }
    let t = measureSideBySide(rounds: 11, calls: 10, [
      ("1 thread", { blackHole(jacobian(at: x, mode: .forward, of: W3OneThread(f: f))[0, 0]) }),
      ("2 threads", { blackHole(jacobian(at: x, mode: .forward, of: f)[0, 0]) }),
    ])
    print("n = \(n)".padded(10) + "1 thread \(format(t[0].median * 1e6)) µs".padded(26)
          + "2 threads \(format(t[1].median * 1e6)) µs".padded(26) + "ratio \(format(ratio(t[1], to: t[0])))")
  }
}
