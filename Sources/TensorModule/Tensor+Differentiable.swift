import DifferentiableModule

// Element-wise `Differentiable`: every function of the operator set applies to
// each element with the same spelling as for `Double` and `Dual`, with the
// value and partials of the rule table (`DerivativeRules`, whose
// documentation gives the edge conventions); binary operations broadcast like
// NumPy, literals are 0-d tensors.

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

  /// Element-wise sum with broadcasting.
  ///
  /// ```swift
  /// let y = x + 2            // 2 broadcasts as a 0-d tensor
  /// ```
  @inlinable @inline(__always)
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .add, .sum) { DerivativeRules.sum($0, $1) }
  }
  /// Element-wise difference with broadcasting.
  ///
  /// ```swift
  /// let e = prediction - target
  /// ```
  @inlinable @inline(__always)
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .sub, .difference) { DerivativeRules.difference($0, $1) }
  }
  /// Element-wise product with broadcasting.
  ///
  /// ```swift
  /// let z = y * y * 3
  /// ```
  @inlinable @inline(__always)
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .mul, .product) { DerivativeRules.product($0, $1) }
  }
  /// Element-wise quotient with broadcasting.
  ///
  /// ```swift
  /// let q = x / (1 + x * x)
  /// ```
  @inlinable @inline(__always)
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
    _binary(lhs, rhs, .div, .computed) { DerivativeRules.quotient($0, $1) }
  }
  /// Element-wise negation.
  ///
  /// ```swift
  /// let n = -x
  /// ```
  @inlinable @inline(__always)
  public static prefix func - (operand: Tensor) -> Tensor {
    _unary(operand, .neg) { DerivativeRules.negation($0) }
  }

  // MARK: Elementary functions

  /// `exp` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = exp(x)
  /// ```
  @inlinable public static func exp(_ x: Tensor) -> Tensor { _unary(x, .exp) { DerivativeRules.exp($0) } }

  /// `exp2` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = exp2(x)
  /// ```
  @inlinable public static func exp2(_ x: Tensor) -> Tensor { _unary(x, .exp2) { DerivativeRules.exp2($0) } }

  /// `expm1` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = expm1(x)
  /// ```
  @inlinable public static func expm1(_ x: Tensor) -> Tensor { _unary(x, .expm1) { DerivativeRules.expm1($0) } }

  /// `log` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = log(x)
  /// ```
  @inlinable public static func log(_ x: Tensor) -> Tensor { _unary(x, .log) { DerivativeRules.log($0) } }

  /// `log2` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = log2(x)
  /// ```
  @inlinable public static func log2(_ x: Tensor) -> Tensor { _unary(x, .log2) { DerivativeRules.log2($0) } }

  /// `log10` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = log10(x)
  /// ```
  @inlinable public static func log10(_ x: Tensor) -> Tensor { _unary(x, .log10) { DerivativeRules.log10($0) } }

  /// `log1p` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = log1p(x)
  /// ```
  @inlinable public static func log1p(_ x: Tensor) -> Tensor { _unary(x, .log1p) { DerivativeRules.log1p($0) } }

  /// `sqrt` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = sqrt(x)
  /// ```
  @inlinable public static func sqrt(_ x: Tensor) -> Tensor { _unary(x, .sqrt) { DerivativeRules.sqrt($0) } }

  /// `cbrt` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = cbrt(x)
  /// ```
  @inlinable public static func cbrt(_ x: Tensor) -> Tensor { _unary(x, .cbrt) { DerivativeRules.cbrt($0) } }

  /// `sin` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = sin(x)
  /// ```
  @inlinable public static func sin(_ x: Tensor) -> Tensor { _unary(x, .sin) { DerivativeRules.sin($0) } }

  /// `cos` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = cos(x)
  /// ```
  @inlinable public static func cos(_ x: Tensor) -> Tensor { _unary(x, .cos) { DerivativeRules.cos($0) } }

  /// `tan` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = tan(x)
  /// ```
  @inlinable public static func tan(_ x: Tensor) -> Tensor { _unary(x, .tan) { DerivativeRules.tan($0) } }

  /// `asin` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = asin(x)
  /// ```
  @inlinable public static func asin(_ x: Tensor) -> Tensor { _unary(x, .asin) { DerivativeRules.asin($0) } }

  /// `acos` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = acos(x)
  /// ```
  @inlinable public static func acos(_ x: Tensor) -> Tensor { _unary(x, .acos) { DerivativeRules.acos($0) } }

  /// `atan` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = atan(x)
  /// ```
  @inlinable public static func atan(_ x: Tensor) -> Tensor { _unary(x, .atan) { DerivativeRules.atan($0) } }

  /// `sinh` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = sinh(x)
  /// ```
  @inlinable public static func sinh(_ x: Tensor) -> Tensor { _unary(x, .sinh) { DerivativeRules.sinh($0) } }

  /// `cosh` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = cosh(x)
  /// ```
  @inlinable public static func cosh(_ x: Tensor) -> Tensor { _unary(x, .cosh) { DerivativeRules.cosh($0) } }

  /// `tanh` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = tanh(x)
  /// ```
  @inlinable public static func tanh(_ x: Tensor) -> Tensor {
    // Large `Double` tensors: the rule's values and partials four lanes at a
    // time (`_tanhKernel`), where the CPU has AVX2 and FMA.
    if Scalar.self == Double.self, let s = x._storage, s.count >= _bulkKernelMinimum,
      let r = _tanhKernel(unsafeBitCast(x, to: Tensor<Double>.self))
    {
      return unsafeBitCast(r, to: Tensor.self)
    }
    return _unary(x, .tanh) { DerivativeRules.tanh($0) }
  }

  /// `erf` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = erf(x)
  /// ```
  @inlinable public static func erf(_ x: Tensor) -> Tensor { _unary(x, .erf) { DerivativeRules.erf($0) } }

  /// `erfc` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = erfc(x)
  /// ```
  @inlinable public static func erfc(_ x: Tensor) -> Tensor { _unary(x, .erfc) { DerivativeRules.erfc($0) } }

  /// `abs` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = abs(x)
  /// ```
  @inlinable public static func abs(_ x: Tensor) -> Tensor { _unary(x, .abs) { DerivativeRules.abs($0) } }

  /// `pow` element-wise with broadcasting. An operand that does not require
  /// gradients gets no partial (so a negative base to a constant power, or a
  /// constant 0 to the power 0.5, is differentiable).
  ///
  /// ```swift
  /// let y = pow(x, Tensor(1.5))
  /// ```
  @inlinable public static func pow(_ x: Tensor, _ y: Tensor) -> Tensor {
    let needX = x._requiresGrad, needY = y._requiresGrad
    return _binary(x, y, .pow, .computed) { a, b in DerivativeRules.pow(a, b, x: needX, y: needY) }
  }
  /// `pow` element-wise with an integer exponent.
  ///
  /// ```swift
  /// let y = pow(x, 3)
  /// ```
  @inlinable public static func pow(_ x: Tensor, _ n: Int) -> Tensor {
    _unary(x, .powInt) { v in DerivativeRules.pow(v, n) }
  }
  /// `hypot` element-wise with broadcasting.
  ///
  /// ```swift
  /// let r = hypot(x, y)
  /// ```
  @inlinable public static func hypot(_ x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .hypot, .computed) { DerivativeRules.hypot($0, $1) }
  }
  /// `atan2` element-wise with broadcasting.
  ///
  /// ```swift
  /// let angle = atan2(y: y, x: x)
  /// ```
  @inlinable public static func atan2(y: Tensor, x: Tensor) -> Tensor {
    _binary(y, x, .atan2, .computed) { b, a in DerivativeRules.atan2(y: b, x: a) }
  }

  // MARK: Functions added by users

  /// `rule` element-wise, recorded for backward.
  ///
  /// ```swift
  /// let y = BesselJ0()(x)      // x a Tensor
  /// ```
  @inlinable public static func applying<R: UnaryRule>(_ rule: R, to x: Tensor) -> Tensor {
    _unary(x, .custom) { v in rule.local(at: v) }
  }
  /// `rule` element-wise with broadcasting, recorded for backward.
  ///
  /// ```swift
  /// let e = EccentricAnomaly()(m, Tensor(0.3))
  /// ```
  @inlinable public static func applying<R: BinaryRule>(_ rule: R, to x: Tensor, _ y: Tensor) -> Tensor {
    _binary(x, y, .custom, .computed) { a, b in rule.local(at: a, b) }
  }
}

// MARK: - Reading the rule table

extension Tensor {
  @inlinable @inline(__always)
  static func _unary(_ x: Tensor, _ op: OpCode, _ rule: (Scalar) -> LocalDerivative<Scalar>) -> Tensor {
    _unary(x, op) { v in
      let r = rule(v)
      return (r.value, r.derivative)
    }
  }

  @inlinable @inline(__always)
  static func _binary(
    _ a: Tensor, _ b: Tensor, _ op: OpCode, _ kind: _BinaryPartials, _ rule: (Scalar, Scalar) -> LocalPartials<Scalar>
  ) -> Tensor {
    _binary(a, b, op, kind) { x, y in
      let r = rule(x, y)
      return (r.value, r.x, r.y)
    }
  }
}
