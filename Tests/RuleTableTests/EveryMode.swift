import Leibniz

/// `maximum` and `minimum` for the type a probe runs on (`Tensor` is
/// `Differentiable` but not a `DifferentiableScalar`).
struct Extrema<T: Differentiable> {
  let maximum: (T, T) -> T
  let minimum: (T, T) -> T
}

extension Extrema where T: DifferentiableScalar {
  static var scalar: Extrema { Extrema(maximum: T.maximum, minimum: T.minimum) }
}

extension Extrema {
  static func tensor<S>() -> Extrema<Tensor<S>> where T == Tensor<S> {
    Extrema(maximum: { Tensor.maximum($0, $1) }, minimum: { Tensor.minimum($0, $1) })
  }
}

/// A function of two arguments written once over `Differentiable`, whose
/// partial derivatives each mode computes.
protocol Probe: Sendable, CustomStringConvertible {
  func callAsFunction<T: Differentiable>(_ x: T, _ y: T, _ extrema: Extrema<T>) -> T
}

/// A probe as a `VectorFunction` of (x, y), for the Jacobian verbs.
struct ProbeFunction<P: Probe>: VectorFunction, Sendable {
  let probe: P
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { [probe(x[0], x[1], .scalar)] }
}

/// The ways Leibniz differentiates: each scalar mode, and `Tensor` on each of
/// its three recording paths (0-d, small tensors element by element, larger
/// tensors as one node) and over dual scalars (forward over reverse).
enum Mode: String, CaseIterable, Sendable, CustomStringConvertible {
  case dual, multiDual, reverseScalar, tensor0d, tensorSmall, tensorLarge, tensorOverDual
  var description: String { rawValue }

  /// (∂f/∂x, ∂f/∂y) at (x, y).
  func partials<P: Probe>(of probe: P, at x: Double, _ y: Double) -> (Double, Double) {
    switch self {
    case .dual:
      let dx = directionalDerivative(at: [x, y], along: [1, 0]) { v in probe(v[0], v[1], .scalar) }
      let dy = directionalDerivative(at: [x, y], along: [0, 1]) { v in probe(v[0], v[1], .scalar) }
      return (dx, dy)
    case .multiDual:
      let j = jacobian(at: [x, y], mode: .forward, of: ProbeFunction(probe: probe))
      return (j[0, 0], j[0, 1])
    case .reverseScalar:
      let j = jacobian(at: [x, y], mode: .reverse, of: ProbeFunction(probe: probe))
      return (j[0, 0], j[0, 1])
    case .tensor0d:
      return tensorPartials(of: probe, at: x, y, count: 0)
    case .tensorSmall:
      return tensorPartials(of: probe, at: x, y, count: 3)
    case .tensorLarge:
      return tensorPartials(of: probe, at: x, y, count: 40)
    case .tensorOverDual:
      let (dx, dy) = tensorPartials(of: probe, at: Dual(x), Dual(y), count: 40)
      return (dx.value, dy.value)
    }
  }
}

/// (∂f/∂x, ∂f/∂y) at (x, y) by `Tensor`'s backward pass: 0-d leaves for
/// `count` 0, otherwise leaves of `count` equal elements (the partials of
/// element 1 are returned). A leaf that f does not use has partial 0.
func tensorPartials<P: Probe, S: DifferentiableScalar>(
  of probe: P, at x: S, _ y: S, count: Int
) -> (S, S) {
  let tx = count == 0 ? Tensor(x, requiresGrad: true) : Tensor([S](repeating: x, count: count), requiresGrad: true)
  let ty = count == 0 ? Tensor(y, requiresGrad: true) : Tensor([S](repeating: y, count: count), requiresGrad: true)
  let z = probe(tx, ty, .tensor())
  if z.requiresGrad { (count == 0 ? z : z.sum()).backward() }
  let i = count == 0 ? 0 : 1
  return (tx.grad?.scalars[i] ?? 0, ty.grad?.scalars[i] ?? 0)
}

/// Whether `got` is `expected`: equal infinities, both NaN, or within
/// `tolerance` relative to max(1, |expected|).
func agrees(_ got: Double, _ expected: Double, tolerance: Double = 1e-12) -> Bool {
  if expected.isNaN { return got.isNaN }
  if expected.isInfinite || got.isInfinite { return got == expected }
  return abs(got - expected) <= tolerance * max(1, abs(expected))
}
