import DifferentiableModule

// Every reverse-mode verb of JacobianModule is built on one primitive: record
// f once on `ReverseScalar` inputs (a tape owned by the call, no reference
// counting per operation), then sweep back with cotangent rows carried side by
// side (eight vector lanes per sweep), giving vector-Jacobian products uᵀJ.
//   reverse Jacobian = the m unit cotangents;  vjp = one cotangent;
//   gradient = the cotangent [1];  Hessian-vector product = the gradient on
//   `Dual` scalars (forward over reverse).

/// f(x) and the products `products[k][j] = Σᵢ cotangents[k][i]·∂fᵢ/∂xⱼ`,
/// from one recording and one reverse sweep. `cotangents` receives the number
/// of outputs m (known once f is recorded); each row it returns must have m
/// entries, or the operation `verb` stops with a message.
///
/// ```swift
/// let (y, rows) = reverseScalarProducts("vjp", at: x, of: { f($0) }) { _ in [u] }
/// ```
@inlinable
package func reverseScalarProducts<S: DifferentiableScalar>(
  _ verb: StaticString, at x: [S], of f: ([ReverseScalar<S>]) -> [ReverseScalar<S>], cotangents: (Int) -> [[S]]
) -> (value: [S], products: [[S]]) {
  // The recording lives exactly as long as this call; its header (and
  // identity) is never freed.
  let (tape, generation) = RecordingHeaders.take(for: S.self)
  tape.initialize(to: ScalarTape(capacity: 64 * Swift.max(x.count, 16)))
  defer {
    tape.pointee.deallocate()
    tape.deinitialize(count: 1)
    RecordingHeaders.give(tape)
  }
  tape.pointee.appendLeaves(x.count)
  let inputs = x.indices.map {
    ReverseScalar(value: x[$0], slot: Int32(truncatingIfNeeded: $0), generation: generation, tape: tape)
  }
  let outputs = f(inputs)
  let m = outputs.count
  let rows = cotangents(m)
  for row in rows where row.count != m { _cotangentSizeMismatch(verb, m, row.count) }
  for y in outputs {
    guard let t = y.tape else { continue }
    if t != tape || y.generation != generation { _combinationFailure(t, y.generation, tape, generation) }
  }
  let products = tape.pointee.vectorJacobianProducts(outputs: outputs, cotangents: rows)
  return (outputs.map(\.value), products)
}

@inline(never) @usableFromInline
func _cotangentSizeMismatch(_ verb: StaticString, _ m: Int, _ k: Int) -> Never {
  fatalError("\(verb): the function has \(m) outputs but the cotangent has \(k) entries")
}
