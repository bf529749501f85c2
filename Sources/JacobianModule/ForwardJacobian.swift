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
// one helper task. Both claim chunks from an atomic counter. The caller never
// waits: it writes its chunks into its own result; the helper writes into a
// shared buffer and marks each chunk done (release). When the caller has run
// out of chunks it copies the helper's finished chunks (acquire) and computes
// any chunk the helper claimed but has not finished itself (a helper that was
// never scheduled, or was descheduled mid-chunk by a busy machine, costs at
// most one chunk of duplicated work). The helper may still be writing that
// chunk into the shared buffer, which the caller no longer reads; the buffer
// lives as long as the helper holds it.
//
// Spawning a task costs some microseconds, so the work is split only when the
// first chunk, timed, shows that the rest will take at least
// `_parallelThreshold` (see the W3 thread sweep in the benchmark).

/// Work remaining (the time of one chunk × chunks left) from which a Jacobian
/// is shared between two threads.
@usableFromInline let _parallelThreshold: Duration = .microseconds(40)

@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
@usableFromInline
final class _ChunkFlag: Sendable {
  @usableFromInline let value = Atomic<Int>(0)
  @inlinable init() {}
}

@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
@usableFromInline
final class _ChunkQueue<S>: @unchecked Sendable {
  @usableFromInline let next = Atomic<Int>(0)
  /// `done[c]` is 1 once the helper has written chunk c into `base`.
  @usableFromInline let done: [_ChunkFlag]
  @usableFromInline let base: UnsafeMutablePointer<S>
  @usableFromInline let count: Int

  @inlinable init(count: Int, chunks: Int, zero: S) {
    self.count = count
    base = .allocate(capacity: count)
    base.initialize(repeating: zero, count: count)
    done = (0..<chunks).map { _ in _ChunkFlag() }
  }
  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  /// Claims the next chunk index, or nil when all are claimed.
  @inlinable func claim() -> Int? {
    let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
    return c < done.count ? c : nil
  }
  @inlinable func markDone(_ c: Int) { done[c].value.store(1, ordering: .releasing) }
  @inlinable func isDone(_ c: Int) -> Bool { done[c].value.load(ordering: .acquiring) == 1 }
}

/// The forward Jacobian, shared with a helper task when it is large enough to pay.
@inlinable
func _forwardJacobianParallel<F: VectorFunction & Sendable, P: SIMD & SendableMetatype>(
  at x: [P.Scalar], of f: F, chunk: P.Type
) -> (value: [P.Scalar], jacobian: Matrix<P.Scalar>)
where P.Scalar: JacobianScalar {
  let n = x.count, w = P.scalarCount
  let chunks = (n + w - 1) / w
  guard #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *), chunks >= 3
  else { return _forwardJacobianSequential(at: x, of: f, chunk: P.self) }

  var inputs = x.map { MultiDual<P>($0) }
  let clock = ContinuousClock()
  let t0 = clock.now
  let first = _forwardChunk(f, inputs: &inputs, start: 0, expectedOutputs: -1, out: nil)
  let firstTime = clock.now - t0
  let m = first.count
  var elements = [P.Scalar](repeating: 0, count: m * n)
  let remaining = chunks - 1
  let parallel = m > 0 && firstTime * remaining >= _parallelThreshold
  // Chunk c of the queue is column chunk c + 1 (chunk 0 is done).
  let queue = parallel ? _ChunkQueue<P.Scalar>(count: m * n, chunks: remaining, zero: 0) : nil
  if let queue {
    Task.detached {
      var helperInputs = x.map { MultiDual<P>($0) }
      while let c = queue.claim() {
        _ = _forwardChunk(f, inputs: &helperInputs, start: (c + 1) * w, expectedOutputs: m, out: queue.base)
        queue.markDone(c)
      }
    }
  }
  elements.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    let width = Swift.min(w, n)
    for i in 0..<m { for k in 0..<width { base[i * n + k] = first[i].partials[k] } }
    guard let queue else {
      var start = w
      while start < n {
        _ = _forwardChunk(f, inputs: &inputs, start: start, expectedOutputs: m, out: base)
        start += w
      }
      return
    }
    var mine = [Bool](repeating: false, count: remaining)
    while let c = queue.claim() {
      _ = _forwardChunk(f, inputs: &inputs, start: (c + 1) * w, expectedOutputs: m, out: base)
      mine[c] = true
    }
    for c in 0..<remaining where !mine[c] {
      let start = (c + 1) * w
      if queue.isDone(c) {
        let width = Swift.min(w, n - start)
        for i in 0..<m { for k in 0..<width { base[i * n + start + k] = queue.base[i * n + start + k] } }
      } else {
        _ = _forwardChunk(f, inputs: &inputs, start: start, expectedOutputs: m, out: base)
      }
    }
  }
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
