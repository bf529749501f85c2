#if !(os(Windows) || os(Android)) && (arch(i386) || arch(x86_64))
// `Float80` evaluates the operator set with the C library's functions.
extension Float80: Differentiable {
  @inlinable @inline(__always) public static func exp(_ x: Float80) -> Float80 { _libm_exp(x) }
  @inlinable @inline(__always) public static func exp2(_ x: Float80) -> Float80 { _libm_exp2(x) }
  @inlinable @inline(__always) public static func expm1(_ x: Float80) -> Float80 { _libm_expm1(x) }
  @inlinable @inline(__always) public static func log(_ x: Float80) -> Float80 { _libm_log(x) }
  @inlinable @inline(__always) public static func log2(_ x: Float80) -> Float80 { _libm_log2(x) }
  @inlinable @inline(__always) public static func log10(_ x: Float80) -> Float80 { _libm_log10(x) }
  @inlinable @inline(__always) public static func log1p(_ x: Float80) -> Float80 { _libm_log1p(x) }
  @inlinable @inline(__always) public static func sqrt(_ x: Float80) -> Float80 { x.squareRoot() }
  @inlinable @inline(__always) public static func cbrt(_ x: Float80) -> Float80 { _libm_cbrt(x) }
  @inlinable @inline(__always) public static func sin(_ x: Float80) -> Float80 { _libm_sin(x) }
  @inlinable @inline(__always) public static func cos(_ x: Float80) -> Float80 { _libm_cos(x) }
  @inlinable @inline(__always) public static func tan(_ x: Float80) -> Float80 { _libm_tan(x) }
  @inlinable @inline(__always) public static func asin(_ x: Float80) -> Float80 { _libm_asin(x) }
  @inlinable @inline(__always) public static func acos(_ x: Float80) -> Float80 { _libm_acos(x) }
  @inlinable @inline(__always) public static func atan(_ x: Float80) -> Float80 { _libm_atan(x) }
  @inlinable @inline(__always) public static func sinh(_ x: Float80) -> Float80 { _libm_sinh(x) }
  @inlinable @inline(__always) public static func cosh(_ x: Float80) -> Float80 { _libm_cosh(x) }
  @inlinable @inline(__always) public static func tanh(_ x: Float80) -> Float80 { _libm_tanh(x) }
  @inlinable @inline(__always) public static func erf(_ x: Float80) -> Float80 { _libm_erf(x) }
  @inlinable @inline(__always) public static func erfc(_ x: Float80) -> Float80 { _libm_erfc(x) }
  @inlinable @inline(__always) public static func abs(_ x: Float80) -> Float80 { x.magnitude }
  @inlinable @inline(__always) public static func pow(_ x: Float80, _ y: Float80) -> Float80 { _libm_pow(x, y) }
  @inlinable @inline(__always) public static func pow(_ x: Float80, _ n: Int) -> Float80 { _libm_pow(x, Float80(n)) }
  @inlinable @inline(__always) public static func atan2(y: Float80, x: Float80) -> Float80 { _libm_atan2(y, x) }
  @inlinable @inline(__always) public static func hypot(_ x: Float80, _ y: Float80) -> Float80 { _libm_hypot(x, y) }
  @inlinable @inline(__always) public static func applying<R: UnaryRule>(_ rule: R, to x: Float80) -> Float80 { rule.value(x) }
  @inlinable @inline(__always)
  public static func applying<R: BinaryRule>(_ rule: R, to x: Float80, _ y: Float80) -> Float80 { rule.value(x, y) }
}

extension Float80: DifferentiableScalar {
  @inlinable @inline(__always) public var primalDouble: Double { Double(self) }
  @inlinable @inline(__always) public var isIdenticallyZero: Bool { self == 0 }
}
#endif
