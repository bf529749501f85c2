/// The derivative rules of the operator set, stated once: for each elementary
/// function, its value and local partial derivatives at a point, and whether a
/// partial can be singular there. Every mode reads this table: `Dual` and
/// `MultiDual` scale their tangents by the partials, `ReverseScalar` records
/// them on its tape, `Tensor` does either per element (also over dual
/// scalars, for forward-over-reverse). A new conformer of `Differentiable`
/// that applies `LocalDerivative` and `LocalPartials` gets every rule.
///
/// The rules are generic over `DifferentiableScalar` and compute the value
/// with `T`'s own function, so that on nested duals the partials are duals
/// too and higher derivatives follow.
///
/// Each family of functions is in a file of its own (`ArithmeticRules.swift`,
/// `ExponentialRules.swift`, …). Edge conventions (the same as PyTorch and
/// JAX; `EdgeConventionTests` runs every conformer against this table):
///
/// | function | point | derivative |
/// |---|---|---|
/// | `abs(x)` | x = 0 | 0 |
/// | `sqrt(x)`, `cbrt(x)` | x = 0 | +∞ |
/// | `log(x)`, `log2(x)`, `log10(x)` | x = 0 | +∞ (−∞ at x = −0) |
/// | `asin(x)` | x = ±1 | +∞ |
/// | `acos(x)` | x = ±1 | −∞ |
/// | `x / y` | y = 0 | ±∞ or NaN, as the IEEE quotient |
/// | `pow(x, y)` | y = 0 | 0 with respect to x |
/// | `pow(x, y)` | x = 0, y ≥ 0 | 0 with respect to y |
/// | `pow(x, c)` | c constant, any x (also x < 0) | c·xᶜ⁻¹, no ln x term |
/// | `pow(c, y)` | c constant (also c = 0, y < 1) | cʸ·ln c (0 for c = 0), no x term |
/// | `max(x, y)`, `min(x, y)` | x = y | half to each argument |
/// | `max(x, y)`, `min(x, y)` | one argument NaN | the other's value and derivative, as `Double.maximum` (PyTorch's `torch.maximum` gives NaN) |
///
/// A singular partial (marked `isSingular`) times a zero derivative part is
/// zero in every mode, not NaN: a direction that never reaches the singular
/// point stays exact (a Jacobian column, a Hessian entry).
///
/// ```swift
/// let r = DerivativeRules.exp(1.0)      // r.value = e, r.derivative = e
/// ```
public enum DerivativeRules {}
