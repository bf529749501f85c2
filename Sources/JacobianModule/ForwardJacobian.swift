import DifferentiableModule
import DualModule
import Synchronization

// MARK: - Chunked forward mode
//
// Forward mode computes the Jacobian a chunk of columns at a time: inputs
// j ∈ [start, start + w) are seeded with unit partials eⱼ₋ₛₜₐᵣₜ of a
// `MultiDual<SIMDw<S>>`, so one evaluation of f yields w columns. The partial
// updates are SIMD arithmetic; the primal work is repeated once per chunk, so
// wider chunks pay less primal overhead but move more partials per operation.
// The width is chosen from the number of inputs (see `_forwardJacobian`);
// W3 in the benchmark measured the choice.

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
    _outputCountChanged(expectedOutputs, y.count)
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
func _outputCountChanged(_ expected: Int, _ got: Int) -> Never {
  fatalError("jacobian: the function returned \(got) outputs in one evaluation and \(expected) in another; the output length must not depend on the point")
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
// A large Jacobian's column chunks are shared between the calling thread and
// one helper task. Both claim chunks from an atomic counter, so the caller
// never waits for a task that has not started: if the helper is slow to be
// scheduled (or the cooperative pool is busy), the caller simply computes every
// chunk itself, and the helper later finds nothing left. The caller waits only
// for chunks the helper has claimed, which are being computed.
//
// Spawning a task costs some microseconds, so the work is split only when the
// first chunk, timed, shows that the rest will take longer than
// `_parallelThreshold` (measured on W3: see BENCHMARKS.md and the README).

/// Work remaining (in the time of one chunk × chunks left) above which a
/// Jacobian is shared between two threads.
@usableFromInline let _parallelThreshold: Duration = .microseconds(40)

@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
@usableFromInline
final class _ChunkQueue<S>: @unchecked Sendable {
  @usableFromInline let next = Atomic<Int>(0)
  @usableFromInline let done = Atomic<Int>(0)
  @usableFromInline let base: UnsafeMutablePointer<S>
  @usableFromInline let count: Int

  @inlinable init(count: Int, zero: S) {
    self.count = count
    base = .allocate(capacity: count)
    base.initialize(repeating: zero, count: count)
  }
  deinit { base.deallocate() }

  /// Claims the next chunk index, or nil when all are claimed.
  @inlinable func claim(total: Int) -> Int? {
    let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
    return c < total ? c : nil
  }
  @inlinable func finished() { done.wrappingAdd(1, ordering: .releasing) }
  @inlinable func waitFor(_ total: Int) {
    while done.load(ordering: .acquiring) < total {}
  }
}

/// The forward Jacobian, shared with a helper task when it is large enough to pay.
@inlinable
func _forwardJacobianParallel<F: VectorFunction & Sendable, P: SIMD & SendableMetatype>(
  at x: [P.Scalar], of f: F, chunk: P.Type
) -> (value: [P.Scalar], jacobian: Matrix<P.Scalar>)
where P.Scalar: JacobianScalar {
  let n = x.count, w = P.scalarCount
  let chunks = (n + w - 1) / w
  guard #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *),
        chunks >= 3
  else { return _forwardJacobianSequential(at: x, of: f, chunk: P.self) }

  var inputs = x.map { MultiDual<P>($0) }
  let clock = ContinuousClock()
  let t0 = clock.now
  let first = _forwardChunk(f, inputs: &inputs, start: 0, expectedOutputs: -1, out: nil)
  let firstTime = clock.now - t0
  let m = first.count
  if firstTime * (chunks - 1) < _parallelThreshold || m == 0 {
    // Small: finish on this thread.
    var elements = [P.Scalar](repeating: 0, count: m * n)
    elements.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      for i in 0..<m { for k in 0..<w { base[i * n + k] = first[i].partials[k] } }
      var start = w
      while start < n {
        _ = _forwardChunk(f, inputs: &inputs, start: start, expectedOutputs: m, out: base)
        start += w
      }
    }
    return (first.map(\.value), Matrix(rows: m, columns: n, elements: elements))
  }

  let queue = _ChunkQueue<P.Scalar>(count: m * n, zero: 0)
  for i in 0..<m { for k in 0..<w { queue.base[i * n + k] = first[i].partials[k] } }
  let remaining = chunks - 1
  Task.detached {
    var helperInputs = x.map { MultiDual<P>($0) }
    while let c = queue.claim(total: remaining) {
      _ = _forwardChunk(f, inputs: &helperInputs, start: (c + 1) * w, expectedOutputs: m, out: queue.base)
      queue.finished()
    }
  }
  while let c = queue.claim(total: remaining) {
    _ = _forwardChunk(f, inputs: &inputs, start: (c + 1) * w, expectedOutputs: m, out: queue.base)
    queue.finished()
  }
  queue.waitFor(remaining)
  let elements = Array(UnsafeBufferPointer(start: queue.base, count: m * n))
  return (first.map(\.value), Matrix(rows: m, columns: n, elements: elements))
}

/// Chooses the chunk width from the number of inputs: a chunk never much wider
/// than n (2, 4), otherwise 8 partials.
@inlinable
func _forwardJacobian<F: VectorFunction, S: JacobianScalar>(
  at x: [S], of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  switch x.count {
  case ...2: return _forwardJacobianSequential(at: x, of: f, chunk: SIMD2<S>.self)
  case ...4: return _forwardJacobianSequential(at: x, of: f, chunk: SIMD4<S>.self)
  default: return _forwardJacobianSequential(at: x, of: f, chunk: SIMD8<S>.self)
  }
}

/// As `_forwardJacobian`, using two threads when the Jacobian is large.
@inlinable
func _forwardJacobian<F: VectorFunction & Sendable, S: JacobianScalar>(
  at x: [S], of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  switch x.count {
  case ...2: return _forwardJacobianSequential(at: x, of: f, chunk: SIMD2<S>.self)
  case ...4: return _forwardJacobianSequential(at: x, of: f, chunk: SIMD4<S>.self)
  default: return _forwardJacobianParallel(at: x, of: f, chunk: SIMD8<S>.self)
  }
}
