import Leibniz

// W5 small-op overhead: x a length-4 vector requiring gradients; y = x; 100
// times y = sin(y)·1.01 + 0.5; loss = sum(y); forward + backward. Reported per
// elementary operation (300 per step).

func w5Function<T: Differentiable>(_ x: T) -> T {
  var y = x
  for _ in 0..<100 { y = sin(y) * 1.01 + 0.5 }
  return y
}

let w5Start: [Double] = [0.1, 0.2, 0.3, 0.4]

@inline(never)
func w5Step(_ x: Tensor<Double>) -> Double {
  x.grad = nil
  let loss = w5Function(x).sum()
  loss.backward()
  return x.grad!.scalars[0]
}

@inline(never)
func w5Primal() -> Double {
  var s = 0.0
  for v in w5Start { s += w5Function(v) }
  return s
}

func runW5() {
  let x = Tensor(w5Start, requiresGrad: true)
  _ = w5Step(x)
  // The derivatives are about 1e-116 (|1.01·cos y| < 1 at the fixed point
  // y ≈ 1.508): `verify` is absolute below one, so any value, zero included,
  // would pass against them. Compare ratios.
  for (i, v) in w5Start.enumerated() {
    let g = x.grad!.scalars[i]
    // By hand, the chain rule: each y ← sin(y)·1.01 + 0.5 multiplies the derivative by 1.01·cos(y).
    var y = v, hand = 1.0
    for _ in 0..<100 {
      hand *= 1.01 * Double.cos(y)
      y = Double.sin(y) * 1.01 + 0.5
    }
    verify("W5 ∂loss/∂x[\(i)] ÷ hand", g / hand, 1, tolerance: 1e-12)
    verify("W5 ∂loss/∂x[\(i)] ÷ forward mode", g / derivative(at: v, of: w5Function), 1, tolerance: 1e-12)
  }
  let timings = measureSideBySide(rounds: 15, calls: 200, [
    ("primal (4 Doubles, scalar loop)", { blackHole(w5Primal()) }),
    ("Tensor forward + backward", { blackHole(w5Step(x)) }),
    ("Tensor forward only (no grad)", { blackHole(withoutGradients { w5Function(Tensor(w5Start)).sum().scalar }) }),
  ])
  printTable("W5 small-op overhead, 300 ops per step", unit: "ns/op", perCall: 300e-9, timings)
}
