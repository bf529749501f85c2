// JacobianCheck: one model written once, its Jacobian in forward and reverse
// mode, the three-way check report, and a gradient computed by Swift's own
// `_Differentiation` checked against Leibniz's forward mode.
//
//   swift run JacobianCheck

import Leibniz
import _Differentiation   // Swift's differentiable programming (for part 3)

// MARK: - 1. A model, written once

/// A planar arm of three links: joint angles (θ₀, θ₁, θ₂) ↦ the hand's (x, y).
/// (With `_Differentiation` imported too, Leibniz's protocol is spelled in full.)
struct Arm: VectorFunction {
  let lengths = [1.0, 0.8, 0.5]
  func callAsFunction<T: Leibniz.Differentiable>(_ theta: [T]) -> [T] {
    var x: T = 0, y: T = 0, angle: T = 0
    for k in 0..<3 {
      angle += theta[k]
      x += T(lengths[k]) * cos(angle)
      y += T(lengths[k]) * sin(angle)
    }
    return [x, y]
  }
}

let theta = [0.3, -0.6, 1.1]
print("arm at θ = \(theta): hand at \(Arm()(theta))\n")

// MARK: - 2. Its Jacobian, both modes, and the check

let forward = jacobian(at: theta, mode: .forward, of: Arm())   // ⌈3/4⌉ = 1 pass of 4-partial duals
let reverse = jacobian(at: theta, mode: .reverse, of: Arm())   // one recording, one sweep for both rows
print("forward mode:\n\(forward)\n")
print("reverse mode:\n\(reverse)\n")
print("J·v  for v = (1, 1, 1): \(jvp(at: theta, direction: [1, 1, 1], of: Arm()))")
print("uᵀ·J for u = (1, 0):    \(vjp(at: theta, cotangent: [1, 0], of: Arm()))\n")

let report = checkDerivatives(at: theta, of: Arm())
print(report)
print()

// MARK: - 3. Checking a gradient computed another way

// Swift's `_Differentiation` differentiates this function of Doubles itself…
@differentiable(reverse)
func reach(_ a: Double, _ b: Double) -> Double {
  let s = a * a + b * b
  return s * s / (1 + s) - a * b
}
let (ga, gb) = _Differentiation.gradient(at: 0.7, -0.4, of: reach)

// …and the same formula, written generically, is Leibniz's reference.
struct Reach: ScalarFunction {
  func callAsFunction<T: Leibniz.Differentiable>(_ x: [T]) -> T {
    let s = x[0] * x[0] + x[1] * x[1]
    return s * s / (1 + s) - x[0] * x[1]
  }
}
let swiftCheck = checkGradient([ga, gb], at: [0.7, -0.4], of: Reach())
print("Swift's _Differentiation gradient (\(ga), \(gb)) against Leibniz:")
print(swiftCheck)
print()

// A hand-written gradient with a deliberate slip (the 2 of ∂(a·b)… forgotten
// elsewhere): the check says where and by how much.
func handGradient(_ a: Double, _ b: Double) -> [Double] {
  let s = a * a + b * b
  let ds = (2 * s * (1 + s) - s * s) / ((1 + s) * (1 + s))   // d/ds of s²/(1+s)
  return [ds * 2 * a - b, ds * b - a]                          // slip: ds·b should be ds·2b
}
let handCheck = checkGradient(handGradient(0.7, -0.4), at: [0.7, -0.4], of: Reach())
print("a hand-written gradient with a slip:")
print(handCheck)

guard report.agrees, swiftCheck.agrees, !handCheck.agrees else {
  fatalError("JacobianCheck: unexpected verdict")
}
