import DifferentiableModule

extension Tensor {
  /// A tensor of the given shape with every element `value`.
  ///
  /// ```swift
  /// Tensor<Double>.full(7, shape: [2, 2]).scalars   // [7, 7, 7, 7]
  /// ```
  @inlinable
  public static func full(_ value: Scalar, shape: [Int], requiresGrad: Bool = false) -> Tensor {
    var t = shape.isEmpty
      ? Tensor(_value: value) : Tensor(_storage: TensorStorage<Scalar>.make(shape: shape, repeating: value))
    if requiresGrad { t._leaf = LeafBox() }
    return t
  }

  /// A tensor of zeros.
  ///
  /// ```swift
  /// let w = Tensor<Double>.zeros([1, 1], requiresGrad: true)
  /// ```
  @inlinable
  public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    full(0, shape: shape, requiresGrad: requiresGrad)
  }

  /// A tensor of ones.
  ///
  /// ```swift
  /// let x = Tensor<Double>.ones([2, 2], requiresGrad: true)
  /// ```
  @inlinable
  public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    full(1, shape: shape, requiresGrad: requiresGrad)
  }

  /// Elements drawn uniformly from `range` with a generator.
  ///
  /// ```swift
  /// var g = SystemRandomNumberGenerator()
  /// let t = Tensor<Double>.randomUniform([3], in: -1...1, using: &g)
  /// ```
  @inlinable
  public static func randomUniform<G: RandomNumberGenerator>(
    _ shape: [Int], in range: ClosedRange<Double> = 0...1, requiresGrad: Bool = false,
    using generator: inout G
  ) -> Tensor {
    var t = Tensor(_shape: shape) { p, n in
      for i in 0..<n { p[i] = Scalar(Double.random(in: range, using: &generator)) }
    }
    if requiresGrad { t._leaf = LeafBox() }
    return t
  }

  /// Elements drawn uniformly from `range`, reproducibly from `seed`.
  ///
  /// ```swift
  /// let w = Tensor<Double>.randomUniform([256, 10], in: -0.1...0.1, seed: 42)
  /// ```
  @inlinable
  public static func randomUniform(
    _ shape: [Int], in range: ClosedRange<Double> = 0...1, seed: UInt64, requiresGrad: Bool = false
  ) -> Tensor {
    var g = _SplitMix64(seed: seed)
    return randomUniform(shape, in: range, requiresGrad: requiresGrad, using: &g)
  }

  /// Normally distributed elements (Box–Muller), reproducibly from `seed`.
  ///
  /// ```swift
  /// let w = Tensor<Double>.randomNormal([64, 64], standardDeviation: 0.1, seed: 7)
  /// ```
  @inlinable
  public static func randomNormal(
    _ shape: [Int], mean: Double = 0, standardDeviation: Double = 1, seed: UInt64,
    requiresGrad: Bool = false
  ) -> Tensor {
    var g = _SplitMix64(seed: seed)
    var t = Tensor(_shape: shape) { p, n in
      var i = 0
      while i < n {
        let u1 = Double.random(in: Double.ulpOfOne...1, using: &g)
        let u2 = Double.random(in: 0..<1, using: &g)
        let r = Double.sqrt(-2 * Double.log(u1))
        let z0 = r * Double.cos(2 * Double.pi * u2), z1 = r * Double.sin(2 * Double.pi * u2)
        p[i] = Scalar(mean + standardDeviation * z0)
        if i + 1 < n { p[i + 1] = Scalar(mean + standardDeviation * z1) }
        i += 2
      }
    }
    if requiresGrad { t._leaf = LeafBox() }
    return t
  }
}

/// SplitMix64, the generator behind the seeded initialisers.
@usableFromInline
struct _SplitMix64: RandomNumberGenerator {
  @usableFromInline var state: UInt64
  @inlinable init(seed: UInt64) { state = seed }
  @inlinable mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

// MARK: - Literals

extension Tensor: ExpressibleByArrayLiteral {
  /// A 1-d tensor from scalars, or a 2-d (n-d) tensor from rows, by stacking
  /// the elements: `[1, 2, 3]`, `[[1, 0], [-1, 1]]`. Rows of different shapes
  /// trap.
  ///
  /// ```swift
  /// let x: Tensor<Double> = [[1, 0], [-1, 1]]    // shape [2, 2]
  /// ```
  @inlinable
  public init(arrayLiteral elements: Tensor...) {
    self = Tensor.stacking(elements)
  }

  /// A tensor from nested rows, optionally a leaf requiring gradients.
  ///
  /// ```swift
  /// let x = Tensor<Double>([[1, 0], [-1, 1]], requiresGrad: true)
  /// ```
  @inlinable
  public init(_ rows: [[Scalar]], requiresGrad: Bool = false) {
    let cols = rows.first?.count ?? 0
    for r in rows where r.count != cols {
      fatalError("Tensor.init(rows:): rows of lengths \(cols) and \(r.count)")
    }
    self.init(rows.flatMap { $0 }, shape: [rows.count, cols], requiresGrad: requiresGrad)
  }

  /// A 1-d tensor from scalars, optionally a leaf requiring gradients.
  ///
  /// ```swift
  /// let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
  /// ```
  @inlinable
  public init(_ scalars: [Scalar], requiresGrad: Bool = false) {
    self.init(scalars, shape: [scalars.count], requiresGrad: requiresGrad)
  }
}

// MARK: - Description

extension Tensor: CustomStringConvertible {
  /// Nested brackets in row-major order, e.g. `[[1.0, 2.0], [3.0, 4.0]]`, with
  /// `requiresGrad` and the backward function when recorded.
  ///
  /// ```swift
  /// print(Tensor<Double>([1, 2]))    // [1.0, 2.0]
  /// ```
  public var description: String {
    let values = scalars
    let dims = shape
    func render(_ level: Int, _ offset: Int) -> String {
      if level == dims.count { return "\(values[offset])" }
      let stride = dims[(level + 1)...].reduce(1, *)
      return "[" + (0..<dims[level]).map { render(level + 1, offset + $0 * stride) }.joined(separator: ", ") + "]"
    }
    var s = values.isEmpty && !dims.isEmpty ? "[]" : render(0, 0)
    if let f = gradFunction { s += ", gradFunction: \(f)" } else if requiresGrad { s += ", requiresGrad: true" }
    return s
  }
}
