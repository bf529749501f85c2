import DifferentiableModule
import Synchronization

// MARK: - Tape

/// The record of one graph: contiguous entries in the order they were
/// computed, so that backward is one reverse sweep. A tape is referenced by
/// the results recorded on it and dies with the last of them.
///
/// A tape is extended by one thread at a time (the thread that builds the
/// graph); independent graphs have independent tapes.
@usableFromInline
final class Tape<Scalar: DifferentiableScalar>: _AutogradNode {
  /// The hot fields, behind a pointer so that recording pays no dynamic
  /// exclusivity check (class stored properties would).
  @usableFromInline let state: UnsafeMutablePointer<TapeStorage<Scalar, UInt8>>
  @inlinable var entries: UnsafeMutablePointer<TapeEntry<Scalar>> {
    get { state.pointee.entries }
    set { state.pointee.entries = newValue }
  }
  /// Per entry, its `OpCode` and the `_consumedBit` and `_elementBit` flags.
  @inlinable var ops: UnsafeMutablePointer<UInt8> {
    get { state.pointee.marks }
    set { state.pointee.marks = newValue }
  }
  @inlinable var count: Int {
    get { state.pointee.count }
    set { state.pointee.count = newValue }
  }
  @inlinable var capacity: Int {
    get { state.pointee.capacity }
    set { state.pointee.capacity = newValue }
  }
  /// Registered leaves, their slots and shapes.
  @exclusivity(unchecked) @usableFromInline var leaves: [LeafBox<Scalar>] = []
  @exclusivity(unchecked) @usableFromInline var leafSlots: [Int32] = []
  @exclusivity(unchecked) @usableFromInline var leafShapes: [[Int]] = []
  /// Whether a registered n-d leaf has one slot per element (small leaves).
  @exclusivity(unchecked) @usableFromInline var leafScalarized: [Bool] = []
  /// Slots of leaves whose `owner` cache belongs to another tape.
  @exclusivity(unchecked) @usableFromInline var foreignLeafSlots: [ObjectIdentifier: Int32] = [:]
  @exclusivity(unchecked) @usableFromInline var nodes: [TapeNode<Scalar>] = []
  /// Some operation was consumed by a backward pass without `retainGraph`
  /// (its op code then has `_consumedBit` set).
  @exclusivity(unchecked) @usableFromInline var hasConsumed = false
  /// n-d slots whose adjoint the sweep must keep (inputs of `gradients`).
  @exclusivity(unchecked) @usableFromInline var keptSlots: Set<Int> = []
  /// Results whose gradient backward stores (`retainGrad()`), by slot.
  @exclusivity(unchecked) @usableFromInline var retainedGradients: [Int: RetainedGradient<Scalar>] = [:]
  /// No longer handed out as the thread's current tape.
  @exclusivity(unchecked) @usableFromInline var isClosed = false
  /// Some operation was recorded in anomaly-detection mode.
  @exclusivity(unchecked) @usableFromInline var checksAnomalies = false

  /// The thread-local key of the gradient mode flags, held here so that the
  /// per-operation check is one load and one call.
  @usableFromInline let modeKey: ThreadLocalKey
  /// The count of open mode scopes (see `_OpenModeScopes`).
  @usableFromInline let openModeScopes: _OpenModeScopes

  /// The mode flags of the current thread (0 while no thread has a mode
  /// scope open).
  @inlinable
  var modeFlags: Int {
    @inline(__always) get { openModeScopes.flags(modeKey) }
  }

  /// Storages for small results recorded element by element, recycled.
  @usableFromInline let storagePool = SmallStoragePool<Scalar>()

  @usableFromInline
  override init() {
    modeKey = _modeKey
    openModeScopes = _openModeScopes
    state = .allocate(capacity: 1)
    state.initialize(to: TapeStorage(freshCapacity: 64))
  }

  deinit {
    releaseLeaves()
    state.pointee.free()
    state.deinitialize(count: 1)
    state.deallocate()
  }

  /// Gives up the leaves' owner caches that point to this tape.
  @inlinable
  func releaseLeaves() {
    let me = address
    for leaf in leaves {
      _ = leaf.owner.compareExchange(expected: me, desired: 0, ordering: .releasing)
    }
  }

