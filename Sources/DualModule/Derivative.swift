import DifferentiableModule

/// The derivative of a scalar function at a point, in forward mode.
///
/// ```
/// derivative(at: x, of: f) = f′(x)
/// ```
///
/// `f` receives `Dual(x, tangent: 1)`; a generic function works directly and a
/// closure can trail:
///
/// ```swift
/// func f<T: Differentiable>(_ x: T) -> T { sin(x) * x }
/// derivative(at: 1.0, of: f)                 // cos 1 + sin 1
/// derivative(at: 1.0) { x in sin(x) * x }    // the same
/// derivative(at: 1.0) { x in derivative(at: x, of: f) }   // f″(1)
/// ```
///
/// Nesting gives higher derivatives without perturbation confusion: each level
/// is its own `Dual` type, and a value from an outer level enters an inner
/// closure only as a constant, `Dual(x)`.
///
/// See also: `valueWithDerivative(at:of:)`, `directionalDerivative(at:along:of:)`.
@inlinable
public func derivative<T: DifferentiableScalar>(
  at x: T, of f: (Dual<T>) throws -> Dual<T>
) rethrows -> T {
  try f(Dual(x, tangent: 1)).tangent
}

/// The value and the derivative of a scalar function at a point, in one
/// forward-mode evaluation.
///
/// ```swift
/// let (y, dy) = valueWithDerivative(at: 2.0) { x in x * x * x }   // (8, 12)
/// ```
///
/// See also: `derivative(at:of:)`.
@inlinable
public func valueWithDerivative<T: DifferentiableScalar>(
  at x: T, of f: (Dual<T>) throws -> Dual<T>
) rethrows -> (value: T, derivative: T) {
  let y = try f(Dual(x, tangent: 1))
  return (y.value, y.tangent)
}
