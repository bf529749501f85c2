// MARK: - Storage

/// The row-major elements of an n-dimensional tensor (n ≥ 1), shared between
/// tensor values and copied on write. 0-d tensors keep their scalar inline and
/// have no storage.
///
/// Kernels that create a storage with `init(uninitializedShape:)` write every
/// element before the storage is read (the scalar types of the package are
/// trivial, so no deinitialisation is needed).
@usableFromInline
final class TensorStorage<Scalar>: ManagedBuffer<_StorageHeader, Scalar> {
  /// A storage with room for the elements of `shape`, not yet written (one
  /// allocation holds the header and the elements).
  @inlinable
  static func make(uninitializedShape shape: [Int], capacity: Int = 0) -> TensorStorage {
    let n = _validatedElementCount(shape, "Tensor")
    let buffer = create(minimumCapacity: Swift.max(n, capacity, 1)) { _ in _StorageHeader(shape: shape, count: n) }
    return unsafeDowncast(buffer, to: TensorStorage.self)
  }

  /// Gives a recycled storage the shape of `source` (no more elements than
  /// its capacity), sharing its shape array.
  @inlinable
  func reshapeSmall(like source: TensorStorage) {
    withUnsafeMutablePointerToHeader { h in
      source.withUnsafeMutablePointerToHeader { sh in
        if h.pointee.count != sh.pointee.count || h.pointee.shape != sh.pointee.shape {
          h.pointee = sh.pointee
        }
      }
    }
  }

  /// Gives a recycled storage a new shape with no more elements than its
  /// capacity (its elements are then unspecified until written).
  @inlinable
  func reshapeSmall(_ shape: [Int]) {
    withUnsafeMutablePointerToHeader { h in
      if h.pointee.shape != shape {
        h.pointee.shape = shape
        h.pointee.count = _elementCount(shape)
      }
    }
  }

  @inlinable
  static func make(shape: [Int], copying source: UnsafePointer<Scalar>) -> TensorStorage {
    let s = make(uninitializedShape: shape)
    s.base.initialize(from: source, count: s.count)
    return s
  }

  @inlinable
  static func make(shape: [Int], repeating value: Scalar) -> TensorStorage {
    let s = make(uninitializedShape: shape)
    s.base.initialize(repeating: value, count: s.count)
    return s
  }

  /// The extents, outermost first; never empty.
  @inlinable var shape: [Int] { withUnsafeMutablePointerToHeader { $0.pointee.shape } }
  /// The number of elements, the product of `shape`.
  @inlinable var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }
  /// The first element.
  @inlinable var base: UnsafeMutablePointer<Scalar> { withUnsafeMutablePointerToElements { $0 } }

  deinit {
    _ = withUnsafeMutablePointers { h, e in e.deinitialize(count: h.pointee.count) }
  }
}

/// The header of a tensor storage.
@frozen @usableFromInline
struct _StorageHeader {
  @usableFromInline var shape: [Int]
  @usableFromInline var count: Int
  @inlinable init(shape: [Int], count: Int) {
    self.shape = shape
    self.count = count
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

/// The element count of a shape given by a user, stopping with a message
/// naming `operation` and the shape if an extent is negative or the count
/// overflows `Int`.
@inlinable
func _validatedElementCount(_ shape: [Int], _ operation: StaticString) -> Int {
  var n = 1
  var overflow = false
  for d in shape {
    if d < 0 { _invalidShape(operation, shape, "has a negative extent") }
    let (p, o) = n.multipliedReportingOverflow(by: d)
    n = p
    overflow = overflow || o
  }
  // An extent of 0 makes the count 0 even after an overflowing prefix.
  if overflow && !shape.contains(0) { _invalidShape(operation, shape, "has more elements than Int can count") }
  return overflow ? 0 : n
}

@usableFromInline @inline(never)
func _invalidShape(_ operation: StaticString, _ shape: [Int], _ problem: String) -> Never {
  fatalError("\(operation): the shape \(shape) \(problem)")
}
