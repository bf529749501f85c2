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
/// | function   | point                   | derivative                                   |
/// |------------|-------------------------|----------------------------------------------|
/// | abs(x)     | x = 0                   | 0                                            |
/// | sqrt(x)    | x = 0                   | +∞                                           |
/// | cbrt(x)    | x = 0                   | +∞                                           |
/// | log(x)     | x = 0                   | +∞ (and −∞ for x = −0)                       |
/// | asin, acos | x = ±1                  | ±∞                                           |
/// | pow(x, y)  | y = 0                   | 0 with respect to x                          |
/// | pow(x, y)  | x = 0, y ≥ 0            | 0 with respect to y                          |
/// | pow(x, y)  | y constant              | no term with respect to y (even for x < 0)   |
/// | pow(x, y)  | x constant              | no term with respect to x (even 0^y, y < 1)  |
/// | max, min   | x = y                   | half to each argument                        |
/// | max, min   | one argument NaN        | the other argument, with its derivative      |
/// | x / y      | y = 0                   | ±∞ or NaN, as the IEEE quotient              |
///
/// A singular partial (marked `isSingular`) times a zero derivative part is
/// zero in every mode, not NaN: a direction that never reaches the singular
/// point stays exact (a Jacobian column, a Hessian entry).
///
/// ```swift
/// let r = DerivativeRules.exp(1.0)      // r.value = e, r.derivative = e
/// ```
public enum DerivativeRules {}
