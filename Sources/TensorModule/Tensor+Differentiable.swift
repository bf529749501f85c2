import DifferentiableModule

// Element-wise `Differentiable`: every function of the operator set applies to
// each element with the same spelling as for `Double` and `Dual`; binary
// operations broadcast like NumPy, literals are 0-d tensors. The derivative
// rules and their edge conventions are those of forward mode:
//
// | function       | point                  | derivative                         |
// |----------------|------------------------|------------------------------------|
// | abs(x)         | x = 0                  | 0                                  |
// | sqrt(x)        | x = 0                  | +∞                                 |
// | pow(x, y)      | y = 0                  | 0 with respect to x                |
// | pow(x, y)      | x = 0, y ≥ 0           | 0 with respect to y                |
// | max, min       | x = y                  | half to each argument              |

@usableFromInline let _ln2 = 0.693147180559945309417232121458176568
@usableFromInline let _ln10 = 2.30258509299404568401799145468436421
@usableFromInline let _twoOverSqrtPi = 1.12837916709551257389615890312154517

extension Tensor: Differentiable {
  /// A 0-d constant from a `Double`.
  ///
  /// ```swift
  /// let c = Tensor<Float>(0.5 as Double)
  /// ```
  @inlinable @inline(__always)
  public init(_ value: Double) { self.init(_value: Scalar(value)) }

  /// A 0-d constant from an integer literal: `let t: Tensor<Double> = 2`.
  @inlinable @inline(__always)
  public init(integerLiteral value: Int) { self.init(_value: Scalar(Double(value))) }

  /// A 0-d constant from a float literal: `let t: Tensor<Double> = 0.5`.
  @inlinable @inline(__always)
  public init(floatLiteral value: Double) { self.init(_value: Scalar(value)) }

  // MARK: Arithmetic

