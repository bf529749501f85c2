import DifferentiableModule
import Synchronization

/// The gradient accumulator of a leaf tensor that requires gradients.
///
/// A leaf does not keep any tape alive; the tapes that used it keep its box.
/// `owner` caches the one tape that currently has a slot for this leaf (its
/// address, or 0), so that recording an operation on a leaf costs one atomic
/// load; other tapes look the leaf up in a dictionary of their own. A tape
/// clears the owner field when it is deallocated, before its address can be
/// reused. The gradient is read and written under a lock: backward passes on
/// several threads may accumulate into one leaf.
@usableFromInline
final class LeafBox<Scalar: DifferentiableScalar>: _AutogradNode, @unchecked Sendable {
  /// The accumulated gradient (`grad` of the leaf), behind `lock`.
  @exclusivity(unchecked) @usableFromInline var _grad: Tensor<Scalar>?
  @usableFromInline let lock = SpinLock()
  /// The address of the tape whose slot is cached in `slot`, or 0.
  @usableFromInline let owner = Atomic<UInt>(0)
  /// The leaf's slot on the owner tape (read and written only by the owner;
  /// atomic only so that reading it costs no exclusivity check).
  @usableFromInline let slot = Atomic<Int32>(-1)

  @usableFromInline
  override init() {}

  /// The accumulated gradient.
  @inlinable
  var grad: Tensor<Scalar>? {
    get { lock.withLock { _grad } }
    set { lock.withLock { _grad = newValue } }
  }

  /// Adds `g` to the gradient (sets it if there is none).
  @inlinable
  func accumulate(_ g: Tensor<Scalar>) {
    lock.withLock {
      if let old = _grad {
        _grad = old._storage == nil && g._storage == nil ? Tensor(_value: old._value + g._value) : old._constant + g
      } else {
        _grad = g
      }
    }
  }
}

/// A leaf registered on a tape: its box, first slot and shape, and whether
/// it has one slot per element (small n-d leaves).
@usableFromInline
struct LeafRecord<Scalar: DifferentiableScalar> {
  @usableFromInline let box: LeafBox<Scalar>
  @usableFromInline let slot: Int32
  @usableFromInline let shape: [Int]
  @usableFromInline let scalarized: Bool

  @inlinable
  init(box: LeafBox<Scalar>, slot: Int32, shape: [Int], scalarized: Bool) {
    self.box = box
    self.slot = slot
    self.shape = shape
    self.scalarized = scalarized
  }

  /// Whether its adjoints are scalars (0-d, or one slot per element).
  @inlinable
  var isScalarSlot: Bool { shape.isEmpty || scalarized }
}

/// The gradient that backward passes store for a recorded result after
/// `retainGrad()` (PyTorch's `retain_grad`), shared by the result's copies;
/// read and written with its tape's `passLock` held.
@usableFromInline
final class RetainedGradient<Scalar: DifferentiableScalar> {
  /// The result's shape.
  @usableFromInline let shape: [Int]
  @usableFromInline var grad: Tensor<Scalar>?

  @usableFromInline
  init(shape: [Int]) { self.shape = shape }
}
