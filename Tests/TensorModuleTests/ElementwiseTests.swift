import Leibniz
import Testing
import _LeibnizTestSupport

/// A unary element-wise operation and the domain where it is smooth.
struct UnaryCase: Sendable, CustomStringConvertible {
  var name: String
  var range: ClosedRange<Double>
  var tensor: @Sendable (Tensor<Double>) -> Tensor<Double>
  var dual: @Sendable (Dual<Double>) -> Dual<Double>
  var description: String { name }
}

let unaryCases: [UnaryCase] = makeUnaryCases()

func makeUnaryCases() -> [UnaryCase] {
  var cases: [UnaryCase] = []
  cases.append(UnaryCase(name: "neg", range: -2...2, tensor: { -$0 }, dual: { -$0 }))
  cases.append(UnaryCase(name: "exp", range: -2...2, tensor: { exp($0) }, dual: { exp($0) }))
  cases.append(UnaryCase(name: "exp2", range: -2...2, tensor: { exp2($0) }, dual: { exp2($0) }))
  cases.append(UnaryCase(name: "expm1", range: -2...2, tensor: { expm1($0) }, dual: { expm1($0) }))
  cases.append(UnaryCase(name: "log", range: 0.2...3, tensor: { log($0) }, dual: { log($0) }))
  cases.append(UnaryCase(name: "log2", range: 0.2...3, tensor: { log2($0) }, dual: { log2($0) }))
  cases.append(UnaryCase(name: "log10", range: 0.2...3, tensor: { log10($0) }, dual: { log10($0) }))
  cases.append(UnaryCase(name: "log1p", range: -0.5...3, tensor: { log1p($0) }, dual: { log1p($0) }))
  cases.append(UnaryCase(name: "sqrt", range: 0.2...3, tensor: { sqrt($0) }, dual: { sqrt($0) }))
  cases.append(UnaryCase(name: "cbrt", range: 0.2...3, tensor: { cbrt($0) }, dual: { cbrt($0) }))
  cases.append(UnaryCase(name: "sin", range: -3...3, tensor: { sin($0) }, dual: { sin($0) }))
  cases.append(UnaryCase(name: "cos", range: -3...3, tensor: { cos($0) }, dual: { cos($0) }))
  cases.append(UnaryCase(name: "tan", range: -1...1, tensor: { tan($0) }, dual: { tan($0) }))
  cases.append(UnaryCase(name: "asin", range: -0.8...0.8, tensor: { asin($0) }, dual: { asin($0) }))
  cases.append(UnaryCase(name: "acos", range: -0.8...0.8, tensor: { acos($0) }, dual: { acos($0) }))
  cases.append(UnaryCase(name: "atan", range: -3...3, tensor: { atan($0) }, dual: { atan($0) }))
  cases.append(UnaryCase(name: "sinh", range: -2...2, tensor: { sinh($0) }, dual: { sinh($0) }))
  cases.append(UnaryCase(name: "cosh", range: -2...2, tensor: { cosh($0) }, dual: { cosh($0) }))
  cases.append(UnaryCase(name: "tanh", range: -2...2, tensor: { tanh($0) }, dual: { tanh($0) }))
  cases.append(UnaryCase(name: "erf", range: -2...2, tensor: { erf($0) }, dual: { erf($0) }))
  cases.append(UnaryCase(name: "erfc", range: -2...2, tensor: { erfc($0) }, dual: { erfc($0) }))
  cases.append(UnaryCase(name: "abs", range: 0.1...2, tensor: { abs($0) }, dual: { abs($0) }))
  cases.append(UnaryCase(name: "abs negative", range: -2 ... -0.1, tensor: { abs($0) }, dual: { abs($0) }))
  cases.append(UnaryCase(name: "pow int 3", range: -2...2, tensor: { pow($0, 3) }, dual: { pow($0, 3) }))
  cases.append(UnaryCase(name: "pow int 0", range: -2...2, tensor: { pow($0, 0) }, dual: { pow($0, 0) }))
  cases.append(UnaryCase(name: "pow 2.5", range: 0.2...2, tensor: { pow($0, 2.5) }, dual: { pow($0, 2.5) }))
  cases.append(UnaryCase(name: "squared", range: -2...2, tensor: { $0.squared() }, dual: { $0 * $0 }))
  cases.append(UnaryCase(name: "sigmoid", range: -3...3, tensor: { $0.sigmoid() }, dual: { 1 / (1 + exp(-$0)) }))
  cases.append(UnaryCase(name: "relu", range: 0.1...2, tensor: { $0.relu() }, dual: { $0 }))
  return cases
}