  /// Element-wise sum with broadcasting. ∂ = 1, 1.
  ///
  /// ```swift
  /// let y = x + 2            // 2 broadcasts as a 0-d tensor
  /// ```
  @inlinable @inline(__always)
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .add, .sum) { x, y in (x + y, 1, 1) }
  }
  /// Element-wise difference with broadcasting. ∂ = 1, −1.
  ///
  /// ```swift
  /// let e = prediction - target
  /// ```
  @inlinable @inline(__always)
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .sub, .difference) { x, y in (x - y, 1, -1) }
  }
  /// Element-wise product with broadcasting. ∂ = y, x.
  ///
  /// ```swift
  /// let z = y * y * 3
  /// ```
  @inlinable @inline(__always)
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .mul, .product) { x, y in (x * y, y, x) }
  }
  /// Element-wise quotient with broadcasting. ∂ = 1/y, −(x/y)/y.
  ///
  /// ```swift
  /// let q = x / (1 + x * x)
  /// ```
  @inlinable @inline(__always)
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .div, .computed) { x, y in
      // The quotient itself is a division (x·(1/y) loses a bit in a quarter
      // of cases and overflows where x/y does not).
      let q = x / y
      let r = 1 / y
      return (q, r, -q * r)
    }
  }
  /// Element-wise negation. ∂ = −1.
  ///
  /// ```swift
  /// let n = -x
  /// ```
  @inlinable @inline(__always)
  public static prefix func - (operand: Tensor) -> Tensor {
    _unary(operand, .neg) { x in (-x, -1) }
  }

  // MARK: Exponentials and logarithms

  // (eˣ)' = eˣ
  /// `exp` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = exp(x)
  /// ```
  @inlinable public static func exp(_ x: Tensor) -> Tensor {
    _unary(x, .exp) { v in let e = Scalar.exp(v); return (e, e) }
  }
  // (2ˣ)' = 2ˣ·ln 2
  /// `exp2` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = exp2(x)
  /// ```
  @inlinable public static func exp2(_ x: Tensor) -> Tensor {
    _unary(x, .exp2) { v in let e = Scalar.exp2(v); return (e, e * Scalar(_ln2)) }
  }
  // (eˣ − 1)' = eˣ
  /// `expm1` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = expm1(x)
  /// ```
  @inlinable public static func expm1(_ x: Tensor) -> Tensor {
    // expm1(x) + 1 cancels to 0 for x ≪ 0: eˣ there.
    _unary(x, .expm1) { v in let e = Scalar.expm1(v); return (e, e > -0.5 ? e + 1 : Scalar.exp(v)) }
  }
  // (ln x)' = 1/x
  /// `log` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = log(x)
  /// ```
  @inlinable public static func log(_ x: Tensor) -> Tensor {
    _unary(x, .log) { v in (Scalar.log(v), 1 / v) }
  }
  // (log₂ x)' = 1/(x·ln 2)
  /// `log2` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = log2(x)
  /// ```
  @inlinable public static func log2(_ x: Tensor) -> Tensor {
    _unary(x, .log2) { v in (Scalar.log2(v), 1 / (v * Scalar(_ln2))) }
  }
  // (log₁₀ x)' = 1/(x·ln 10)
  /// `log10` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = log10(x)
  /// ```
  @inlinable public static func log10(_ x: Tensor) -> Tensor {
    _unary(x, .log10) { v in (Scalar.log10(v), 1 / (v * Scalar(_ln10))) }
  }
  // (ln(1 + x))' = 1/(1 + x)
  /// `log1p` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = log1p(x)
  /// ```
  @inlinable public static func log1p(_ x: Tensor) -> Tensor {
    _unary(x, .log1p) { v in (Scalar.log1p(v), 1 / (1 + v)) }
  }

  // MARK: Powers and roots

  // (√x)' = 1/(2√x), +∞ at 0
  /// `sqrt` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = sqrt(x)
  /// ```
  @inlinable public static func sqrt(_ x: Tensor) -> Tensor {
    _unary(x, .sqrt) { v in let r = Scalar.sqrt(v); return (r, 1 / (2 * r)) }
  }
  // (∛x)' = 1/(3·∛x²)
  /// `cbrt` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = cbrt(x)
  /// ```
  @inlinable public static func cbrt(_ x: Tensor) -> Tensor {
    _unary(x, .cbrt) { v in let r = Scalar.cbrt(v); return (r, 1 / (3 * r * r)) }
  }
  // ∂xʸ/∂x = y·xʸ⁻¹ (0 where y = 0); ∂xʸ/∂y = xʸ·ln x (0 where x = 0, y ≥ 0).
  // A y that does not require gradients gets no term (so (−2)^2.0 is fine).
  /// `pow` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = pow(x, y)
  /// ```
  @inlinable public static func pow(_ x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .pow, .computed) { a, b in
      let p = Scalar.pow(a, b)
      // `isIdenticallyZero`, not `== 0` (values only): on dual scalars
      // (forward over reverse) y may carry a perturbation that ∂/∂x keeps
      // (∂²xʸ/∂x∂y = 1/x at y = 0), as in DualModule's rule.
      let dx: Scalar = b.isIdenticallyZero ? 0 : b * Scalar.pow(a, b - 1)
      let dy: Scalar = (a == 0 && b >= 0) ? 0 : p * Scalar.log(a)
      return (p, dx, dy)
    }
  }
  // (xⁿ)' = n·xⁿ⁻¹ (0 where n = 0)
  /// `pow` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = pow(x, 3)
  /// ```
  @inlinable public static func pow(_ x: Tensor, _ n: Int) -> Tensor {
    _unary(x, .powInt) { v in
      // n·vⁿ⁻¹, with vⁿ⁻¹ as vⁿ/v for n = Int.min (n − 1 would overflow).
      (Scalar.pow(v, n), n == 0 ? 0
        : n == Int.min ? Scalar(Double(n)) * (Scalar.pow(v, n) / v) : Scalar(Double(n)) * Scalar.pow(v, n - 1))
    }
  }
  // ∂h/∂x = x/h, ∂h/∂y = y/h
  /// `hypot` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = hypot(x, y)
  /// ```
  @inlinable public static func hypot(_ x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .hypot, .computed) { a, b in
      let h = Scalar.hypot(a, b)
      return (h, a / h, b / h)
    }
  }

  // MARK: Trigonometric functions

  // (sin x)' = cos x
  /// `sin` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = sin(x)
  /// ```
  @inlinable public static func sin(_ x: Tensor) -> Tensor {
    _unary(x, .sin) { v in (Scalar.sin(v), Scalar.cos(v)) }
  }
  // (cos x)' = −sin x
  /// `cos` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = cos(x)
  /// ```
  @inlinable public static func cos(_ x: Tensor) -> Tensor {
    _unary(x, .cos) { v in (Scalar.cos(v), -Scalar.sin(v)) }
  }
  // (tan x)' = 1 + tan²x
  /// `tan` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = tan(x)
  /// ```
  @inlinable public static func tan(_ x: Tensor) -> Tensor {
    _unary(x, .tan) { v in let t = Scalar.tan(v); return (t, 1 + t * t) }
  }
  // (asin x)' = 1/√(1 − x²)
  /// `asin` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = asin(x)
  /// ```
  @inlinable public static func asin(_ x: Tensor) -> Tensor {
    _unary(x, .asin) { v in (Scalar.asin(v), 1 / Scalar.sqrt((1 - v) * (1 + v))) }
  }
  // (acos x)' = −1/√(1 − x²)
  /// `acos` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = acos(x)
  /// ```
  @inlinable public static func acos(_ x: Tensor) -> Tensor {
    _unary(x, .acos) { v in (Scalar.acos(v), -1 / Scalar.sqrt((1 - v) * (1 + v))) }
  }
  // (atan x)' = 1/(1 + x²)
  /// `atan` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = atan(x)
  /// ```
  @inlinable public static func atan(_ x: Tensor) -> Tensor {
    _unary(x, .atan) { v in (Scalar.atan(v), _atanDerivative(v)) }
  }
  // ∂atan2(y, x)/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
  /// `atan2` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = atan2(y: y, x: x)
  /// ```
  @inlinable public static func atan2(y: Tensor, x: Tensor) -> Tensor {
    _binary(y, x, .atan2, .computed) { b, a in
      // (a/h)/h with h = hypot(a, b): a² + b² overflows at ordinary scales.
      let h = Scalar.hypot(a, b)
      return (Scalar.atan2(y: b, x: a), a / h / h, -(b / h) / h)
    }
  }

  // MARK: Hyperbolic and error functions

  // (sinh x)' = cosh x
  /// `sinh` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = sinh(x)
  /// ```
  @inlinable public static func sinh(_ x: Tensor) -> Tensor {
    _unary(x, .sinh) { v in (Scalar.sinh(v), Scalar.cosh(v)) }
  }
  // (cosh x)' = sinh x
  /// `cosh` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = cosh(x)
  /// ```
  @inlinable public static func cosh(_ x: Tensor) -> Tensor {
    _unary(x, .cosh) { v in (Scalar.cosh(v), Scalar.sinh(v)) }
  }
  // (tanh x)' = 1 − tanh²x (1/cosh²x near saturation, see _tanhDerivative)
  /// `tanh` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = tanh(x)
  /// ```
  @inlinable public static func tanh(_ x: Tensor) -> Tensor {
    _unary(x, .tanh) { v in let t = Scalar.tanh(v); return (t, _tanhDerivative(v, t)) }
  }
  // (erf x)' = 2/√π·e^(−x²)
  /// `erf` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = erf(x)
  /// ```
  @inlinable public static func erf(_ x: Tensor) -> Tensor {
    _unary(x, .erf) { v in (Scalar.erf(v), Scalar(_twoOverSqrtPi) * Scalar.exp(-v * v)) }
  }
  // (erfc x)' = −2/√π·e^(−x²)
  /// `erfc` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = erfc(x)
  /// ```
  @inlinable public static func erfc(_ x: Tensor) -> Tensor {
    _unary(x, .erfc) { v in (Scalar.erfc(v), Scalar(-_twoOverSqrtPi) * Scalar.exp(-v * v)) }
  }
  // |x|' = sign(x), and 0 at 0
  /// `abs` element-wise (broadcasting for two operands), recorded for
  /// backward with the derivative rule stated above.
  ///
  /// ```swift
  /// let y = abs(x)
  /// ```
  @inlinable public static func abs(_ x: Tensor) -> Tensor {
    _unary(x, .abs) { v in (Scalar.abs(v), v > 0 ? 1 : (v < 0 ? -1 : 0)) }
  }
}

