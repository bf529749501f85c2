import DifferentiableModule
import DualModule
import TensorModule

/// The Jacobian of f at x as a sparse matrix: its pattern detected at x, its
/// columns (forward mode) or rows (reverse mode) coloured so that one
/// evaluation serves every column of a colour, and the compressed results
/// decompressed. Memory is proportional to the non-zeros plus n, never n².
///
/// `.automatic` takes the mode with fewer colours (forward on a tie). For
/// many Jacobians of the same function (a Newton iteration, a time stepper),
/// `SparseJacobianPlan` detects and colours once.
///
/// ```swift
/// let J = sparseJacobian(at: x, of: Bratu1D())   // 3 colours, one pass of 4-lane duals
/// ```
@inlinable
public func sparseJacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], mode: DifferentiationMode = .automatic, of f: F
) -> SparseMatrix<S> {
  let (pattern, _) = _detectJacobianSparsity(at: x, of: f)
  let plan = _SparsePlanColoring(pattern: pattern, mode: mode)
  return _compressedJacobian(at: x, of: f, pattern: pattern, plan: plan, verb: "sparseJacobian").jacobian
}

/// A pattern's colouring for the mode to evaluate it in.
@usableFromInline
struct _SparsePlanColoring: Sendable {
  @usableFromInline let mode: DifferentiationMode
  @usableFromInline let coloring: Coloring

  @inlinable
  init(pattern: SparsityPattern, mode requested: DifferentiationMode) {
    switch requested {
    case .forward:
      (mode, coloring) = (.forward, Coloring(columnsOf: pattern))
    case .reverse:
      (mode, coloring) = (.reverse, Coloring(rowsOf: pattern))
    default:
      let columns = Coloring(columnsOf: pattern), rows = Coloring(rowsOf: pattern)
      (mode, coloring) = rows.count < columns.count ? (.reverse, rows) : (.forward, columns)
    }
  }
}

/// The compressed evaluation and its decompression, with the outcomes of
/// f's comparisons.
@inlinable
func _compressedJacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], of f: F, pattern: SparsityPattern, plan: _SparsePlanColoring, verb: StaticString
) -> (jacobian: SparseMatrix<S>, branches: [Bool]) {
  if plan.mode == .reverse { return _compressedReverse(at: x, of: f, pattern: pattern, coloring: plan.coloring, verb: verb) }
  switch plan.coloring.count {
  case ...2: return _compressedForward(at: x, of: f, pattern: pattern, coloring: plan.coloring, verb: verb, chunk: SIMD2<S>.self)
  case ...4: return _compressedForward(at: x, of: f, pattern: pattern, coloring: plan.coloring, verb: verb, chunk: SIMD4<S>.self)
  default: return _compressedForward(at: x, of: f, pattern: pattern, coloring: plan.coloring, verb: verb, chunk: SIMD8<S>.self)
  }
}

/// Forward mode: one pass of `P.scalarCount`-lane duals per that many column
/// colours, each lane seeded with the sum of its colour's columns.
@inlinable
func _compressedForward<S: JacobianScalar, F: VectorFunction, P: SIMD>(
  at x: [S], of f: F, pattern: SparsityPattern, coloring: Coloring, verb: StaticString, chunk: P.Type
) -> (jacobian: SparseMatrix<S>, branches: [Bool]) where P.Scalar == S {
  typealias D = BranchRecordingScalar<MultiDual<P>>
  let w = P.scalarCount
  var values = [S](repeating: 0, count: pattern.nonzeroCount)
  var branches: [Bool] = []
  var first = 0
  // The seeds are written, and the compressed columns read, in place: a lane
  // of a SIMD vector chosen by a variable index goes through memory, and the
  // load that follows a lane's store stalls.
  let partialsOffset =
    MemoryLayout<D>.offset(of: \D.base)! + MemoryLayout<MultiDual<P>>.offset(of: \MultiDual<P>.partials)!
  let stride = MemoryLayout<D>.stride, laneStride = MemoryLayout<S>.stride
  repeat {
    var inputs: [D] = x.map { D(MultiDual($0)) }
    inputs.withUnsafeMutableBytes { raw in
      for j in 0..<x.count {
        let lane = coloring.colors[j] - first
        if lane >= 0 && lane < w {
          raw.storeBytes(of: S(1), toByteOffset: j * stride + partialsOffset + lane * laneStride, as: S.self)
        }
      }
    }
    let (y, outcomes) = ComparisonLog.recording { f(inputs) }
    if y.count != pattern.rows { _sparseOutputCount(verb, pattern.rows, y.count) }
    if first == 0 { branches = outcomes }
    y.withUnsafeBytes { raw in
      for j in 0..<pattern.columns {
        let lane = coloring.colors[j] - first
        guard lane >= 0 && lane < w else { continue }
        for k in pattern.columnStarts[j]..<pattern.columnStarts[j + 1] {
          values[k] = raw.load(
            fromByteOffset: pattern.rowIndices[k] * stride + partialsOffset + lane * laneStride, as: S.self)
        }
      }
    }
    first += w
  } while first < coloring.count
  return (SparseMatrix(pattern: pattern, values: values), branches)
}

/// Reverse mode: one recording, then one cotangent per row colour (the sum of
/// its rows' unit vectors), swept eight at a time.
@inlinable
func _compressedReverse<S: JacobianScalar, F: VectorFunction>(
  at x: [S], of f: F, pattern: SparsityPattern, coloring: Coloring, verb: StaticString
) -> (jacobian: SparseMatrix<S>, branches: [Bool]) {
  typealias R = BranchRecordingScalar<ReverseScalar<S>>
  let m = pattern.rows
  let ((_, products), branches) = ComparisonLog.recording {
    reverseScalarProducts(verb, at: x, of: { inputs in f(inputs.map { R($0) }).map(\.base) }) { outputs in
      if outputs != m { _sparseOutputCount(verb, m, outputs) }
      var rows = [[S]](repeating: [S](repeating: 0, count: m), count: coloring.count)
      for i in 0..<m { rows[coloring.colors[i]][i] = 1 }
      return rows
    }
  }
  var values = [S](repeating: 0, count: pattern.nonzeroCount)
  for j in 0..<pattern.columns {
    for k in pattern.columnStarts[j]..<pattern.columnStarts[j + 1] {
      values[k] = products[coloring.colors[pattern.rowIndices[k]]][j]
    }
  }
  return (SparseMatrix(pattern: pattern, values: values), branches)
}

/// The inputs of one compressed forward pass: lane k of input j's partials
/// is 1 where j has colour `first + k`.
@inlinable
func _compressedSeeds<S: JacobianScalar, P: SIMD>(
  _ x: [S], _ coloring: Coloring, from first: Int, chunk: P.Type
) -> [MultiDual<P>] where P.Scalar == S {
  let w = P.scalarCount
  return x.indices.map { j in
    var p = P.zero
    let lane = coloring.colors[j] - first
    if lane >= 0 && lane < w { p[lane] = 1 }
    return MultiDual(x[j], partials: p)
  }
}

@usableFromInline @inline(never)
func _sparseOutputCount(_ verb: StaticString, _ expected: Int, _ got: Int) -> Never {
  fatalError("\(verb): the function returned \(got) outputs where its pattern has \(expected) rows; the output length must not depend on the point")
}
