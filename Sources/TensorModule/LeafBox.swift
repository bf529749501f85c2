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
///
/// Backward passes on several threads may accumulate into one leaf, so the
/// gradient is never a plain field: a 0-d leaf of a 4- or 8-byte plain
/// scalar (`Float`, `Double`) keeps it in an atomic word, which reading and
/// assigning load and store and accumulating updates by compare-and-swap
/// (no lock); any other leaf keeps it as a tensor behind `lock`.
@usableFromInline
final class LeafBox<Scalar: DifferentiableScalar>: _AutogradNode, @unchecked Sendable {
  /// The accumulated gradient (`grad` of the leaf) as a tensor, behind
  /// `lock` (unused when `inWords`).
  @exclusivity(unchecked) @usableFromInline var _grad: Tensor<Scalar>?
  @usableFromInline let lock = SpinLock()
  /// Whether the gradient lives in `bits`.
  @usableFromInline let inWords: Bool
  /// The gradient's bits, or `Self.noGradient`.
  @usableFromInline let bits = Atomic<UInt64>(LeafBox.noGradient)
  /// The address of the tape whose slot is cached in `slot`, or 0.
  @usableFromInline let owner = Atomic<UInt>(0)
  /// The leaf's slot on the owner tape (read and written only by the owner;
  /// atomic only so that reading it costs no exclusivity check).
  @usableFromInline let slot = Atomic<Int32>(-1)

  /// A box for a leaf; `zeroDimensional` for a 0-d one.
  @usableFromInline
  init(zeroDimensional: Bool = false) {
    let size = MemoryLayout<Scalar>.size
    inWords = zeroDimensional && _isPOD(Scalar.self) && (size == 8 || size == 4)
  }

  /// The accumulated gradient.
  @inlinable
  var grad: Tensor<Scalar>? {
    get {
      if inWords {
        let b = bits.load(ordering: .relaxed)
        return b == Self.noGradient ? nil : Tensor(_value: Self.scalar(b))
      }
      return lock.withLock { _grad }
    }
    set {
      if inWords {
        bits.store(newValue.map { Self.bits($0._value) } ?? Self.noGradient, ordering: .relaxed)
        return
      }
      lock.withLock { _grad = newValue }
    }
  }

  /// Adds `g` to the gradient (sets it if there is none).
  @inlinable
  func accumulate(_ g: Tensor<Scalar>) {
    if inWords {
      var old = bits.load(ordering: .relaxed)
      while true {
        let sum = old == Self.noGradient ? g._value : Self.scalar(old) + g._value
        let (done, now) = bits.weakCompareExchange(
          expected: old, desired: Self.bits(sum), ordering: .relaxed)
        if done { return }
        old = now
      }
    }
    lock.withLock {
      if let old = _grad {
        _grad = old._storage == nil && g._storage == nil ? Tensor(_value: old._value + g._value) : old._constant + g
      } else {
        _grad = g
      }
    }
  }

  /// The word of a leaf without a gradient: above 32 bits, so no `Float`'s
  /// bits; for a `Double`, a signalling NaN that `bits(_:)` never gives
  /// (arithmetic never makes one, and `bits(_:)` quiets it).
  @inlinable @inline(__always)
  static var noGradient: UInt64 { MemoryLayout<Scalar>.size == 8 ? 0x7FF0_0000_0000_0001 : UInt64.max }

  /// The bits of a 4- or 8-byte plain scalar (never `noGradient`).
  @inlinable @inline(__always)
  static func bits(_ v: Scalar) -> UInt64 {
    let b = withUnsafeBytes(of: v) {
      $0.count == 8 ? $0.loadUnaligned(as: UInt64.self) : UInt64($0.loadUnaligned(as: UInt32.self))
    }
    return b == noGradient ? b | 0x0008_0000_0000_0000 : b
  }

  /// The scalar of `bits(_:)`.
  @inlinable @inline(__always)
  static func scalar(_ bits: UInt64) -> Scalar {
    var v: Scalar = 0
    withUnsafeMutableBytes(of: &v) { raw in
      if raw.count == 8 {
        raw.storeBytes(of: bits, as: UInt64.self)
      } else {
        raw.storeBytes(of: UInt32(truncatingIfNeeded: bits), as: UInt32.self)
      }
    }
    return v
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
