import DifferentiableModule
import DualModule
import TensorModule

/// The sparsity pattern of f's Hessian at x (symmetric, n×n): which pairs of
/// inputs interact nonlinearly, found by one evaluation of f on
/// second-order tracer scalars. `x·y` gives (x, y) and (y, x), `x + y`
/// nothing, `sin(x)` (x, x).
///
/// ```swift
/// let p = hessianSparsity(at: x, of: Rosenbrock())   // tridiagonal
/// ```
@inlinable
public func hessianSparsity<S: JacobianScalar, F: ScalarFunction>(at x: [S], of f: F) -> SparsityPattern {
  _detectHessianSparsity(at: x, of: f).pattern
}

@inlinable
func _detectHessianSparsity<S: JacobianScalar, F: ScalarFunction>(
  at x: [S], of f: F
) -> (pattern: SparsityPattern, branches: [Bool]) {
  let ((_, branches), pairs) = SparsityArena.during {
    let inputs = x.indices.map {
      HessianTracer(SparsityTracer<S, UnrecordedComparisons>(value: x[$0], indices: SparseIndices($0)))
    }
    return HessianPairs.gathering { ComparisonLog.recording { f(inputs) } }
  }
  let n = x.count
  let entries = pairs.map { (Int($0 >> 32), Int(UInt32(truncatingIfNeeded: $0))) }
  return (SparsityPattern(rows: n, columns: n, nonzeros: entries), branches)
}

/// The Hessian of f at x as a sparse matrix: its pattern detected at x, its
/// columns star-coloured (adjacent columns differ and no path of four
/// columns alternates two colours; a distance-2 colouring where that has no
/// more colours), and one forward-over-reverse pass (a
/// recording on 2-, 4- or 8-lane duals) per that many colours, each lane
/// seeded with the sum of its colour's unit vectors.
///
/// ```swift
/// let H = sparseHessian(at: x, of: Rosenbrock())   // 3 colours for a tridiagonal Hessian
/// ```
@inlinable
public func sparseHessian<S: JacobianScalar, F: ScalarFunction>(at x: [S], of f: F) -> SparseMatrix<S> {
  let (pattern, _) = _detectHessianSparsity(at: x, of: f)
  return _compressedHessian(at: x, of: f, pattern: pattern, coloring: StarColoring(pattern), verb: "sparseHessian").hessian
}

@inlinable
func _compressedHessian<S: JacobianScalar, F: ScalarFunction>(
  at x: [S], of f: F, pattern: SparsityPattern, coloring: StarColoring, verb: StaticString
) -> (hessian: SparseMatrix<S>, branches: [Bool]) {
  switch coloring.coloring.count {
  case ...2: return _compressedHessian(at: x, of: f, pattern: pattern, coloring: coloring, verb: verb, chunk: SIMD2<S>.self)
  case ...4: return _compressedHessian(at: x, of: f, pattern: pattern, coloring: coloring, verb: verb, chunk: SIMD4<S>.self)
  default: return _compressedHessian(at: x, of: f, pattern: pattern, coloring: coloring, verb: verb, chunk: SIMD8<S>.self)
  }
}

@inlinable
func _compressedHessian<S: JacobianScalar, F: ScalarFunction, P: SIMD>(
  at x: [S], of f: F, pattern: SparsityPattern, coloring star: StarColoring, verb: StaticString, chunk: P.Type
) -> (hessian: SparseMatrix<S>, branches: [Bool]) where P.Scalar == S {
  let coloring = star.coloring
  typealias D = MultiDual<P>
  typealias R = BranchRecordingScalar<ReverseScalar<D>>
  let w = P.scalarCount
  var values = [S](repeating: 0, count: pattern.nonzeroCount)
  var branches: [Bool] = []
  var first = 0
  repeat {
    let point: [D] = _compressedSeeds(x, coloring, from: first, chunk: P.self)
    let ((_, products), outcomes) = ComparisonLog.recording {
      reverseScalarProducts(verb, at: point, of: { inputs in [f(inputs.map { R($0) }).base] }) { _ in [[D(1)]] }
    }
    if first == 0 { branches = outcomes }
    // Each entry from its row and colour of H·S, for the colours of this pass.
    for k in 0..<pattern.nonzeroCount {
      let (row, color) = star.sources[k]
      let lane = color - first
      if lane >= 0 && lane < w { values[k] = products[0][row].partials[lane] }
    }
    first += w
  } while first < coloring.count
  return (SparseMatrix(pattern: pattern, values: values), branches)
}

/// The sparse Hessians of one function at many points: the pattern is
/// detected and coloured once (see `SparseJacobianPlan` for branches: a plan
/// detects again where the function's comparisons come out otherwise).
///
/// ```swift
/// let plan = SparseHessianPlan(at: x, of: Rosenbrock())
/// let H = plan.hessian(at: y)
/// ```
public final class SparseHessianPlan<S: JacobianScalar, F: ScalarFunction> {
  @usableFromInline let function: F
  @usableFromInline var state: (pattern: SparsityPattern, coloring: StarColoring, branches: [Bool])
  @usableFromInline var detectionCount = 1

  /// A plan for f's Hessians, detected and coloured at x.
  @inlinable
  public init(at x: [S], of f: F) {
    function = f
    let (pattern, branches) = _detectHessianSparsity(at: x, of: f)
    state = (pattern, StarColoring(pattern), branches)
  }

  /// The pattern (of the latest detection).
  public var pattern: SparsityPattern { state.pattern }
  /// The number of colours (compressed columns).
  public var colorCount: Int { state.coloring.coloring.count }
  /// How many times the plan has detected its pattern.
  public var detections: Int { detectionCount }

  /// The Hessian at y (as many coordinates as the point of the plan).
  @inlinable
  public func hessian(at y: [S]) -> SparseMatrix<S> {
    if y.count != state.pattern.columns { _planSize("SparseHessianPlan.hessian(at:)", state.pattern.columns, y.count) }
    let (h, branches) = _compressedHessian(
      at: y, of: function, pattern: state.pattern, coloring: state.coloring, verb: "SparseHessianPlan.hessian(at:)")
    if branches == state.branches { return h }
    let (pattern, detected) = _detectHessianSparsity(at: y, of: function)
    state = (pattern, StarColoring(pattern), detected)
    detectionCount += 1
    return _compressedHessian(
      at: y, of: function, pattern: pattern, coloring: state.coloring, verb: "SparseHessianPlan.hessian(at:)").hessian
  }
}
