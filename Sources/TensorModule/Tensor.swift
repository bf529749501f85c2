import DifferentiableModule

/// An n-dimensional array of scalars in row-major order that records the
/// operations computed from it, for gradients by back-propagation (reverse
/// mode), with the semantics of PyTorch's `torch.autograd`.
///
/// ```swift
/// let x = Tensor<Double>.ones([2, 2], requiresGrad: true)
/// let out = ((x + 2) * (x + 2) * 3).mean()   // 27
/// out.backward()
/// x.grad!.scalars                            // [4.5, 4.5, 4.5, 4.5]
/// ```
///
/// The data has value semantics (copy-on-write). A 0-d tensor keeps its scalar
/// inline and records onto a tape in contiguous storage, so scalar code written
/// against `Differentiable` runs fast on `Tensor` too.
///
/// Errors: misuse (shape mismatches, backward on a tensor that does not
/// require gradients, a non-scalar without a seed, a non-finite seed, a second
/// backward through a consumed graph) traps with `fatalError` and a message
/// naming the operation and the shapes; nothing throws.
///
/// See also: `backward()`, `gradients(of:wrt:seed:)`, `withoutGradients(_:)`.
@frozen
public struct Tensor<Scalar: DifferentiableScalar> {
  /// The value of a 0-d tensor (unused otherwise).
  @usableFromInline internal var _value: Scalar
  /// The elements of an n-d tensor (nil for 0-d).
  @usableFromInline internal var _storage: TensorStorage<Scalar>?
  /// The tape that recorded this result (when `_slot ≥ 0`) or the gradient
  /// box of a leaf requiring gradients (when `_slot == -1`); nil for
  /// constants. One reference instead of two keeps copies cheap.
  @usableFromInline internal var _node: _AutogradNode?
  /// The slot on the tape, or -1.
  @usableFromInline internal var _slot: Int32

  /// The tape that recorded this result (nil for leaves and constants).
  @inlinable
  var _tape: Tape<Scalar>? {
    @inline(__always) get {
      _slot >= 0 ? unsafeDowncast(_node.unsafelyUnwrapped, to: Tape<Scalar>.self) : nil
    }
  }

  /// The gradient box of a leaf requiring gradients.
  @inlinable
  var _leaf: LeafBox<Scalar>? {
    @inline(__always) get {
      _slot < 0 && _node != nil ? unsafeDowncast(_node.unsafelyUnwrapped, to: LeafBox<Scalar>.self) : nil
    }
    set {
      _node = newValue
      _slot = -1
    }
  }

  /// A 0-d constant.
  @inlinable @inline(__always)
  init(_value: Scalar) {
    self._value = _value
    self._storage = nil
    self._node = nil
    self._slot = -1
  }

  /// An n-d constant over the given storage.
  @inlinable @inline(__always)
  init(_storage: TensorStorage<Scalar>) {
    self._value = 0
    self._storage = _storage
    self._node = nil
    self._slot = -1
  }

  /// A recorded 0-d result.
  @inlinable @inline(__always)
  init(_value: Scalar, tape: Tape<Scalar>, slot: Int32) {
    self._value = _value
    self._storage = nil
    self._node = tape
    self._slot = slot
  }

  /// A small n-d result recorded element by element: its elements are the
  /// slots from `firstSlot` on.
  @inlinable @inline(__always)
  init(_storage: TensorStorage<Scalar>, tape: Tape<Scalar>, firstSlot: Int) {
    tape.markElements(from: firstSlot, count: _storage.count)
    self._value = 0
    self._storage = _storage
    self._node = tape
    self._slot = Int32(firstSlot)
  }

  /// A 0-d tensor holding `scalar`.
  ///
  /// ```swift
  /// let x = Tensor(3.0, requiresGrad: true)
  /// ```
  @inlinable
  public init(_ scalar: Scalar, requiresGrad: Bool = false) {
    self.init(_value: scalar)
    if requiresGrad { _leaf = LeafBox(zeroDimensional: true) }
  }

