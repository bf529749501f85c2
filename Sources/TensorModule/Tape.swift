import DifferentiableModule
import Synchronization

// MARK: - Tape

/// The record of graphs: entries in the order they were computed, so that
/// backward is one reverse sweep. A tape is referenced by the results
/// recorded on it and dies with the last of them.
///
/// One thread appends to a tape: the thread that made it (`owner`). An
/// operation whose operands were recorded on a tape of another thread, or on
/// several tapes, records onto a tape of the current thread made after all of
/// them, where each such operand gets a link entry (`TapeLink`): so tapes
/// link only to older tapes, and a backward pass sweeps them newest first.
/// Storage never moves (`TapeStorage`, `SegmentedArray`), so other threads
/// read and sweep the entries they know of while the owner appends; a
/// backward pass holds the tape's lock while it sweeps and marks it.
@usableFromInline
final class Tape<Scalar: DifferentiableScalar>: _AutogradNode {
  /// The hot fields, behind a pointer so that recording pays no dynamic
  /// exclusivity check (class stored properties would).
  @usableFromInline let state: UnsafeMutablePointer<TapeStorage<Scalar, UInt8>>
  @inlinable var count: Int {
    get { state.pointee.count }
    set { state.pointee.count = newValue }
  }
  /// Room for this many entries before the next segment (owner only).
  @inlinable var capacity: Int { state.pointee.capacity }
  /// The thread that appends (`currentThreadIdentity()` where it was made).
  @usableFromInline let owner: UInt
  /// The order in which tapes were made: a tape links only to older ones.
  @usableFromInline let sequence: UInt64

  /// Registered leaves, in order of their slots.
  @usableFromInline let leaves = SegmentedArray<LeafRecord<Scalar>>()
  /// n-d nodes (entries with a = -2 name them by index).
  @usableFromInline let nodes = SegmentedArray<TapeNode<Scalar>>()
  /// Values of other tapes used here (entries with a = -3 name them).
  @usableFromInline let links = SegmentedArray<TapeLink<Scalar>>()
  /// Slots of leaves whose `owner` cache belongs to another tape (owner only).
  @exclusivity(unchecked) @usableFromInline var foreignLeafSlots: [ObjectIdentifier: Int32] = [:]
  /// The local slots of linked values, by tape and slot (owner only).
  @exclusivity(unchecked) @usableFromInline var linkSlots: [TapeLinkKey: Int32] = [:]
  /// Elements of n-d results recorded since the tape was emptied (owner only).
  @exclusivity(unchecked) @usableFromInline var recordedElements = 0

  /// Held by a backward pass while it sweeps this tape; guards the results
  /// whose gradient backward stores (`retainGrad()`), by slot.
  @usableFromInline let passLock = Locked<[Int: RetainedGradient<Scalar>]>([:])
  /// Some result has a retained gradient (checked before taking the lock).
  @usableFromInline let hasRetained = Atomic<Bool>(false)
  /// Some operation was consumed by a backward pass without `retainGraph`
  /// (its op code then has `_consumedBit` set).
  @usableFromInline let hasConsumedFlag = Atomic<Bool>(false)
  /// No longer handed out as the thread's current tape (consumed by a
  /// backward pass, or past `rotationNodes` or `rotationElements`).
  @usableFromInline let isClosedFlag = Atomic<Bool>(false)
  /// Some operation was recorded in anomaly-detection mode.
  @usableFromInline let checksAnomaliesFlag = Atomic<Bool>(false)

