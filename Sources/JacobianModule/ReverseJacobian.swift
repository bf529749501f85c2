import DifferentiableModule
import TensorModule

// MARK: - Reverse mode
//
// Every reverse-mode verb is built on one primitive: record f once on 0-d
// `Tensor` leaves, then sweep back once with k cotangent rows carried side by
// side (vector lanes), giving k vector-Jacobian products uᵀJ.
//   reverse Jacobian = the m unit cotangents;  vjp = one cotangent;
//   gradient = the cotangent [1];  Hessian-vector product = the gradient on
//   `Dual` scalars (forward over reverse).

/// f(x) and the products `products[k][j] = Σᵢ cotangents[k][i]·∂fᵢ/∂xⱼ`,
/// from one recording and one reverse sweep. `cotangents` receives the number
/// of outputs m (known once f is recorded); each row it returns must have m
/// entries, or the operation `verb` stops with a message.
@inlinable
func _vectorJacobianProducts<S: DifferentiableScalar, F: VectorFunction>(
  _ verb: StaticString, at x: [S], of f: F, cotangents: (Int) -> [[S]]
) -> (value: [S], products: [[S]]) {
  let inputs = x.map { Tensor($0, requiresGrad: true) }
  let outputs = f(inputs)
  let m = outputs.count
  let rows = cotangents(m)
  for row in rows where row.count != m { _cotangentSizeMismatch(verb, m, row.count) }
  let products = Tensor.vectorJacobianProducts(of: outputs, wrt: inputs, cotangents: rows)
  return (outputs.map(\.scalar), products)
}

/// The value and the whole Jacobian by reverse mode: one recording of f, one
/// reverse sweep carrying all m output rows at once.
@inlinable
func _reverseJacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  let (y, rows) = _vectorJacobianProducts("jacobian", at: x, of: f) { m in
    (0..<m).map { i in (0..<m).map { $0 == i ? S(1) : S(0) } }
  }
  return (y, Matrix(rows: y.count, columns: x.count, elements: rows.flatMap { $0 }))
}

@inline(never) @usableFromInline
func _cotangentSizeMismatch(_ verb: StaticString, _ m: Int, _ k: Int) -> Never {
  fatalError("\(verb): the function has \(m) outputs but the cotangent has \(k) entries")
}
