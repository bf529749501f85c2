import DifferentiableModule

/// The sparse Jacobians of one function at many points (a Newton iteration,
/// a time stepper): the pattern is detected and coloured once, at the point
/// the plan is made at, and each `jacobian(at:)` is one compressed
/// evaluation.
///
/// A function that branches may take other branches at a later point, where
/// the pattern may differ. Each evaluation records the outcomes of the
/// function's comparisons of its scalars (`<`, `==`, and the `>`, `<=`, `>=`,
/// `max`, `min` built on them) and compares them with those of the
/// detection; if they differ, the plan detects and colours again at the new
/// point before it returns, so a Jacobian never misses entries. (Branches on
/// values taken out of the scalars, such as `primalDouble`, are not seen.)
///
/// ```swift
/// let plan = SparseJacobianPlan(at: u, of: residual)
/// plan.colorCount                    // 3 for a tridiagonal Jacobian
/// for _ in 0..<10 { let J = plan.jacobian(at: u); u = newtonStep(u, J) }
/// ```
public final class SparseJacobianPlan<S: JacobianScalar, F: VectorFunction> {
  @usableFromInline let function: F
  @usableFromInline let requestedMode: DifferentiationMode
  @usableFromInline var state: (pattern: SparsityPattern, coloring: _SparsePlanColoring, branches: [Bool])
  @usableFromInline var detectionCount = 1

  /// How many times the plan has detected its pattern (1 plus the re-plans
  /// at points where the function took other branches).
  public var detections: Int { detectionCount }

  /// A plan for f's Jacobians, detected and coloured at x.
  @inlinable
  public init(at x: [S], mode: DifferentiationMode = .automatic, of f: F) {
    function = f
    requestedMode = mode
    let (pattern, branches) = _detectJacobianSparsity(at: x, of: f)
    state = (pattern, _SparsePlanColoring(pattern: pattern, mode: mode), branches)
  }

  /// The pattern (of the latest detection).
  public var pattern: SparsityPattern { state.pattern }
  /// The number of colours: compressed columns (forward) or rows (reverse).
  public var colorCount: Int { state.coloring.coloring.count }
  /// The mode chosen (`.forward` or `.reverse`).
  public var mode: DifferentiationMode { state.coloring.mode }

  /// The Jacobian at y, which must have as many coordinates as the point the
  /// plan was made at.
  @inlinable
  public func jacobian(at y: [S]) -> SparseMatrix<S> {
    if y.count != state.pattern.columns { _planSize("SparseJacobianPlan.jacobian(at:)", state.pattern.columns, y.count) }
    let (j, branches) = _compressedJacobian(
      at: y, of: function, pattern: state.pattern, plan: state.coloring, verb: "SparseJacobianPlan.jacobian(at:)")
    if branches == state.branches { return j }
    // Other branches: detect and colour again here.
    let (pattern, detected) = _detectJacobianSparsity(at: y, of: function)
    state = (pattern, _SparsePlanColoring(pattern: pattern, mode: requestedMode), detected)
    detectionCount += 1
    return _compressedJacobian(
      at: y, of: function, pattern: pattern, plan: state.coloring, verb: "SparseJacobianPlan.jacobian(at:)").jacobian
  }
}

@usableFromInline @inline(never)
func _planSize(_ verb: StaticString, _ n: Int, _ got: Int) -> Never {
  fatalError("\(verb): the plan was made at a point of \(n) coordinates; this point has \(got)")
}
