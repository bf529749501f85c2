// MARK: - Storage

/// The row-major elements of an n-dimensional tensor (n ≥ 1), shared between
/// tensor values and copied on write. 0-d tensors keep their scalar inline and
/// have no storage.
///
/// Kernels that create a storage with `init(uninitializedShape:)` write every
/// element before the storage is read (the scalar types of the package are
/// trivial, so no deinitialisation is needed).
@usableFromInline
final class TensorStorage<Scalar>: @unchecked Sendable {
  /// The extents, outermost first; never empty.
  @usableFromInline let shape: [Int]
  /// The number of elements, the product of `shape`.
  @usableFromInline let count: Int
  /// The first element.
  @usableFromInline let base: UnsafeMutablePointer<Scalar>

  @inlinable
  init(uninitializedShape shape: [Int]) {
    var n = 1
    for d in shape {
      if d < 0 { fatalError("Tensor: negative extent in shape \(shape)") }
      n *= d
    }
    self.shape = shape
    self.count = n
    self.base = .allocate(capacity: Swift.max(n, 1))
  }

  @inlinable
  convenience init(shape: [Int], copying source: UnsafePointer<Scalar>) {
    self.init(uninitializedShape: shape)
    base.initialize(from: source, count: count)
  }

  @inlinable
  convenience init(shape: [Int], repeating value: Scalar) {
    self.init(uninitializedShape: shape)
    base.initialize(repeating: value, count: count)
  }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }
}

/// The number of elements of a shape.
@inlinable
func _elementCount(_ shape: [Int]) -> Int {
  var n = 1
  for d in shape { n *= d }
  return n
}

/// Row-major strides of a shape.
@inlinable
func _strides(_ shape: [Int]) -> [Int] {
  var s = [Int](repeating: 1, count: shape.count)
  var acc = 1
  for i in stride(from: shape.count - 1, through: 0, by: -1) {
    s[i] = acc
    acc *= shape[i]
  }
  return s
}