  /// Empties the tape for reuse (only when nothing else refers to it).
  @inlinable
  func reset() {
    releaseLeaves()
    state.pointee.removeAll(keepingCapacityUpTo: Tape._keptCapacity)
    leaves.removeAll(keepingCapacity: true)
    leafSlots.removeAll(keepingCapacity: true)
    leafShapes.removeAll(keepingCapacity: true)
    leafScalarized.removeAll(keepingCapacity: true)
    if !foreignLeafSlots.isEmpty { foreignLeafSlots.removeAll() }
    if !nodes.isEmpty { nodes.removeAll() }
    if !retainedGradients.isEmpty { retainedGradients.removeAll() }
    hasConsumed = false
    isClosed = false
    checksAnomalies = false
  }

  @inlinable
  var address: UInt { UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()) }

  /// The most entries an emptied tape keeps room for: a thread that once
  /// recorded a huge graph does not keep its memory for good (a million
  /// entries take about 25 MB).
  @usableFromInline static var _keptCapacity: Int { 1 << 20 }

  /// Records a 0-d operation; returns its slot.
  @inlinable @inline(__always)
  func append(_ a: Int32, _ da: Scalar, _ b: Int32, _ db: Scalar, _ op: OpCode) -> Int32 {
    state.pointee.append(TapeEntry(a: a, b: b, da: da, db: db), mark: op.rawValue)
  }

  /// Records an n-d node; returns its slot.
  @inlinable
  func append(node: TapeNode<Scalar>, _ op: OpCode) -> Int32 {
    let index = Int32(nodes.count)
    nodes.append(node)
    return append(-2, 0, index, 0, op)
  }

  /// The slot of an operand on this tape, registering a leaf on first use;
  /// -1 for a tensor that does not require gradients.
  @inlinable @inline(__always)
  func slot(of t: Tensor<Scalar>) -> Int32 {
    if t._slot >= 0 {
      if t._node !== self { _crossTapeFailure(self, t._node) }
      return t._slot
    }
    if t._node != nil {
      // The leaf box reached unretained, by its bits (a downcast or a binding
      // would copy the reference, an atomic retain and release per use).
      let leaf = Unmanaged<LeafBox<Scalar>>.fromOpaque(
        UnsafeRawPointer(bitPattern: unsafeBitCast(t._node, to: UInt.self)).unsafelyUnwrapped)
      let me = address
      let cached = leaf._withUnsafeGuaranteedRef {
        $0.owner.load(ordering: .acquiring) == me ? $0.slot.load(ordering: .relaxed) : -1
      }
      if cached >= 0 { return cached }
      return leaf._withUnsafeGuaranteedRef { register($0, shape: t.shape) }
    }
    return -1
  }

  /// The slot of a tensor already on this tape (without registering), or nil.
  @usableFromInline
  func existingSlot(of t: Tensor<Scalar>) -> Int32? {
    if t._tape != nil { return t._tape === self ? t._slot : nil }
    guard let leaf = t._leaf else { return nil }
    if leaf.owner.load(ordering: .acquiring) == address { return leaf.slot.load(ordering: .relaxed) }
    return foreignLeafSlots[ObjectIdentifier(leaf)]
  }

  @inlinable @inline(never)
  func register(_ leaf: LeafBox<Scalar>, shape: [Int]) -> Int32 {
    if !foreignLeafSlots.isEmpty, let s = foreignLeafSlots[ObjectIdentifier(leaf)] { return s }
    let index = Int32(leaves.count)
    let s = append(-1, 0, index, 0, .leaf)
    // A small n-d leaf gets one slot per element, so that element-wise
    // operations on it record on the fast 0-d path.
    let count = _elementCount(shape)
    let scalarized = !shape.isEmpty && count > 0 && count <= _scalarizeLimit
    if scalarized {
      for _ in 1..<count { _ = append(-1, 0, index, 0, .leaf) }
      markElements(from: Int(s), count: count)
    }
    leaves.append(leaf)
    leafSlots.append(s)
    leafShapes.append(shape)
    leafScalarized.append(scalarized)
    if leaf.owner.compareExchange(expected: 0, desired: address, ordering: .acquiringAndReleasing).exchanged {
      leaf.slot.store(s, ordering: .relaxed)
    } else {
      foreignLeafSlots[ObjectIdentifier(leaf)] = s
    }
    return s
  }

  /// Whether the adjoint of the value at slot `s` lives in the scalar
  /// adjoint array: a 0-d value, or a small n-d value recorded element by
  /// element (its elements at slots s, s+1, …). Otherwise it is an n-d node
  /// or leaf whose adjoint is a tensor.
  @inlinable
  func isScalarSlot(_ s: Int) -> Bool {
    let e = entries[s]
    if e.a >= 0 { return true }
    if e.a == -1 { return leafShapes[Int(e.b)].isEmpty || leafScalarized[Int(e.b)] }
    return nodes[Int(e.b)].shape.isEmpty
  }

  /// The first per-element slot of `t` (recorded element by element), -1 if
  /// it needs no gradient, nil if it is recorded as an n-d node.
  @inlinable
  func elementSlots(of t: Tensor<Scalar>) -> Int32? {
    let s = slot(of: t)
    if s < 0 { return -1 }
    return isScalarSlot(Int(s)) ? s : nil
  }

  /// Anomaly detection on the 0-d path: traps if `v` is not finite (naming
  /// the 0-d shapes of its `operands`), and marks the tape for checks in the
  /// backward pass.
  @usableFromInline @inline(never)
  func _noteAnomalyCheck(_ v: Scalar, _ op: OpCode, operands: Int) {
    checksAnomalies = true
    _checkFinite(v, op, shapes: Array(repeating: [], count: operands))
  }

  @usableFromInline
  func opName(_ s: Int) -> String {
    OpCode(rawValue: ops[s] & ~(_consumedBit | _elementBit))!.gradFunctionName
  }

  /// Marks slots `first + 1 ..< first + count` as further elements of the
  /// small tensor recorded element by element from slot `first`.
  @inlinable @inline(__always)
  func markElements(from first: Int, count: Int) {
    for i in 1..<Swift.max(count, 1) { ops[first + i] |= _elementBit }
  }

  /// Whether slot `s` is a further element of a small tensor recorded
  /// element by element (not its first slot).
  @inlinable
  func isFurtherElement(_ s: Int) -> Bool { ops[s] & _elementBit != 0 }

  /// Whether a backward pass without `retainGraph` went through slot `s`.
  @inlinable @inline(__always)
  func isConsumed(_ s: Int) -> Bool { ops[s] & _consumedBit != 0 }

  @inlinable @inline(__always)
  func markConsumed(_ s: Int) {
    ops[s] |= _consumedBit
    hasConsumed = true
  }
}