@Suite("Tensor: element-wise operations")
struct ElementwiseTests {
  /// The 0-d fast path against forward mode.
  @Test(arguments: unaryCases)
  func scalarPathMatchesDual(_ c: UnaryCase) {
    var rng = SeededRandom(seed: 11)
    for _ in 0..<5 {
      let v = Double.random(in: c.range, using: &rng)
      let x = Tensor(v, requiresGrad: true)
      let y = c.tensor(x)
      let d = c.dual(Dual(v, tangent: 1))
      #expect(isClose(y.scalar, d.value, tolerance: Tolerance.roundoff))
      y.backward()
      #expect(isClose(x.grad!.scalar, d.tangent, tolerance: Tolerance.roundoff), "\(c.name) at \(v)")
    }
  }

  /// The n-d path against forward mode, element by element.
  @Test(arguments: unaryCases)
  func arrayPathMatchesDual(_ c: UnaryCase) {
    var rng = SeededRandom(seed: 12)
    let values = (0..<6).map { _ in Double.random(in: c.range, using: &rng) }
    let x = Tensor(values, shape: [2, 3], requiresGrad: true)
    c.tensor(x).sum().backward()
    for (i, v) in values.enumerated() {
      let d = c.dual(Dual(v, tangent: 1))
      #expect(isClose(x.grad!.scalars[i], d.tangent, tolerance: Tolerance.roundoff), "\(c.name) at \(v)")
    }
  }

  /// The n-d path against finite differences.
  @Test(arguments: unaryCases)
  func arrayPathMatchesFiniteDifferences(_ c: UnaryCase) {
    let mid = (c.range.lowerBound + c.range.upperBound) / 2
    let half = (c.range.upperBound - c.range.lowerBound) / 2 * 0.9
    checkGradients(shapes: [[3, 2]], range: (mid - half)...(mid + half)) { c.tensor($0[0]) }
  }

  static let binaryOps: [(String, @Sendable (Tensor<Double>, Tensor<Double>) -> Tensor<Double>)] = [
    ("add", { $0 + $1 }), ("sub", { $0 - $1 }), ("mul", { $0 * $1 }), ("div", { $0 / $1 }),
    ("pow", { pow($0, $1) }), ("atan2", { atan2(y: $0, x: $1) }), ("hypot", { hypot($0, $1) }),
    ("maximum", { Tensor.maximum($0, $1) }), ("minimum", { Tensor.minimum($0, $1) }),
  ]

  static let broadcastShapes: [([Int], [Int])] = [
    ([2, 3], [2, 3]), ([2, 3], []), ([], [2, 3]), ([2, 3], [3]), ([3, 1], [1, 4]),
    ([2, 1, 3], [4, 1]), ([4], [2, 1]), ([1, 4], [4]), ([4], [1, 4]), ([2, 3], [1, 3]),
  ]

  /// Binary operations with broadcasting against finite differences.
  @Test(arguments: 0..<9)
  func binaryWithBroadcasting(_ k: Int) {
    let (name, op) = Self.binaryOps[k]
    for (i, (sa, sb)) in Self.broadcastShapes.enumerated() {
      // Positive operands keep pow and log-like rules smooth.
      checkGradients(shapes: [sa, sb], range: 0.5...2, seed: UInt64(i + 1)) { op($0[0], $0[1]) }
      _ = name
    }
  }

  /// Binary 0-d fast path against forward mode (each operand in turn).
  @Test(arguments: 0..<9)
  func binaryScalarPathMatchesDual(_ k: Int) {
    let (name, op) = Self.binaryOps[k]
    let a = 1.3, b = 0.7
    let x = Tensor(a, requiresGrad: true), y = Tensor(b, requiresGrad: true)
    let g = gradients(of: op(x, y), wrt: [x, y])
    func dual(_ p: Dual<Double>, _ q: Dual<Double>) -> Dual<Double> {
      switch name {
      case "add": return p + q
      case "sub": return p - q
      case "mul": return p * q
      case "div": return p / q
      case "pow": return pow(p, q)
      case "atan2": return atan2(y: p, x: q)
      case "hypot": return hypot(p, q)
      case "maximum": return max(p, q)
      default: return min(p, q)
      }
    }
    #expect(isClose(g[0].scalar, dual(Dual(a, tangent: 1), Dual(b)).tangent, tolerance: Tolerance.roundoff), "\(name)")
    #expect(isClose(g[1].scalar, dual(Dual(a), Dual(b, tangent: 1)).tangent, tolerance: Tolerance.roundoff), "\(name)")
  }

