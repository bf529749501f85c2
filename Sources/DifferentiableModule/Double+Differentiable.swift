// `Double` evaluates the operator set with the C library's functions.
extension Double: Differentiable {
  @inlinable @inline(__always) public static func exp(_ x: Double) -> Double { _libm_exp(x) }
  @inlinable @inline(__always) public static func exp2(_ x: Double) -> Double { _libm_exp2(x) }
  @inlinable @inline(__always) public static func expm1(_ x: Double) -> Double { _libm_expm1(x) }
  @inlinable @inline(__always) public static func log(_ x: Double) -> Double { _libm_log(x) }
  @inlinable @inline(__always) public static func log2(_ x: Double) -> Double { _libm_log2(x) }
  @inlinable @inline(__always) public static func log10(_ x: Double) -> Double { _libm_log10(x) }
  @inlinable @inline(__always) public static func log1p(_ x: Double) -> Double { _libm_log1p(x) }
  @inlinable @inline(__always) public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
  @inlinable @inline(__always) public static func cbrt(_ x: Double) -> Double { _libm_cbrt(x) }
  @inlinable @inline(__always) public static func sin(_ x: Double) -> Double { _libm_sin(x) }
  @inlinable @inline(__always) public static func cos(_ x: Double) -> Double { _libm_cos(x) }
  @inlinable @inline(__always) public static func tan(_ x: Double) -> Double { _libm_tan(x) }
  @inlinable @inline(__always) public static func asin(_ x: Double) -> Double { _libm_asin(x) }
  @inlinable @inline(__always) public static func acos(_ x: Double) -> Double { _libm_acos(x) }
  @inlinable @inline(__always) public static func atan(_ x: Double) -> Double { _libm_atan(x) }
  @inlinable @inline(__always) public static func sinh(_ x: Double) -> Double { _libm_sinh(x) }
  @inlinable @inline(__always) public static func cosh(_ x: Double) -> Double { _libm_cosh(x) }
  @inlinable @inline(__always) public static func tanh(_ x: Double) -> Double { _libm_tanh(x) }
  @inlinable @inline(__always) public static func erf(_ x: Double) -> Double { _libm_erf(x) }
  @inlinable @inline(__always) public static func erfc(_ x: Double) -> Double { _libm_erfc(x) }
  @inlinable @inline(__always) public static func abs(_ x: Double) -> Double { x.magnitude }
  @inlinable @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { _libm_pow(x, y) }
  @inlinable @inline(__always) public static func pow(_ x: Double, _ n: Int) -> Double { _libm_pow(x, Double(n)) }
  @inlinable @inline(__always) public static func atan2(y: Double, x: Double) -> Double { _libm_atan2(y, x) }
  @inlinable @inline(__always) public static func hypot(_ x: Double, _ y: Double) -> Double { _libm_hypot(x, y) }
  @inlinable @inline(__always) public static func applying<R: UnaryRule>(_ rule: R, to x: Double) -> Double { rule.value(x) }
  @inlinable @inline(__always)
  public static func applying<R: BinaryRule>(_ rule: R, to x: Double, _ y: Double) -> Double { rule.value(x, y) }
}

extension Double: DifferentiableScalar {
  @inlinable @inline(__always) public var primalDouble: Double { Double(self) }
  @inlinable @inline(__always) public var isIdenticallyZero: Bool { self == 0 }
}