/// The bit of a tape's op code that marks the operation consumed.
@usableFromInline let _consumedBit: UInt8 = 0x80
/// The bit of a tape's op code that marks a further element of a small tensor
/// recorded element by element (for `graphvizDOT`).
@usableFromInline let _elementBit: UInt8 = 0x40

/// The largest n-d tensor recorded element by element on the 0-d fast path.
@usableFromInline let _scalarizeLimit = 16

/// The common base of tapes and leaf gradient boxes, so that a tensor holds
/// either through one reference.
@usableFromInline
class _AutogradNode {
  @usableFromInline init() {}
}

/// Traps for tensors of two tapes combined. On one thread this happens when
/// a result kept from a graph that a backward pass consumed (its tape is
/// closed) meets a new result of leaves (recorded on a new tape), so the
/// message names that case too when either tape was consumed.
@usableFromInline @inline(never)
func _crossTapeFailure<Scalar>(_ tape: Tape<Scalar>?, _ other: _AutogradNode?) -> Never {
  let consumed = (tape?.hasConsumed ?? false) || ((other as? Tape<Scalar>)?.hasConsumed ?? false)
  let cause = consumed
    ? "built on different threads or tasks, or one of them recorded before a backward pass consumed its graph, "
      + "after which operations on leaves start a new graph"
    : "built on different threads or tasks"
  fatalError("""
    Tensor: an operation combines tensors recorded on different graphs (\(cause)); \
    call detached() on one of them first
    """)
}
