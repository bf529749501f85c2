// Quickstart: write a function once, generically, then evaluate it, take its
// derivative and its second derivative in forward mode, and use the
// derivative in Newton's method.
import Leibniz

/// f(x) = sin(x)·eˣ/(1 + x²), written once against the operator set.
func f<T: Differentiable>(_ x: T) -> T {
  sin(x) * exp(x) / (1 + x * x)
}

func main() {
  // 1. A plain value.
  print("f(1)   =", f(1.0))

  // 2. The derivative, by passing the generic function …
  print("f′(1)  =", derivative(at: 1.0, of: f))
  // … or a trailing closure.
  print("d/dx x·sin(x) at 1 =", derivative(at: 1.0) { x in x * sin(x) })

  // 3. Value and derivative in one pass.
  let (value, slope) = valueWithDerivative(at: 2.0, of: f)
  print("f(2) = \(value), f′(2) = \(slope)")

  // 4. Second derivative by nesting.
  print("f″(1)  =", derivative(at: 1.0) { x in derivative(at: x, of: f) })

  // 5. Newton's method for the root of g(x) = x³ − 2x − 5 near 2 (Wallis's equation).
  func g<T: Differentiable>(_ x: T) -> T { x * x * x - 2 * x - 5 }
  var x = 2.0
  for step in 1...6 {
    let (gx, dgx) = valueWithDerivative(at: x, of: g)
    x -= gx / dgx
    print("Newton step \(step): x = \(x), g(x) = \(g(x))")
  }

  // 6. A gradient direction of a function of several variables.
  let d = directionalDerivative(at: [1.0, 2.0], along: [0.6, 0.8]) { v in v[0] * v[0] * v[1] }
  print("∇(x²y)·(0.6, 0.8) at (1, 2) =", d)
}

main()
