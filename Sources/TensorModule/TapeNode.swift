import DifferentiableModule

/// How an element-wise node scales the incoming gradient for one operand
/// (the local partial, broadcast against the output).
@usableFromInline
enum Partial<Scalar: DifferentiableScalar> {
  case one
  case minusOne
  case tensor(Tensor<Scalar>)
}

/// The backward rule of an n-d node.
@usableFromInline
enum NodeBackward<Scalar: DifferentiableScalar> {
  /// ∂out/∂a = pa, ∂out/∂b = pb element-wise (with broadcasting).
  case elementwise(Partial<Scalar>, Partial<Scalar>)
  /// Maps the output gradient to one gradient per operand (nil: none).
  case custom((Tensor<Scalar>) -> [Tensor<Scalar>?])
}

/// A recorded operation whose operands or result are not all 0-d. A class,
/// so that the sweep reads it without copying its fields; operands beyond
/// the second (concatenation, stacking) go to `rest`.
@usableFromInline
final class TapeNode<Scalar: DifferentiableScalar> {
  /// Operand slots (-1: the operand needs no gradient).
  @usableFromInline let a: Int32
  @usableFromInline let b: Int32
  @usableFromInline let shapeA: [Int]
  @usableFromInline let shapeB: [Int]
  @usableFromInline let rest: [Int32]
  @usableFromInline let restShapes: [[Int]]
  /// The number of operands.
  @usableFromInline let operandCount: Int
  /// The result's shape.
  @usableFromInline let shape: [Int]
  /// The rule and the values it saved; dropped (`releaseSaved()`) once a
  /// backward pass consumes the node, as PyTorch frees saved tensors.
  @exclusivity(unchecked) @usableFromInline var backward: NodeBackward<Scalar>

  @inlinable
  init(
    a: Int32, shapeA: [Int], b: Int32, shapeB: [Int], rest: [Int32], restShapes: [[Int]],
    operandCount: Int, shape: [Int], backward: NodeBackward<Scalar>
  ) {
    self.a = a
    self.b = b
    self.shapeA = shapeA
    self.shapeB = shapeB
    self.rest = rest
    self.restShapes = restShapes
    self.operandCount = operandCount
    self.shape = shape
    self.backward = backward
  }

  /// Frees the values saved for the backward rule (the node was consumed:
  /// a backward pass through it again stops with a message before reaching
  /// the rule).
  @inlinable
  func releaseSaved() { backward = .elementwise(.one, .one) }

  @inlinable
  func operand(_ j: Int) -> Int32 { j == 0 ? a : j == 1 ? b : rest[j - 2] }

  @inlinable
  func operandShape(_ j: Int) -> [Int] { j == 0 ? shapeA : j == 1 ? shapeB : restShapes[j - 2] }
}