  @Test func edgeConventionsFollowForwardMode() {
    // abs'(0) = 0, sqrt'(0) = +∞
    let z = Tensor(0.0, requiresGrad: true)
    #expect(gradients(of: abs(z), wrt: [z])[0].scalar == 0)
    #expect(gradients(of: sqrt(z), wrt: [z])[0].scalar == .infinity)
    // pow: 0 wrt x where y = 0; 0 wrt y where x = 0 and y ≥ 0
    let x = Tensor(0.0, requiresGrad: true), y = Tensor(0.0, requiresGrad: true)
    let g = gradients(of: pow(x, y), wrt: [x, y])
    #expect(g[0].scalar == 0 && g[1].scalar == 0)
    let y2 = Tensor(2.0, requiresGrad: true)
    #expect(gradients(of: pow(Tensor(0.0), y2), wrt: [y2])[0].scalar == 0)
    // (−2)^2.0 with a constant exponent is differentiable
    let n = Tensor(-2.0, requiresGrad: true)
    #expect(gradients(of: pow(n, 2.0), wrt: [n])[0].scalar == -4)
    // max/min ties split evenly, on both paths
    let a = Tensor(1.0, requiresGrad: true), b = Tensor(1.0, requiresGrad: true)
    let m = gradients(of: Tensor.maximum(a, b), wrt: [a, b])
    #expect(m[0].scalar == 0.5 && m[1].scalar == 0.5)
    let va = Tensor<Double>([1, 2], requiresGrad: true), vb = Tensor<Double>([1, 3], requiresGrad: true)
    let mm = gradients(of: min(va, vb).sum(), wrt: [va, vb])
    #expect(mm[0].scalars == [0.5, 1] && mm[1].scalars == [0.5, 0])
  }

  /// pow(x, Int.min) differentiates without trapping (n − 1 would overflow, so
  /// the rule takes xⁿ⁻¹ as xⁿ/x); the derivative at 1 is n.
  @Test func powWithTheSmallestIntExponent() {
    let x = Tensor(1.0, requiresGrad: true)
    #expect(gradients(of: pow(x, Int.min), wrt: [x])[0].scalar == Double(Int.min))
  }

  /// A NaN element loses to a number, as in Double.maximum and forward mode,
  /// and the whole gradient goes to the number, not split as at a tie.
  @Test(arguments: [3, 40])
  func maxAndMinOfNaNAndANumberFollowTheNumber(_ count: Int) {
    var xs = [Double](repeating: 1, count: count), ys = [Double](repeating: 3, count: count)
    xs[0] = .nan
    ys[1] = .nan
    let x = Tensor<Double>(xs, shape: [count], requiresGrad: true)
    let y = Tensor<Double>(ys, shape: [count], requiresGrad: true)
    for (f, value) in [({ Tensor.maximum(x, y) }, 3.0), ({ Tensor.minimum(x, y) }, 1.0)] {
      let r = f()
      #expect(r.scalars[0] == 3 && r.scalars[1] == 1 && r.scalars[2] == value)
      let g = gradients(of: r.sum(), wrt: [x, y])
      #expect(g[0].scalars[0] == 0 && g[1].scalars[0] == 1)
      #expect(g[0].scalars[1] == 1 && g[1].scalars[1] == 0)
    }
  }

  @Test func floatTensorsWork() {
    let x = Tensor<Float>([0.5, 1.5], requiresGrad: true)
    (sin(x) * x).sum().backward()
    for (i, v) in [Float(0.5), 1.5].enumerated() {
      let expected = Double(Float.cos(v) * v + Float.sin(v))
      #expect(isClose(Double(x.grad!.scalars[i]), expected, tolerance: Tolerance.floatRoundoff))
    }
  }

