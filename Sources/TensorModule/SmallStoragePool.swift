import DifferentiableModule

/// Storages for small results (at most `_scalarizeLimit` elements), recycled:
/// a storage that only the pool still refers to is handed out again, which
/// spares an allocation and a deallocation per small operation. Each tape
/// has one for the results it records, and each thread one for results
/// computed without recording; a pool is used by one thread at a time.
@usableFromInline
final class SmallStoragePool<Scalar: DifferentiableScalar> {
  @usableFromInline static var size: Int { 8 }
  @usableFromInline let storages: UnsafeMutablePointer<TensorStorage<Scalar>?>
  /// The entry replaced next when no entry is free.
  @exclusivity(unchecked) @usableFromInline var next = 0

  @usableFromInline
  init() {
    storages = .allocate(capacity: Self.size)
    storages.initialize(repeating: nil, count: Self.size)
  }

  deinit {
    storages.deinitialize(count: Self.size)
    storages.deallocate()
  }

  /// An uninitialised storage of `shape`, of at most `_scalarizeLimit`
  /// elements: a recycled one, or a new one that joins the pool.
  @inlinable
  func storage(shape: [Int]) -> TensorStorage<Scalar> {
    if let s = recycled() {
      s.reshapeSmall(shape)
      return s
    }
    return pooled(TensorStorage<Scalar>.make(uninitializedShape: shape, capacity: _scalarizeLimit))
  }

  /// `storage(shape:)` with the shape of `source` (no shape array copied
  /// when the recycled storage has it already).
  @inlinable
  func storage(like source: TensorStorage<Scalar>) -> TensorStorage<Scalar> {
    if let s = recycled() {
      s.reshapeSmall(like: source)
      return s
    }
    return pooled(TensorStorage<Scalar>.make(uninitializedShape: source.shape, capacity: _scalarizeLimit))
  }

  /// A pooled storage that nothing else refers to, if any.
  @inlinable @inline(__always)
  func recycled() -> TensorStorage<Scalar>? {
    for i in 0..<Self.size where isKnownUniquelyReferenced(&storages[i]) {
      return storages[i].unsafelyUnwrapped
    }
    return nil
  }

  /// Adds a new storage to the pool (replacing the oldest entry).
  @inlinable
  func pooled(_ s: TensorStorage<Scalar>) -> TensorStorage<Scalar> {
    storages[next] = s
    next = next == Self.size - 1 ? 0 : next + 1
    return s
  }
}

extension SmallStoragePool {
  /// The current thread's pool (for results computed without recording).
  @inlinable @inline(never)
  static func ofThisThread() -> Unmanaged<SmallStoragePool> {
    _ThreadTapes.current._withUnsafeGuaranteedRef { state in
      let (i, isNew) = _ThreadTapes.entry(of: Scalar.self, in: state.poolIDs, count: state.poolCount)
      if isNew { state.pools[i] = SmallStoragePool() }
      return Unmanaged.passUnretained(unsafeDowncast(state.pools[i].unsafelyUnwrapped, to: SmallStoragePool.self))
    }
  }
}

/// An uninitialised storage of `shape` (`count` elements) for a result that
/// is not recorded: from the thread's pool when small.
@inlinable
func _unrecordedStorage<Scalar: DifferentiableScalar>(shape: [Int], count: Int) -> TensorStorage<Scalar> {
  if count > 0 && count <= _scalarizeLimit {
    return SmallStoragePool<Scalar>.ofThisThread()._withUnsafeGuaranteedRef { $0.storage(shape: shape) }
  }
  return TensorStorage<Scalar>.make(uninitializedShape: shape)
}
