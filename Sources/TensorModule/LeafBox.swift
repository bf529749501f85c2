import DifferentiableModule
import Synchronization

/// The gradient accumulator of a leaf tensor that requires gradients.
///
/// A leaf does not keep any tape alive; the tapes that used it keep its box.
/// `owner` caches the one tape that currently has a slot for this leaf (its
/// address, or 0), so that recording an operation on a leaf costs one atomic
/// load; other tapes look the leaf up in a dictionary of their own. A tape
/// clears the owner field when it is deallocated, before its address can be
/// reused.
@usableFromInline
final class LeafBox<Scalar: DifferentiableScalar>: _AutogradNode, @unchecked Sendable {
  /// The accumulated gradient (`grad` of the leaf).
  @exclusivity(unchecked) @usableFromInline var grad: Tensor<Scalar>?
  /// The address of the tape whose slot is cached in `slot`, or 0.
  @usableFromInline let owner = Atomic<UInt>(0)
  /// The leaf's slot on the owner tape (read and written only by the owner;
  /// atomic only so that reading it costs no exclusivity check).
  @usableFromInline let slot = Atomic<Int32>(-1)

  @usableFromInline
  override init() {}
}

/// The gradient that backward passes store for a recorded result after
/// `retainGrad()` (PyTorch's `retain_grad`), shared by the result's copies.
@usableFromInline
final class RetainedGradient<Scalar: DifferentiableScalar> {
  /// The result's shape.
  @usableFromInline let shape: [Int]
  @usableFromInline var grad: Tensor<Scalar>?

  @usableFromInline
  init(shape: [Int]) { self.shape = shape }
}