  /// The quotient is the correctly rounded `x / y` on every path (0-d,
  /// small vector, large vector, recorded or not), also where `1 / y`
  /// overflows.
  @Test(arguments: [1, 4, 40])
  func divisionIsCorrectlyRounded(count: Int) {
    var rng = SeededRandom(seed: 17)
    let xs = (0..<count).map { _ in Double.random(in: 1...10, using: &rng) }
    let ys = (0..<count).map { _ in Double.random(in: 1...10, using: &rng) }
    let shape = count == 1 ? [] : [count]
    for requiresGrad in [false, true] {
      let q = Tensor(xs, shape: shape, requiresGrad: requiresGrad) / Tensor(ys, shape: shape)
      #expect(q.scalars == zip(xs, ys).map { $0 / $1 })
    }
    #expect((Tensor<Double>(0.3) / Tensor(0.1)).scalar == 0.3 / 0.1)
    // Subnormal denominators, whose reciprocals overflow.
    let tiny = Double.leastNormalMagnitude / 8, tinyFloat = Float.leastNormalMagnitude / 8
    #expect((1 / tiny).isInfinite && (1 / tinyFloat).isInfinite)
    #expect((Tensor<Double>(0) / Tensor(tiny)).scalar == 0)
    #expect((Tensor<Double>(1e-300, requiresGrad: true) / Tensor(tiny)).scalar == 1e-300 / tiny)
    #expect((Tensor<Float>(1e-30) / Tensor(tinyFloat)).scalar == Float(1e-30) / tinyFloat)
  }

  /// A zero adjoint through an infinite local derivative (`sqrt` at 0)
  /// contributes zero on every path (0-d, element by element, n-d node,
  /// consumed or not), as in forward mode.
  @Test(arguments: [1, 4, 40])
  func zeroAdjointThroughInfiniteDerivativeIsZero(count: Int) {
    let shape = count == 1 ? [] : [count]
    let x = Tensor<Double>.zeros(shape, requiresGrad: true)
    let weights = Tensor((0..<count).map { Double($0 % 2) }, shape: shape)  // 0, 1, 0, 1, …
    (sqrt(x) * weights).sum().backward()
    let expected = (0..<count).map { $0 % 2 == 0 ? 0 : Double.infinity }
    #expect(x.grad!.scalars == expected)
    // Two uses of the partial (the product's gradient is not consumed in place).
    let y = Tensor<Double>.zeros(shape, requiresGrad: true)
    let s = sqrt(y)
    let g = gradients(of: (s * weights + s * 0).sum(), wrt: [y])[0]
    #expect(g.scalars == expected)
  }

  /// A NaN adjoint through an infinite partial stays NaN, and a zero adjoint
  /// through a NaN partial gives zero, on every path (0-d, 3 elements
  /// recorded element by element, a 40-element n-d node).
  @Test(arguments: [1, 3, 40])
  func nonFiniteAdjointsAndPartialsOnEveryPath(count: Int) {
    let shape = count == 1 ? [] : [count]
    let x = Tensor<Double>.zeros(shape, requiresGrad: true)
    (sqrt(x) * Tensor(Array(repeating: .nan, count: count), shape: shape)).sum().backward()
    let allNaN = x.grad!.scalars.allSatisfy { $0.isNaN }
    #expect(allNaN, "NaN·∞ at \(count) elements")
    let y = Tensor<Double>(Array(repeating: 2, count: count), shape: shape, requiresGrad: true)
    (pow(Tensor(-2.0), y) * Tensor.zeros(shape)).sum().backward()
    #expect(y.grad!.scalars == Array(repeating: 0, count: count), "0·NaN at \(count) elements")
  }

  /// A zero adjoint through an infinite partial gives zero also where the
  /// partial is broadcast (a product with a smaller operand), on small n-d
  /// nodes as on large ones (4, 8 and 40 elements), never 0·∞ = NaN.
  @Test(arguments: [1, 2, 10])
  func zeroAdjointThroughBroadcastInfinitePartial(rows: Int) {
    let a = Tensor<Double>([.infinity, 1, 2, 3])
    let x = Tensor<Double>(Array(repeating: 1, count: rows * 4), shape: [rows * 4], requiresGrad: true)
    // A node result (not recorded element by element), so the product is a node
    // too and the partial of `b` is `a`, broadcast over the rows.
    let b = x.reshaped(to: [rows, 4])
    let loss = (a * b).slicing(1..<4, alongAxis: 1).sum()
    #expect(loss.scalar == Double(6 * rows))
    loss.backward()
    // ∂loss/∂b[i, j] = a[j] for j ≥ 1; column 0 is cut off by the slice: 0, not 0·∞.
    let expected: [Double] = (0..<rows).flatMap { _ -> [Double] in [0, 1, 2, 3] }
    #expect(x.grad!.scalars == expected, "\(rows) rows")
  }

