import DifferentiableModule
import DualModule

// MARK: - Chunked forward mode
//
// Forward mode computes the Jacobian a chunk of columns at a time: inputs
// j ∈ [start, start + w) are seeded with unit partials eⱼ₋ₛₜₐᵣₜ of a
// `MultiDual<SIMDw<S>>`, so one evaluation of f yields w columns. The partial
// updates are SIMD arithmetic; the primal work is repeated once per chunk, so
// wider chunks pay less primal overhead but move more partials per operation.
// The width is chosen from the number of inputs (see `_forwardJacobian`;
// the benchmark's dense-Jacobian workload measures the choice).

/// Evaluates f once with inputs `start ..< start + width` seeded and writes
/// those columns of the Jacobian into `out` (row-major, `columns` = x.count).
/// Returns the number of outputs.
@inlinable
func _forwardChunk<F: VectorFunction, P: SIMD>(
  _ f: F, inputs: inout [MultiDual<P>], start: Int,
  expectedOutputs: Int, out: UnsafeMutablePointer<P.Scalar>?
) -> [MultiDual<P>] where P.Scalar: DifferentiableScalar & BinaryFloatingPoint {
  let n = inputs.count
  let width = Swift.min(P.scalarCount, n - start)
  for k in 0..<width { inputs[start + k].partials[k] = 1 }
  let y = f(inputs)
  for k in 0..<width { inputs[start + k].partials[k] = 0 }
  if expectedOutputs >= 0 && y.count != expectedOutputs {
    _outputCountChanged("jacobian", expectedOutputs, y.count)
  }
  if let out {
    for i in 0..<y.count {
      let p = y[i].partials
      let row = out + i * n + start
      for k in 0..<width { row[k] = p[k] }
    }
  }
  return y
}

@inline(never) @usableFromInline
func _outputCountChanged(_ verb: StaticString, _ expected: Int, _ got: Int) -> Never {
  fatalError("\(verb): the function returned \(got) outputs in one evaluation and \(expected) in another; the output length must not depend on the point")
}

/// The whole forward Jacobian on the calling thread, in chunks of `P.scalarCount` columns.
@inlinable
func _forwardJacobianSequential<F: VectorFunction, P: SIMD>(
  at x: [P.Scalar], of f: F, chunk: P.Type
) -> (value: [P.Scalar], jacobian: Matrix<P.Scalar>)
where P.Scalar: DifferentiableScalar & BinaryFloatingPoint {
  let n = x.count
  if n == 0 {
    let y = f(x)
    return (y, Matrix(rows: y.count, columns: 0, elements: []))
  }
  var inputs = x.map { MultiDual<P>($0) }
  let w = P.scalarCount
  // The first chunk tells the number of outputs.
  let first = _forwardChunk(f, inputs: &inputs, start: 0, expectedOutputs: -1, out: nil)
  let m = first.count
  var elements = [P.Scalar](repeating: 0, count: m * n)
  elements.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    let width = Swift.min(w, n)
    for i in 0..<m { for k in 0..<width { base[i * n + k] = first[i].partials[k] } }
    var start = w
    while start < n {
      _ = _forwardChunk(f, inputs: &inputs, start: start, expectedOutputs: m, out: base)
      start += w
    }
  }
  return (first.map(\.value), Matrix(rows: m, columns: n, elements: elements))
}

// MARK: - Two cores
//
// A large Jacobian's column chunks are split in two halves: the calling thread
// computes the first, a second POSIX thread the second, each writing its own
// columns of the result (disjoint elements), and the caller joins. Creating
// the thread costs some tens of microseconds, so the work is split only when
// the first chunk, timed, shows that the rest will take at least
// `_parallelThreshold` (the benchmark's one-thread-versus-two sweep measures
// it). The
// result is the same bit for bit: each column is computed the same way.

/// Work remaining (the time of one chunk × chunks left) from which a Jacobian
/// is shared between two threads.
@usableFromInline let _parallelThreshold: Duration = .microseconds(300)

/// The forward Jacobian, shared with a second thread when it is large enough to pay.
@inlinable
func _forwardJacobianParallel<F: VectorFunction & Sendable, P: SIMD & SendableMetatype>(
  at x: [P.Scalar], of f: F, chunk: P.Type
) -> (value: [P.Scalar], jacobian: Matrix<P.Scalar>)
where P.Scalar: JacobianScalar {
  let n = x.count, w = P.scalarCount
  let chunks = (n + w - 1) / w
  guard chunks >= 3 else { return _forwardJacobianSequential(at: x, of: f, chunk: P.self) }

  var inputs = x.map { MultiDual<P>($0) }
  let clock = ContinuousClock()
  let t0 = clock.now
  let first = _forwardChunk(f, inputs: &inputs, start: 0, expectedOutputs: -1, out: nil)
  let firstTime = clock.now - t0
  let m = first.count
  var elements = [P.Scalar](repeating: 0, count: m * n)
  let remaining = chunks - 1
  let parallel = m > 0 && firstTime * remaining >= _parallelThreshold
  elements.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    let width = Swift.min(w, n)
    for i in 0..<m { for k in 0..<width { base[i * n + k] = first[i].partials[k] } }
    // Chunks 1..<split here, split..<chunks on the second thread.
    let split = parallel ? 1 + remaining / 2 : chunks
    if parallel {
      runOnSecondThread {
        var helperInputs = x.map { MultiDual<P>($0) }
        for c in split..<chunks {
          _ = _forwardChunk(f, inputs: &helperInputs, start: c * w, expectedOutputs: m, out: base)
        }
      } while: {
        for c in 1..<split {
          _ = _forwardChunk(f, inputs: &inputs, start: c * w, expectedOutputs: m, out: base)
        }
      }
    } else {
      for c in 1..<chunks {
        _ = _forwardChunk(f, inputs: &inputs, start: c * w, expectedOutputs: m, out: base)
      }
    }
  }
  return (first.map(\.value), Matrix(rows: m, columns: n, elements: elements))
}

/// Chooses the chunk width from the number of inputs: a chunk never much wider
/// than n (2, 4), otherwise 8 partials, computed by `wide` (on one thread, or
/// on two for a `Sendable` function).
@inlinable
func _forwardJacobian<F: VectorFunction, S: JacobianScalar>(
  at x: [S], of f: F, wide: ([S]) -> (value: [S], jacobian: Matrix<S>)
) -> (value: [S], jacobian: Matrix<S>) {
  switch x.count {
  case ...2: return _forwardJacobianSequential(at: x, of: f, chunk: SIMD2<S>.self)
  case ...4: return _forwardJacobianSequential(at: x, of: f, chunk: SIMD4<S>.self)
  default: return wide(x)
  }
}

/// The forward Jacobian on one thread.
@inlinable
func _forwardJacobian<F: VectorFunction, S: JacobianScalar>(
  at x: [S], of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  _forwardJacobian(at: x, of: f) { _forwardJacobianSequential(at: $0, of: f, chunk: SIMD8<S>.self) }
}

/// The forward Jacobian, on two threads when it is large.
@inlinable
func _forwardJacobian<F: VectorFunction & Sendable, S: JacobianScalar>(
  at x: [S], of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  _forwardJacobian(at: x, of: f) { _forwardJacobianParallel(at: $0, of: f, chunk: SIMD8<S>.self) }
}
