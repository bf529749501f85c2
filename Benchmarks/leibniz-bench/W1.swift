import Leibniz

// W1 scalar derivative: f(x) = sin(x)·exp(x)/(1+x²) + log(1+x²)·cos(x), written
// once generically; derivative at 1,000,000 points x_i = 0.5 + i·1e-6.

@inlinable
func w1Function<T: Differentiable>(_ x: T) -> T {
  sin(x) * exp(x) / (1 + x * x) + log(1 + x * x) * cos(x)
}

/// The derivative by hand: the quotient rule and the product rule. Inlined
/// into its loop, as `w1Function` is into the primal and forward loops: a
/// call per point in this row alone would favour forward ÷ hand-coded.
@inline(__always)
func w1HandDerivative(_ x: Double) -> Double {
  let s = sin(x), c = cos(x), e = exp(x), q = 1 + x * x
  let first = (c * e + s * e) / q - s * e * 2 * x / (q * q)
  let second = 2 * x / q * c - log(q) * s
  return first + second
}

let w1Points = 1_000_000

@inline(never) func w1Primal() -> Double {
  var acc = 0.0
  for i in 0..<w1Points { acc += w1Function(0.5 + Double(i) * 1e-6) }
  return acc
}

@inline(never) func w1Hand() -> Double {
  var acc = 0.0
  for i in 0..<w1Points { acc += w1HandDerivative(0.5 + Double(i) * 1e-6) }
  return acc
}

@inline(never) func w1Forward() -> Double {
  var acc = 0.0
  for i in 0..<w1Points { acc += derivative(at: 0.5 + Double(i) * 1e-6, of: w1Function) }
  return acc
}

/// The same derivative through an unspecialised generic (witness-table calls):
/// what every client would pay if the library's generics were not `@inlinable`.
/// Its distance from the row above is the measured effect of specialisation.
@_semantics("optimize.sil.specialize.generic.never") @inline(never)
func w1UnspecialisedDerivative<T: DifferentiableScalar>(_ x: T) -> T {
  derivative(at: x, of: w1Function)
}

@inline(never) func w1ForwardUnspecialised() -> Double {
  var acc = 0.0
  for i in 0..<w1Points { acc += w1UnspecialisedDerivative(0.5 + Double(i) * 1e-6) }
  return acc
}

/// Reverse mode: a 0-d `Tensor<Double>` leaf per point, `backward()`.
@inline(never) func w1Reverse() -> Double {
  var acc = 0.0
  for i in 0..<w1Points {
    let x = Tensor(0.5 + Double(i) * 1e-6, requiresGrad: true)
    w1Function(x).backward()
    acc += x.grad!.scalar
  }
  return acc
}

func runW1() {
  // Check: forward mode against the hand derivative and central differences.
  for x in [0.5, 0.75, 1.0, 1.5] {
    let d = derivative(at: x, of: w1Function)
    verify("W1 forward f'(\(x)) vs hand", d, w1HandDerivative(x), tolerance: 1e-13)
    let h = 1e-5
    let fd = (w1Function(x + h) - w1Function(x - h)) / (2 * h)
    verify("W1 forward f'(\(x)) vs finite differences", d, fd, tolerance: 1e-8)
    verify("W1 unspecialised f'(\(x))", w1UnspecialisedDerivative(x), d, tolerance: 0)
    let leaf = Tensor(x, requiresGrad: true)
    w1Function(leaf).backward()
    verify("W1 reverse f'(\(x)) vs hand", leaf.grad!.scalar, w1HandDerivative(x), tolerance: 1e-13)
  }
  let timings = measureSideBySide([
    ("primal (Double)", { blackHole(w1Primal()) }),
    ("hand-coded derivative", { blackHole(w1Hand()) }),
    ("forward mode (Dual<Double>)", { blackHole(w1Forward()) }),
    ("reverse mode (0-d Tensor, backward)", { blackHole(w1Reverse()) }),
    ("forward, unspecialised (reference)", { blackHole(w1ForwardUnspecialised()) }),
  ])
  printTable("W1 scalar derivative, 1,000,000 points", unit: "ns/point", perCall: Double(w1Points) * 1e-9, timings)
  print("forward ÷ hand-coded: \(format(ratio(timings[2], to: timings[1])))×")
}