  @Test func sigmoidKeepsItsDigitsWhereItSaturates() {
    for v in [40.0, -40.0, 3.0, 0.0] {
      let x = Tensor(v, requiresGrad: true)
      x.sigmoid().backward()
      let e = Float80.exp(-Swift.abs(Float80(v)))
      let exact = e / ((1 + e) * (1 + e))
      #expect(Swift.abs((Float80(x.grad!.scalar) - exact) / exact) < 1e-15, "at \(v)")
    }
    #expect(Tensor<Double>(40).sigmoid().scalar == 1 / (1 + Double.exp(-40)))
    #expect(Tensor<Double>(-40).sigmoid().scalar == Double.exp(-40) / (1 + Double.exp(-40)))
  }

  /// The rules that keep their digits in forward mode do so on `Tensor`
  /// too, on the 0-d and n-d paths.
  @Test(arguments: [1, 40])
  func rulesKeepTheirDigits(count: Int) {
    let shape = count == 1 ? [] : [count]
    func grad(_ v: Double, _ f: (Tensor<Double>) -> Tensor<Double>) -> Double {
      let x = Tensor<Double>(Array(repeating: v, count: count), shape: shape, requiresGrad: true)
      return gradients(of: f(x).sum(), wrt: [x])[0].scalars[0]
    }
    #expect(grad(20) { tanh($0) } == derivative(at: 20.0) { tanh($0) })
    #expect(grad(20) { tanh($0) } > 0)
    #expect(grad(-40) { expm1($0) } == derivative(at: -40.0) { expm1($0) })
    #expect(grad(-40) { expm1($0) } > 0)
    #expect(grad(1 - 1e-9) { asin($0) } == derivative(at: 1 - 1e-9) { asin($0) })
    #expect(grad(1 - 1e-9) { acos($0) } == derivative(at: 1 - 1e-9) { acos($0) })
    for scale in [1e-170, 1e170] {
      let y = Tensor<Double>(Array(repeating: scale, count: count), shape: shape, requiresGrad: true)
      let x = Tensor<Double>(Array(repeating: 2 * scale, count: count), shape: shape)
      let g = gradients(of: atan2(y: y, x: x).sum(), wrt: [y])[0].scalars[0]
      let expected = derivative(at: scale) { atan2(y: $0, x: Dual(2 * scale)) }
      #expect(g.isFinite && g > 0 && isClose(g, expected, tolerance: Tolerance.roundoff), "scale \(scale)")
    }
  }

  @Test func genericDifferentiableCodeRunsOnTensors() {
    func f<T: Differentiable>(_ x: T) -> T { x * x * 3 + sin(x) / 2 + 1 }
    let x = Tensor<Double>([0.1, 0.2, 0.3], requiresGrad: true)
    f(x).sum().backward()
    for (i, v) in [0.1, 0.2, 0.3].enumerated() {
      #expect(isClose(x.grad!.scalars[i], derivative(at: v, of: f), tolerance: Tolerance.roundoff))
      #expect(isClose(f(x).scalars[i], f(v), tolerance: Tolerance.roundoff))
    }
  }

  @Test func compoundAssignmentUpdatesLeafInPlaceWithoutGradients() {
    var w = Tensor<Double>([1, 2], requiresGrad: true)
    (w * w).sum().backward()
    withoutGradients { w -= 0.5 * w.grad! }
    #expect(w.scalars == [0, 0])
    #expect(w.requiresGrad && w.isLeaf)
    #expect(w.grad!.scalars == [2, 4])
    w.zeroGrad()
    #expect(w.grad!.scalars == [0, 0])
  }

  /// With a literal on the right, each compound operator still updates the
  /// leaf in place, keeping requiresGrad and grad (a decimal literal must not
  /// pick the protocol's general `*=`, `w = w * 0.9`, which loses both).
  @Test func compoundAssignmentWithLiteralsKeepsTheLeaf() {
    let updates: [(String, (inout Tensor<Double>) -> Void, [Double])] = [
      ("*= 0.5", { $0 *= 0.5 }, [0.5, 1]), ("/= 0.5", { $0 /= 0.5 }, [2, 4]),
      ("+= 0.5", { $0 += 0.5 }, [1.5, 2.5]), ("-= 0.5", { $0 -= 0.5 }, [0.5, 1.5]),
      ("*= 2", { $0 *= 2 }, [2, 4]), ("-= 1", { $0 -= 1 }, [0, 1]),
    ]
    for (name, update, expected) in updates {
      var w = Tensor<Double>([1, 2], requiresGrad: true)
      (w * w).sum().backward()
      withoutGradients { update(&w) }
      #expect(w.scalars == expected, "\(name)")
      #expect(w.requiresGrad && w.isLeaf, "\(name)")
      #expect(w.grad?.scalars == [2, 4], "\(name)")
    }
    var f = Tensor<Float>([1, 2], requiresGrad: true)
    (f * f).sum().backward()
    withoutGradients { f *= 0.5 }
    #expect(f.scalars == [0.5, 1] && f.requiresGrad && f.grad?.scalars == [2, 4])
  }
}