  @inlinable var hasConsumed: Bool { hasConsumedFlag.load(ordering: .relaxed) }
  @inlinable var isClosed: Bool { isClosedFlag.load(ordering: .relaxed) }
  @inlinable var checksAnomalies: Bool { checksAnomaliesFlag.load(ordering: .relaxed) }

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
    owner = currentThreadIdentity()
    sequence = _tapeSequence.wrappingAdd(1, ordering: .relaxed).newValue
    state = .allocate(capacity: 1)
    state.initialize(to: TapeStorage(freshCapacity: 64))
  }

  deinit {
    releaseLeaves()
    state.pointee.free()
    state.deinitialize(count: 1)
    state.deallocate()
  }

  /// Gives up the leaves' owner caches that point to this tape. Only this
  /// tape changes a cache that holds its address (others claim a cache only
  /// from 0), so a load and a store suffice.
  @inlinable
  func releaseLeaves() {
    let me = address
    for k in 0..<leaves.count {
      let box = Unmanaged.passUnretained(leaves.address(k).pointee.box)
      box._withUnsafeGuaranteedRef {
        if $0.owner.load(ordering: .relaxed) == me { $0.owner.store(0, ordering: .releasing) }
      }
    }
  }

  /// Empties the tape for reuse (only when nothing else refers to it).
  @inlinable
  func reset() {
    releaseLeaves()
    state.pointee.removeAll(keepingCapacityUpTo: Tape._keptCapacity)
    leaves.removeAll()
    if !nodes.isEmpty { nodes.removeAll() }
    if !links.isEmpty { links.removeAll() }
    if !foreignLeafSlots.isEmpty { foreignLeafSlots.removeAll() }
    if !linkSlots.isEmpty { linkSlots.removeAll() }
    recordedElements = 0
    if hasRetained.load(ordering: .relaxed) {
      passLock.withLock { $0.removeAll() }
      hasRetained.store(false, ordering: .relaxed)
    }
    hasConsumedFlag.store(false, ordering: .relaxed)
    isClosedFlag.store(false, ordering: .relaxed)
    checksAnomaliesFlag.store(false, ordering: .relaxed)
  }

  @inlinable
  var address: UInt { UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()) }

  /// The most entries an emptied tape keeps room for: a thread that once
  /// recorded a huge graph does not keep its memory for good (a million
  /// entries take about 25 MB).
  @usableFromInline static var _keptCapacity: Int { 1 << 20 }

  /// The entry at slot `s` (any thread that knows of the slot).
  @inlinable @inline(__always)
  func entry(_ s: Int) -> TapeEntry<Scalar> { TapeStorage.entry(state, at: s) }

  /// The op code and flags of slot `s` (any thread that knows of the slot).
  @inlinable @inline(__always)
  func op(_ s: Int) -> UnsafeMutablePointer<UInt8> { TapeStorage.mark(state, at: s) }

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
    recordedElements &+= _elementCount(node.shape)
    if nodes.count >= Tape.rotationNodes || recordedElements >= Tape.rotationElements {
      isClosedFlag.store(true, ordering: .relaxed)
    }
    return append(-2, 0, index, 0, op)
  }

  /// The slot of an operand on this tape: its own slot, a link to the tape
  /// that recorded it, or a leaf's slot (registering it on first use); -1
  /// for a tensor that does not require gradients.
  @inlinable @inline(__always)
  func slot(of t: Tensor<Scalar>) -> Int32 {
    if t._slot >= 0 && t._node !== self { return linkedSlot(of: t) }
    return localSlot(of: t)
  }

  /// `slot(of:)` for an operand known not to be recorded on another tape.
  /// The leaf box is reached unretained, by its bits (a downcast or a
  /// binding would copy the reference, an atomic retain and release per use).
  @inlinable @inline(__always)
  func localSlot(of t: Tensor<Scalar>) -> Int32 {
    if t._slot >= 0 { return t._slot }
    if t._node != nil {
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

  /// The slot of a tensor already on this tape as a recorded result or a
  /// leaf (without registering), or nil. Any thread: leaves found by the
  /// records up to slot `top`.
  @usableFromInline
  func existingSlot(of t: Tensor<Scalar>, upTo top: Int) -> Int32? {
    if t._tape != nil { return t._tape === self ? t._slot : nil }
    guard let leaf = t._leaf else { return nil }
    if leaf.owner.load(ordering: .acquiring) == address {
      let s = leaf.slot.load(ordering: .relaxed)
      return Int(s) <= top ? s : nil
    }
    for k in 0..<leafCount(upTo: top) where leaves[k].box === leaf { return leaves[k].slot }
    return nil
  }

  /// How many leaves were registered at or below slot `top`. The owner reads
  /// the count; another thread finds the last leaf entry at or below `top`
  /// (records up to it exist: they are appended in order).
  @usableFromInline
  func leafCount(upTo top: Int) -> Int {
    if owner == currentThreadIdentity() {
      var n = leaves.count
      while n > 0 && Int(leaves.address(n - 1).pointee.slot) > top { n -= 1 }
      return n
    }
    var s = top
    while s >= 0 {
      let e = entry(s)
      if e.a == -1 { return Int(e.b) + 1 }
      s -= 1
    }
    return 0
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
    leaves.append(LeafRecord(box: leaf, slot: s, shape: shape, scalarized: scalarized))
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
  @inlinable @inline(__always)
  func isScalarSlot(_ s: Int) -> Bool {
    let e = entry(s)
    return e.a >= 0 || isScalarSlot(e)
  }

  /// `isScalarSlot` of an entry that is not an operation.
  @usableFromInline
  func isScalarSlot(_ e: TapeEntry<Scalar>) -> Bool {
    if e.a == -1 { return leaves.address(Int(e.b)).pointee.isScalarSlot }
    if e.a == -3 { return links.address(Int(e.b)).pointee.isScalarSlot }
    return nodes[Int(e.b)].shape.isEmpty
  }

  /// The first per-element slot of `t` (recorded element by element), -1 if
  /// it needs no gradient, nil if it is recorded as an n-d node.
  @inlinable @inline(__always)
  func elementSlots(of t: Tensor<Scalar>) -> Int32? {
    let s = slot(of: t)
    if s < 0 { return -1 }
    let e = TapeStorage.ownEntry(state, at: Int(s))
    return e.a >= 0 || isScalarSlot(e) ? s : nil
  }

  /// Anomaly detection on the 0-d path: traps if `v` is not finite (naming
  /// the 0-d shapes of its `operands`), and marks the tape for checks in the
  /// backward pass.
  @usableFromInline @inline(never)
  func _noteAnomalyCheck(_ v: Scalar, _ op: OpCode, operands: Int) {
    checksAnomaliesFlag.store(true, ordering: .relaxed)
    _checkFinite(v, op, shapes: Array(repeating: [], count: operands))
  }

  @usableFromInline
  func opName(_ s: Int) -> String {
    let e = entry(s)
    if e.a == -3 {
      let link = links[Int(e.b)]
      return link.tape.opName(Int(link.slot) + s - Int(link.localSlot))
    }
    return OpCode(rawValue: op(s).pointee & ~(_consumedBit | _elementBit))!.gradFunctionName
  }

  /// Marks slots `first + 1 ..< first + count` as further elements of the
  /// small tensor recorded element by element from slot `first` (the
  /// owner, while recording).
  @inlinable @inline(__always)
  func markElements(from first: Int, count: Int) {
    for i in 1..<Swift.max(count, 1) { TapeStorage.ownMark(state, at: first + i).pointee |= _elementBit }
  }

  /// Whether slot `s` is a further element of a small tensor recorded
  /// element by element (not its first slot).
  @inlinable
  func isFurtherElement(_ s: Int) -> Bool { op(s).pointee & _elementBit != 0 }

  /// Whether a backward pass without `retainGraph` went through slot `s`.
  @inlinable @inline(__always)
  func isConsumed(_ s: Int) -> Bool { op(s).pointee & _consumedBit != 0 }

  /// Marks slot `s` consumed (a backward pass, holding `passLock`).
  @inlinable @inline(__always)
  func markConsumed(_ s: Int) {
    op(s).pointee |= _consumedBit
    hasConsumedFlag.store(true, ordering: .relaxed)
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

/// The sequence numbers of tapes, in order of creation.
@usableFromInline let _tapeSequence = Atomic<UInt64>(0)
