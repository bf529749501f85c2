// `Float` evaluates the operator set with the C library's functions.
extension Float: Differentiable {
  @inlinable @inline(__always) public static func exp(_ x: Float) -> Float { _libm_exp(x) }
  @inlinable @inline(__always) public static func exp2(_ x: Float) -> Float { _libm_exp2(x) }
  @inlinable @inline(__always) public static func expm1(_ x: Float) -> Float { _libm_expm1(x) }
  @inlinable @inline(__always) public static func log(_ x: Float) -> Float { _libm_log(x) }
  @inlinable @inline(__always) public static func log2(_ x: Float) -> Float { _libm_log2(x) }
  @inlinable @inline(__always) public static func log10(_ x: Float) -> Float { _libm_log10(x) }
  @inlinable @inline(__always) public static func log1p(_ x: Float) -> Float { _libm_log1p(x) }
  @inlinable @inline(__always) public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
  @inlinable @inline(__always) public static func cbrt(_ x: Float) -> Float { _libm_cbrt(x) }
  @inlinable @inline(__always) public static func sin(_ x: Float) -> Float { _libm_sin(x) }
  @inlinable @inline(__always) public static func cos(_ x: Float) -> Float { _libm_cos(x) }
  @inlinable @inline(__always) public static func tan(_ x: Float) -> Float { _libm_tan(x) }
  @inlinable @inline(__always) public static func asin(_ x: Float) -> Float { _libm_asin(x) }
  @inlinable @inline(__always) public static func acos(_ x: Float) -> Float { _libm_acos(x) }
  @inlinable @inline(__always) public static func atan(_ x: Float) -> Float { _libm_atan(x) }
  @inlinable @inline(__always) public static func sinh(_ x: Float) -> Float { _libm_sinh(x) }
  @inlinable @inline(__always) public static func cosh(_ x: Float) -> Float { _libm_cosh(x) }
  @inlinable @inline(__always) public static func tanh(_ x: Float) -> Float { _libm_tanh(x) }
  @inlinable @inline(__always) public static func erf(_ x: Float) -> Float { _libm_erf(x) }
  @inlinable @inline(__always) public static func erfc(_ x: Float) -> Float { _libm_erfc(x) }
  @inlinable @inline(__always) public static func abs(_ x: Float) -> Float { x.magnitude }
  @inlinable @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { _libm_pow(x, y) }
  @inlinable @inline(__always) public static func pow(_ x: Float, _ n: Int) -> Float { _libm_pow(x, Float(n)) }
  @inlinable @inline(__always) public static func atan2(y: Float, x: Float) -> Float { _libm_atan2(y, x) }
  @inlinable @inline(__always) public static func hypot(_ x: Float, _ y: Float) -> Float { _libm_hypot(x, y) }
  @inlinable @inline(__always) public static func applying<R: UnaryRule>(_ rule: R, to x: Float) -> Float { rule.value(x) }
  @inlinable @inline(__always)
  public static func applying<R: BinaryRule>(_ rule: R, to x: Float, _ y: Float) -> Float { rule.value(x, y) }
}

extension Float: DifferentiableScalar {
  @inlinable @inline(__always) public var primalDouble: Double { Double(self) }
  @inlinable @inline(__always) public var isIdenticallyZero: Bool { self == 0 }
}