// MARK: - Maximum and minimum

extension Tensor {
  /// Element-wise maximum with broadcasting; at a tie the gradient is split
  /// evenly (as for `Dual`, PyTorch and JAX). A NaN element loses to a
  /// number, as in `Double.maximum` and forward mode (PyTorch's
  /// `torch.maximum` would give NaN), and the gradient goes to the number.
  ///
  /// ```swift
  /// Tensor.maximum(Tensor([1, 5]), Tensor([3, 2])).scalars   // [3, 5]
  /// ```
  @inlinable
  public static func maximum(_ x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .maximum, .computed) { a, b in
      // At a tie the value is Scalar.maximum, which for nested duals splits
      // their own derivative parts too.
      // (a != a: NaN, which loses.)
      a > b ? (a, 1, 0) : b > a || a != a ? (b, 0, 1) : b != b ? (a, 1, 0) : (Scalar.maximum(a, b), 0.5, 0.5)
    }
  }

  /// Element-wise minimum with broadcasting; ties split the gradient evenly,
  /// and a NaN element loses to a number (see `maximum`).
  ///
  /// ```swift
  /// Tensor.minimum(Tensor([1, 5]), Tensor([3, 2])).scalars   // [1, 2]
  /// ```
  @inlinable
  public static func minimum(_ x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .minimum, .computed) { a, b in
      a < b ? (a, 1, 0) : b < a || a != a ? (b, 0, 1) : b != b ? (a, 1, 0) : (Scalar.minimum(a, b), 0.5, 0.5)
    }
  }

  /// `lhs -= rhs`. Inside `withoutGradients` on a leaf that requires gradients
  /// this is an in-place update: the result stays the same leaf (its `grad`
  /// and `requiresGrad` are kept), as for PyTorch's `w -= lr * w.grad`.
  /// Elsewhere it is `lhs = lhs - rhs`.
  ///
  /// ```swift
  /// withoutGradients { w -= 0.01 * w.grad! }
  /// ```
  @inlinable
  public static func -= (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "-=") { $0 - $1 }
  }

  /// `lhs += rhs`, an in-place update of a leaf inside `withoutGradients`
  /// (see `-=`).
  ///
  /// ```swift
  /// withoutGradients { w += 0.01 * direction }
  /// ```
  @inlinable
  public static func += (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "+=") { $0 + $1 }
  }

  /// `lhs *= rhs`, an in-place update of a leaf inside `withoutGradients`
  /// (see `-=`).
  ///
  /// ```swift
  /// withoutGradients { w *= 0.9 }
  /// ```
  @inlinable
  public static func *= (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "*=") { $0 * $1 }
  }

  /// `lhs /= rhs`, an in-place update of a leaf inside `withoutGradients`
  /// (see `-=`).
  ///
  /// ```swift
  /// withoutGradients { w /= 2 }
  /// ```
  @inlinable
  public static func /= (lhs: inout Tensor, rhs: Tensor) {
    _updateInPlace(&lhs, rhs, "/=") { $0 / $1 }
  }
}