/// Errors of `Tensor<Double>`'s tanh (the bulk kernel above 64 elements) and
/// its backward, in units in the last place of the exact value.
@Suite("Element-wise tanh of large Double tensors")
struct TanhKernelTests {
  /// The most ulp the value and the derivative may be off: the roundings of
  /// the kernel's few steps after its reduction (measured here: 2.04 and 3.25
  /// at worst over these inputs; the C library's tanh is within 1).
  static let valueBound = 2.5
  static let derivativeBound = 3.5

  /// Units in the last place of `exact` that `got` is off (subnormals: in
  /// units of the least magnitude).
  static func ulps(_ got: Double, _ exact: Float80) -> Double {
    let e = Double(exact)
    if got == e { return 0 }
    let unit = Swift.max(e.ulp, Double.leastNonzeroMagnitude)
    return Double(Swift.abs(Float80(got) - exact) / Float80(unit))
  }

  /// Values over the whole range: both signs, magnitudes from the least
  /// subnormal to 10³⁰⁰, more of them where tanh bends (10⁻³ to 40) and where
  /// its derivative becomes subnormal (350 to 375), and the edges.
  static func inputs() -> [Double] {
    var g = SeededRandom(seed: 17)
    var xs: [Double] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                        .leastNormalMagnitude, 1e-8, 0.17328679513998632, 0.3465735902799726, 0.55, 19.06, 354.2,
                        372.5, 373, 710, 1e300, .greatestFiniteMagnitude]
    for _ in 0..<6000 { xs.append(Double.exp(Double.random(in: -744 ... 690, using: &g))) }
    for _ in 0..<6000 { xs.append(Double.exp(Double.random(in: -7 ... 3.7, using: &g))) }
    for _ in 0..<2000 { xs.append(Double.random(in: 350 ... 375, using: &g)) }
    return xs + xs.map { -$0 }
  }

  @Test func valuesAndDerivativesAreWithinTheirUlpBounds() {
    let xs = Self.inputs()
    let x = Tensor(xs, shape: [xs.count], requiresGrad: true)
    let y = tanh(x)
    y.sum().backward()
    let t = y.scalars, d = x.grad!.scalars
    var worst = (value: 0.0, derivative: 0.0)
    for (i, v) in xs.enumerated() {
      if v.isNaN {
        #expect(t[i].isNaN && d[i].isNaN)
        continue
      }
      let exactT = Float80.tanh(Float80(v))
      let e = Float80.exp(-2 * Swift.abs(Float80(v)))
      let exactD = 4 * e / ((1 + e) * (1 + e))
      let (ut, ud) = (Self.ulps(t[i], exactT), Self.ulps(d[i], exactD))
      worst = (Swift.max(worst.value, ut), Swift.max(worst.derivative, ud))
      #expect(ut <= Self.valueBound, "tanh(\(v)) = \(t[i]), exact \(exactT)")
      #expect(ud <= Self.derivativeBound, "tanh′(\(v)) = \(d[i]), exact \(exactD)")
      if v == 0 { #expect(t[i].sign == v.sign, "the sign of zero") }
    }
    #expect(worst.value <= Self.valueBound && worst.derivative <= Self.derivativeBound, "\(worst)")
  }

  @Test(arguments: [64, 65, 66, 67, 1000])
  func agreesWithTheScalarRuleAtEveryLength(count: Int) {
    let xs = (0..<count).map { Double.sin(Double($0) * 0.37) * 3 }
    let x = Tensor(xs, shape: [count], requiresGrad: true)
    let y = tanh(x)
    y.sum().backward()
    // Both within a few ulp of the exact values: relatively within 8 ε.
    let tolerance = 8 * Double.ulpOfOne
    for (i, v) in xs.enumerated() {
      let rule = DerivativeRules.tanh(v)
      #expect(Swift.abs(y.scalars[i] - rule.value) <= tolerance * Swift.abs(rule.value), "tanh(\(v))")
      #expect(Swift.abs(x.grad!.scalars[i] - rule.derivative) <= tolerance * rule.derivative, "tanh′(\(v))")
    }
    #expect(withoutGradients { tanh(Tensor(xs, shape: [count])) }.scalars == y.scalars)
  }
}
