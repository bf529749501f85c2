import DifferentiableModule

import TensorModule

// The reverse Jacobian: the m unit cotangents through `reverseScalarProducts`
// (TensorModule's scalar reverse mode).

@inlinable
func _reverseJacobian<S: JacobianScalar, F: VectorFunction>(
  at x: [S], of f: F
) -> (value: [S], jacobian: Matrix<S>) {
  let (y, rows) = reverseScalarProducts("jacobian", at: x, of: { f($0) }) { m in
    (0..<m).map { i in (0..<m).map { $0 == i ? S(1) : S(0) } }
  }
  return (y, Matrix(rows: y.count, columns: x.count, elements: rows.flatMap { $0 }))
}