extension Tensor {
  // The same four with a number on the right. With a decimal literal the
  // type checker otherwise settles on the protocol's general `*=` (`lhs =
  // lhs * rhs`, found by review: `withoutGradients { w *= 0.9 }` turned the
  // leaf into a constant and dropped its `grad`), since the literal's
  // default type Double matches that overload's literal first.

  /// `lhs -= rhs` with a number (see the `Tensor` version).
  @inlinable
  public static func -= (lhs: inout Tensor, rhs: Double) { lhs -= Tensor(rhs) }

  /// `lhs += rhs` with a number (see the `Tensor` version).
  @inlinable
  public static func += (lhs: inout Tensor, rhs: Double) { lhs += Tensor(rhs) }

  /// `lhs *= rhs` with a number (see the `Tensor` version).
  ///
  /// ```swift
  /// withoutGradients { w *= 0.9 }   // w stays the same leaf
  /// ```
  @inlinable
  public static func *= (lhs: inout Tensor, rhs: Double) { lhs *= Tensor(rhs) }

  /// `lhs /= rhs` with a number (see the `Tensor` version).
  @inlinable
  public static func /= (lhs: inout Tensor, rhs: Double) { lhs /= Tensor(rhs) }
}

extension Tensor {
  /// `lhs = op(lhs, rhs)`, keeping `lhs` the same leaf when it is a leaf that
  /// requires gradients and nothing was recorded (inside `withoutGradients`).
  /// Such an in-place update cannot change the leaf's shape (as in PyTorch):
  /// the tapes that recorded the leaf know its shape.
  @inlinable
  static func _updateInPlace(
    _ lhs: inout Tensor, _ rhs: Tensor, _ name: StaticString, _ op: (Tensor, Tensor) -> Tensor
  ) {
    let leaf = lhs._leaf
    let result = op(lhs, rhs)
    guard let leaf, result._node == nil else {
      lhs = result
      return
    }
    if result.shape != lhs.shape {
      fatalError("""
        Tensor \(name): an in-place update of a leaf that requires gradients cannot change its \
        shape \(lhs.shape) (the result of \(lhs.shape) \(name) \(rhs.shape) has shape \(result.shape))
        """)
    }
    lhs = result
    lhs._leaf = leaf
  }
}

/// Element-wise maximum of two tensors (broadcasting); ties split the gradient.
///
/// ```swift
/// max(Tensor<Double>([1, 5]), Tensor([3, 2])).scalars   // [3, 5]
/// ```
@inlinable
public func max<S>(_ x: Tensor<S>, _ y: Tensor<S>) -> Tensor<S> { Tensor.maximum(x, y) }

/// Element-wise minimum of two tensors (broadcasting); ties split the gradient.
///
/// ```swift
/// min(Tensor<Double>([1, 5]), Tensor([3, 2])).scalars   // [1, 2]
/// ```
@inlinable
public func min<S>(_ x: Tensor<S>, _ y: Tensor<S>) -> Tensor<S> { Tensor.minimum(x, y) }
