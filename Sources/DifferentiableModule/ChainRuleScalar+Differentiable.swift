// The operator set for every chain-rule number, read from the rule table
// (`DerivativeRules`, whose documentation gives the edge conventions): each
// function takes its value and local partials from the table at the primal
// value and chains them. Partials marked singular chain `bySingular:`, so
// that a zero derivative part stays zero where the partial is infinite.

// MARK: - Applying a rule

extension ChainRuleScalar {
  /// The number with `local`'s value whose derivative parts are `x`'s times
  /// `local.derivative`.
  ///
  /// ```swift
  /// let y = Dual(DerivativeRules.sin(x.value), chaining: x)   // sin(x)
  /// ```
  @inlinable @inline(__always)
  public init(_ local: LocalDerivative<Primal>, chaining x: Self) {
    if local.isSingular {
      self.init(value: local.value, chaining: x, bySingular: local.derivative)
    } else {
      self.init(value: local.value, chaining: x, by: local.derivative)
    }
  }

  /// The number with `local`'s value whose derivative parts are `x`'s times
  /// `local.x` plus `y`'s times `local.y`.
  ///
  /// ```swift
  /// let z = Dual(DerivativeRules.product(x.value, y.value), chaining: x, y)   // x·y
  /// ```
  @inlinable @inline(__always)
  public init(_ local: LocalPartials<Primal>, chaining x: Self, _ y: Self) {
    if local.isSingular {
      self.init(value: local.value, chaining: x, bySingular: local.x, y, bySingular: local.y)
    } else {
      self.init(value: local.value, chaining: x, by: local.x, y, by: local.y)
    }
  }

  /// The argument that `DerivativeRules.maximum` or `.minimum` selected.
  @inlinable @inline(__always)
  static func selecting(_ selection: Selection<Primal>, _ x: Self, _ y: Self) -> Self {
    switch selection {
    case .x: return x
    case .y: return y
    case .tie(let value): return Self(value: value, chaining: x, by: 0.5, y, by: 0.5)
    }
  }

  @inlinable @inline(__always)
  public static func applying<R: UnaryRule>(_ rule: R, to x: Self) -> Self {
    Self(rule.local(at: x.value), chaining: x)
  }

  @inlinable @inline(__always)
  public static func applying<R: BinaryRule>(_ rule: R, to x: Self, _ y: Self) -> Self {
    Self(rule.local(at: x.value, y.value), chaining: x, y)
  }
}

// MARK: - Literals

extension ChainRuleScalar {
  // Disfavoured so that `Dual(x)` with a `Double` variable `x` infers
  // `Dual<Double>` from `init(_:tangent:)`. (With a literal, `Dual(3.0)` is a
  // literal coercion in Swift and needs the type spelled: `Dual<Double>(3.0)`.)
  @_disfavoredOverload @inlinable @inline(__always)
  public init(_ value: Double) { self.init(constant: Primal(value)) }
  @inlinable @inline(__always)
  public init(integerLiteral value: Int) { self.init(constant: Primal(Double(value))) }
  @inlinable @inline(__always)
  public init(floatLiteral value: Double) { self.init(constant: Primal(value)) }
  @inlinable @inline(__always)
  public var primalDouble: Double { value.primalDouble }
}

// MARK: - Ordering (by value)

extension ChainRuleScalar {
  @inlinable @inline(__always)
  public static func == (lhs: Self, rhs: Self) -> Bool { lhs.value == rhs.value }
  @inlinable @inline(__always)
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

  @inlinable
  public static func maximum(_ x: Self, _ y: Self) -> Self {
    selecting(DerivativeRules.maximum(x.value, y.value), x, y)
  }

  @inlinable
  public static func minimum(_ x: Self, _ y: Self) -> Self {
    selecting(DerivativeRules.minimum(x.value, y.value), x, y)
  }
}

// MARK: - The operator set

extension ChainRuleScalar {
  @inlinable @inline(__always)
  public static func * (lhs: Self, rhs: Self) -> Self {
    Self(DerivativeRules.product(lhs.value, rhs.value), chaining: lhs, rhs)
  }
  @inlinable @inline(__always)
  public static func / (lhs: Self, rhs: Self) -> Self {
    Self(DerivativeRules.quotient(lhs.value, rhs.value), chaining: lhs, rhs)
  }

  @inlinable @inline(__always)
  public static func exp(_ x: Self) -> Self { Self(DerivativeRules.exp(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func exp2(_ x: Self) -> Self { Self(DerivativeRules.exp2(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func expm1(_ x: Self) -> Self { Self(DerivativeRules.expm1(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func log(_ x: Self) -> Self { Self(DerivativeRules.log(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func log2(_ x: Self) -> Self { Self(DerivativeRules.log2(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func log10(_ x: Self) -> Self { Self(DerivativeRules.log10(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func log1p(_ x: Self) -> Self { Self(DerivativeRules.log1p(x.value), chaining: x) }

  @inlinable @inline(__always)
  public static func sqrt(_ x: Self) -> Self { Self(DerivativeRules.sqrt(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func cbrt(_ x: Self) -> Self { Self(DerivativeRules.cbrt(x.value), chaining: x) }
  // A constant operand (zero derivative parts at every level) asks the rule
  // for no partial with respect to it.
  @inlinable
  public static func pow(_ x: Self, _ y: Self) -> Self {
    Self(
      DerivativeRules.pow(x.value, y.value, x: !x.hasZeroDerivative, y: !y.hasZeroDerivative),
      chaining: x, y)
  }
  @inlinable
  public static func pow(_ x: Self, _ n: Int) -> Self { Self(DerivativeRules.pow(x.value, n), chaining: x) }
  @inlinable
  public static func hypot(_ x: Self, _ y: Self) -> Self {
    Self(DerivativeRules.hypot(x.value, y.value), chaining: x, y)
  }

  @inlinable @inline(__always)
  public static func sin(_ x: Self) -> Self { Self(DerivativeRules.sin(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func cos(_ x: Self) -> Self { Self(DerivativeRules.cos(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func tan(_ x: Self) -> Self { Self(DerivativeRules.tan(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func asin(_ x: Self) -> Self { Self(DerivativeRules.asin(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func acos(_ x: Self) -> Self { Self(DerivativeRules.acos(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func atan(_ x: Self) -> Self { Self(DerivativeRules.atan(x.value), chaining: x) }
  @inlinable
  public static func atan2(y: Self, x: Self) -> Self {
    Self(DerivativeRules.atan2(y: y.value, x: x.value), chaining: y, x)
  }

  @inlinable @inline(__always)
  public static func sinh(_ x: Self) -> Self { Self(DerivativeRules.sinh(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func cosh(_ x: Self) -> Self { Self(DerivativeRules.cosh(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func tanh(_ x: Self) -> Self { Self(DerivativeRules.tanh(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func erf(_ x: Self) -> Self { Self(DerivativeRules.erf(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func erfc(_ x: Self) -> Self { Self(DerivativeRules.erfc(x.value), chaining: x) }
  @inlinable @inline(__always)
  public static func abs(_ x: Self) -> Self { Self(DerivativeRules.abs(x.value), chaining: x) }
}
