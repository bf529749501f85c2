import Leibniz

// W2 gradient of scalar code: Rosenbrock written as a scalar loop over an
// array of T, at x_i = 0.5 + 0.001·(i mod 100), for n = 100 and n = 10,000.

@inlinable
func w2Rosenbrock<T: Differentiable>(_ x: [T]) -> T {
  var s: T = 0
  for i in 0..<(x.count - 1) {
    let xi = x[i]
    let t = x[i + 1] - xi * xi
    let u = 1 - xi
    s = s + 100 * t * t + u * u
  }
  return s
}

func w2Point(_ n: Int) -> [Double] { (0..<n).map { 0.5 + 0.001 * Double($0 % 100) } }

/// The gradient by hand.
@inline(never)
func w2HandGradient(_ x: [Double]) -> [Double] {
  var g = [Double](repeating: 0, count: x.count)
  for i in 0..<(x.count - 1) {
    let t = x[i + 1] - x[i] * x[i]
    g[i] += -400 * t * x[i] - 2 * (1 - x[i])
    g[i + 1] += 200 * t
  }
  return g
}

/// Reverse mode: 0-d tensor leaves, the generic loop, backward().
@inline(never)
func w2Reverse(_ leaves: [Tensor<Double>]) -> [Double] {
  for x in leaves { x.grad = nil }
  let f = w2Rosenbrock(leaves)
  f.backward()
  return leaves.map { $0.grad!.scalar }
}

/// The same loop as a `ScalarFunction`, for `gradient(at:of:)` (JacobianModule's
/// scoped reverse mode, `ReverseScalar`).
struct W2Loss: ScalarFunction {
  @inlinable
  func callAsFunction<T: Differentiable>(_ x: [T]) -> T { w2Rosenbrock(x) }
}

/// Forward mode in chunks of 8 partials.
@inline(never)
func w2ForwardChunks(_ x: [Double]) -> [Double] {
  typealias D = MultiDual<SIMD8<Double>>
  var g = [Double](repeating: 0, count: x.count)
  var start = 0
  while start < x.count {
    let duals = x.enumerated().map { (i, v) -> D in
      i >= start && i < start + 8 ? D.variable(v, index: i - start) : D(v)
    }
    let f = w2Rosenbrock(duals)
    for k in 0..<Swift.min(8, x.count - start) { g[start + k] = f.partials[k] }
    start += 8
  }
  return g
}

func runW2() {
  for n in [100, 10_000] {
    let x = w2Point(n)
    let leaves = x.map { Tensor($0, requiresGrad: true) }
    let hand = w2HandGradient(x)
    let reverse = w2Reverse(leaves)
    for i in 0..<n { verify("W2 n=\(n) reverse ∂f/∂x[\(i)]", reverse[i], hand[i], tolerance: 1e-12) }
    verify("W2 n=\(n) primal", w2Rosenbrock(leaves).scalar, w2Rosenbrock(x), tolerance: 1e-12)
    let scoped = gradient(at: x, of: W2Loss())
    for i in 0..<n { verify("W2 n=\(n) gradient(at:of:) ∂f/∂x[\(i)]", scoped[i], hand[i], tolerance: 1e-12) }
    let boxes = x.map { _ in FloorLeafBox() }
    for (name, g) in [("strong", w2FloorGradient(x, StrongFloorReference.self)),
                      ("unmanaged", w2FloorGradient(x, UnmanagedFloorReference.self)),
                      ("boxed leaves", w2FloorGradient(x, boxes: boxes))] {
      for i in 0..<n { verify("W2 n=\(n) \(name) floor ∂f/∂x[\(i)]", g[i], hand[i], tolerance: 1e-12) }
    }
    var variants: [(String, () -> Void)] = [
      ("primal (Double)", { blackHole(w2Rosenbrock(x)) }),
      ("hand-coded gradient", { blackHole(w2HandGradient(x)[n / 2]) }),
      ("reverse (0-d Tensor, backward)", { blackHole(w2Reverse(leaves)[n / 2]) }),
      ("reverse (gradient(at:of:))", { blackHole(gradient(at: x, of: W2Loss())[n / 2]) }),
      ("floor, strong tape reference", { blackHole(w2FloorGradient(x, StrongFloorReference.self)[n / 2]) }),
      ("floor, unmanaged tape reference", { blackHole(w2FloorGradient(x, UnmanagedFloorReference.self)[n / 2]) }),
      ("floor, unmanaged + leaf boxes", { blackHole(w2FloorGradient(x, boxes: boxes)[n / 2]) }),
    ]
    if n <= 100 {
      let forward = w2ForwardChunks(x)
      for i in 0..<n { verify("W2 n=\(n) forward ∂f/∂x[\(i)]", forward[i], hand[i], tolerance: 1e-12) }
      variants.append(("forward (MultiDual<SIMD8>, chunks)", { blackHole(w2ForwardChunks(x)[n / 2]) }))
    }
    let calls = n <= 100 ? 200 : 2
    let timings = measureSideBySide(rounds: 15, calls: calls, variants)
    printTable("W2 Rosenbrock gradient, n = \(n)", unit: "µs", perCall: 1e-6, timings)
    print("reverse (Tensor) ÷ primal: \(format(ratio(timings[2], to: timings[0])))×")
    print("reverse (gradient(at:of:)) ÷ primal: \(format(ratio(timings[3], to: timings[0])))×")
    print("""
      floor rows (reference, not the library): a bare scalar that records on a contiguous tape \
      and sweeps it, holding its tape by a strong reference (as a graph that lives as long as \
      its results needs) or an unmanaged one: \(format(ratio(timings[4], to: timings[0])))× \
      and \(format(ratio(timings[5], to: timings[0])))×; unmanaged, with a gradient box in each \
      leaf (no lifetime tracking at all): \(format(ratio(timings[6], to: timings[0])))×
      """)
  }
}