  /// A tensor of the given shape holding `scalars` in row-major order. An
  /// empty shape makes a 0-d tensor. Traps if the count does not match.
  ///
  /// ```swift
  /// let m = Tensor<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  /// ```
  @inlinable
  public init(_ scalars: [Scalar], shape: [Int], requiresGrad: Bool = false) {
    guard _validatedElementCount(shape, "Tensor.init(_:shape:)") == scalars.count else {
      fatalError("Tensor.init: \(scalars.count) scalars do not fill shape \(shape)")
    }
    if shape.isEmpty {
      self.init(_value: scalars[0])
    } else {
      let storage = scalars.withUnsafeBufferPointer {
        TensorStorage<Scalar>.make(shape: shape, copying: $0.baseAddress!)
      }
      self.init(_storage: storage)
    }
    if requiresGrad { _leaf = LeafBox() }
  }

  /// A tensor of the given shape filled by `body`, which must write every
  /// element of the buffer (row-major).
  @inlinable
  init(_shape shape: [Int], _ body: (UnsafeMutablePointer<Scalar>, Int) -> Void) {
    if shape.isEmpty {
      var v: Scalar = 0
      body(&v, 1)
      self.init(_value: v)
    } else {
      let s = TensorStorage<Scalar>.make(uninitializedShape: shape)
      if !_isPOD(Scalar.self) { s.base.initialize(repeating: 0, count: s.count) }
      body(s.base, s.count)
      self.init(_storage: s)
    }
  }
}

/// A tensor may be sent to another task or thread: its elements are
/// immutable shared storage, and its graph may be extended and
/// back-propagated wherever it arrives. Operations on it there record onto a
/// tape of that thread, linked to the tape it came from; tapes never move
/// their storage, and a backward pass locks each tape it sweeps. A leaf's
/// `grad` is read and written under a lock; in which order two tasks'
/// backward passes add into one leaf is the program's business.
///
/// ```swift
/// let w = Tensor<Double>([1, 2], requiresGrad: true)
/// let y = await Task.detached { w * w }.value   // recorded on another thread
/// let g = gradients(of: (y * 3).sum(), wrt: [w])[0]   // [6, 12]
/// ```
extension Tensor: @unchecked Sendable where Scalar: Sendable {}

// MARK: - Shape and elements

extension Tensor {
  /// The extents, outermost first; `[]` for a 0-d tensor.
  ///
  /// ```swift
  /// Tensor<Double>.zeros([2, 3]).shape   // [2, 3]
  /// ```
  @inlinable
  public var shape: [Int] { _storage?.shape ?? [] }

  /// The number of dimensions (0 for a scalar).
  ///
  /// ```swift
  /// Tensor<Double>.zeros([2, 3]).rank    // 2
  /// ```
  @inlinable
  public var rank: Int { _storage?.shape.count ?? 0 }

  /// The number of elements.
  ///
  /// ```swift
  /// Tensor<Double>.zeros([2, 3]).scalarCount   // 6
  /// ```
  @inlinable
  public var scalarCount: Int { _storage?.count ?? 1 }

  /// The elements in row-major order.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).scalars   // [1, 2, 3, 4]
  /// ```
  @inlinable
  public var scalars: [Scalar] {
    guard let s = _storage else { return [_value] }
    return Array(UnsafeBufferPointer(start: s.base, count: s.count))
  }

  /// The single element of a tensor with one element (0-d or not); traps
  /// otherwise.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3]).sum().scalar   // 6
  /// ```
  @inlinable
  public var scalar: Scalar {
    guard let s = _storage else { return _value }
    guard s.count == 1 else { fatalError("Tensor.scalar: the tensor has shape \(s.shape), not one element") }
    return s.base[0]
  }

  /// Calls `body` with the elements (a 0-d tensor has one).
  @inlinable
  func _withScalars<R>(_ body: (UnsafePointer<Scalar>, Int) -> R) -> R {
    if let s = _storage { return body(s.base, s.count) }
    var v = _value
    return body(&v, 1)
  }

  /// The same values without any recording (a constant).
  @inlinable
  var _constant: Tensor {
    _storage.map { Tensor(_storage: $0) } ?? Tensor(_value: _value)
  }
}
