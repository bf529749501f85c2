import Synchronization
import DifferentiableModule
// Thread-local recording state. Two pthread keys: one holds the mode flags as
// the bit pattern of the key's value (no allocation, one load per check), the
// other an object with the thread's current tapes (weakly held). Nothing here
// is shared between threads, so independent graphs never meet.

@usableFromInline let _noGradientsBit = 1
@usableFromInline let _anomalyBit = 2

@usableFromInline
let _modeKey = ThreadLocalKey()

@usableFromInline
let _tapesKey = ThreadLocalKey { raw in Unmanaged<_ThreadTapes>.fromOpaque(raw).release() }

/// The mode flags of the thread-local `key`. Read-only, which lets the
/// optimiser keep operands borrowed across the call (no retains).
@usableFromInline @inline(never) @_effects(readonly)
func _readModeFlags(_ key: ThreadLocalKey) -> Int {
  Int(bitPattern: key.value)
}

/// How many mode scopes (`withoutGradients`, `withAnomalyDetection`) are
/// open, on all threads together. While none is, no thread has a mode flag
/// set, and an operation need not read its thread's flags (a thread-local
/// read per operation costs more than the recording itself). A thread always
/// sees its own scopes counted: it increments the count before it sets its
/// flag. Every tape holds a reference to the one counter, so that operations
/// reach it through their tape: a global's accessor runs `swift_once` on
/// every call.
@usableFromInline
final class _OpenModeScopes: Sendable {
  @usableFromInline let count = Atomic<Int>(0)

  @usableFromInline
  init() {}

  /// The mode flags of the current thread, read only while some thread has a
  /// mode scope open.
  @inlinable @inline(__always)
  func flags(_ key: ThreadLocalKey) -> Int {
    count.load(ordering: .relaxed) == 0 ? 0 : _readModeFlags(key)
  }
}

@usableFromInline let _openModeScopes = _OpenModeScopes()

/// The mode flags of the current thread.
@inlinable @inline(__always)
var _modeFlags: Int {
  Int(bitPattern: _modeKey.value)
}

@usableFromInline
func _setModeFlags(_ flags: Int) {
  _modeKey.value = UnsafeMutableRawPointer(bitPattern: flags)
}

/// The current tapes of one thread, one per scalar type, in pointer-held
/// storage (no dynamic exclusivity checks). They are held strongly (a weak
/// reference would move every tape's reference count to a slow side table);
/// a tape that only the thread still holds is emptied and reused, so an
/// unused tape never grows and memory stays bounded.
@usableFromInline
final class _ThreadTapes {
  @usableFromInline static let capacity = 8
  @usableFromInline let ids: UnsafeMutablePointer<ObjectIdentifier>
  @usableFromInline let tapes: UnsafeMutablePointer<AnyObject?>
  @usableFromInline let count: UnsafeMutablePointer<Int>
  /// The thread's storage pools for small results computed without
  /// recording, one per scalar type (as `tapes`).
  @usableFromInline let poolIDs: UnsafeMutablePointer<ObjectIdentifier>
  @usableFromInline let pools: UnsafeMutablePointer<AnyObject?>
  @usableFromInline let poolCount: UnsafeMutablePointer<Int>

  @usableFromInline init() {
    ids = .allocate(capacity: Self.capacity)
    tapes = .allocate(capacity: Self.capacity)
    tapes.initialize(repeating: nil, count: Self.capacity)
    count = .allocate(capacity: 1)
    count.initialize(to: 0)
    poolIDs = .allocate(capacity: Self.capacity)
    pools = .allocate(capacity: Self.capacity)
    pools.initialize(repeating: nil, count: Self.capacity)
    poolCount = .allocate(capacity: 1)
    poolCount.initialize(to: 0)
  }

  deinit {
    tapes.deinitialize(count: Self.capacity)
    tapes.deallocate()
    ids.deallocate()
    count.deallocate()
    pools.deinitialize(count: Self.capacity)
    pools.deallocate()
    poolIDs.deallocate()
    poolCount.deallocate()
  }

  /// The current thread's tapes (the thread-local key holds them).
  @usableFromInline static var current: Unmanaged<_ThreadTapes> {
    if let raw = _tapesKey.value { return Unmanaged.fromOpaque(raw) }
    let state = Unmanaged.passRetained(_ThreadTapes())
    _tapesKey.value = state.toOpaque()
    return state
  }
}

extension Tape {
  /// The tape that operations whose operands are all leaves record onto: the
  /// current thread's open tape for this scalar type, a recycled one, or a
  /// fresh one. A tape that results still hold is handed out until a
  /// backward pass consumes it or it has grown large (`rotationEntries`
  /// entries, `rotationNodes` n-d operations or `rotationElements` n-d
  /// elements): then later graphs start
  /// on a new tape, so that a result kept without a backward pass (a
  /// prediction kept for logging) holds only the graphs recorded before it,
  /// not every later one.
  @inlinable
  static func current() -> Tape { currentUnretained().takeUnretainedValue() }

  /// `current()`, not retained: the thread's registry holds the tape.
  @inlinable @inline(never)
  static func currentUnretained() -> Unmanaged<Tape> {
    _ThreadTapes.current._withUnsafeGuaranteedRef { state in
      let (i, isNew) = _ThreadTapes.entry(of: Scalar.self, in: state.ids, count: state.count)
      let slot = state.tapes + i
      if !isNew {
        // (Checked before any local reference to the tape exists.)
        let unique = isKnownUniquelyReferenced(&slot.pointee)
        // The tape reached by its bits, unretained (the registry holds it).
        let tapeRef = Unmanaged<Tape>.fromOpaque(
          UnsafeRawPointer(bitPattern: unsafeBitCast(slot.pointee, to: UInt.self)).unsafelyUnwrapped)
        let reusable = tapeRef._withUnsafeGuaranteedRef { tape in
          if unique {
            // Only this thread refers to it: no result of it is alive.
            if tape.count > 0 { tape.reset() }
            return true
          }
          return !tape.isClosed && tape.count < Tape.rotationEntries
        }
        if reusable { return tapeRef }
      }
      // A new scalar type, or a closed or large tape (that lives on with its
      // results).
      let fresh = Tape()
      slot.pointee = fresh
      return Unmanaged.passUnretained(fresh)
    }
  }

  /// Makes a new tape the thread's current one and returns it (for an
  /// operation whose operands' tapes are all newer than the current one).
  @usableFromInline @inline(never)
  static func startCurrent() -> Tape {
    _ThreadTapes.current._withUnsafeGuaranteedRef { state in
      let (i, _) = _ThreadTapes.entry(of: Scalar.self, in: state.ids, count: state.count)
      let fresh = Tape()
      state.tapes[i] = fresh
      return fresh
    }
  }
}

extension Tape {
  /// A thread's current tape that results still hold takes new graphs until
  /// it has this many entries…
  @inlinable static var rotationEntries: Int { 1 << 18 }
  /// …or this many n-d operations…
  @inlinable static var rotationNodes: Int { 1 << 12 }
  /// …or n-d results of this many elements in all.
  @inlinable static var rotationElements: Int { 1 << 22 }
}

extension _ThreadTapes {
  /// The entry of `type` among the first `count` of `ids`, or the entry it
  /// takes now if it has none (past the capacity, the last one).
  @inlinable
  static func entry<T>(
    of type: T.Type, in ids: UnsafeMutablePointer<ObjectIdentifier>, count: UnsafeMutablePointer<Int>
  ) -> (index: Int, isNew: Bool) {
    let id = ObjectIdentifier(type)
    let n = count.pointee
    for i in 0..<n where ids[i] == id { return (i, false) }
    let i = Swift.min(n, capacity - 1)
    ids[i] = id
    count.pointee = i + 1
    return (i, true)
  }
}

// MARK: - Public modes

/// Runs `body` without recording: operations inside produce tensors that do
/// not require gradients (PyTorch's `torch.no_grad()`). Use it for parameter
/// updates. The mode is per thread and nests.
///
/// ```swift
/// withoutGradients {
///   w -= 0.01 * w.grad!      // w stays a leaf requiring gradients
/// }
/// ```
@inlinable
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
  try _withModeFlag(_noGradientsBit, body)
}

/// Runs `body` with `flag` set in the current thread's mode flags.
@inlinable
func _withModeFlag<R>(_ flag: Int, _ body: () throws -> R) rethrows -> R {
  let old = _modeFlags
  _openModeScopes.count.add(1, ordering: .relaxed)
  _setModeFlags(old | flag)
  defer {
    _setModeFlags(old)
    _openModeScopes.count.subtract(1, ordering: .relaxed)
  }
  return try body()
}

/// Runs `body` with anomaly detection (PyTorch's `detect_anomaly`): the first
/// operation recorded inside whose value, or whose gradient in a later
/// backward pass, is NaN or infinite stops the program with a message naming
/// the operation (for example `SqrtBackward` at 0). Slower; for debugging.
///
/// ```swift
/// withAnomalyDetection {
///   let y = sqrt(x)          // x = 0
///   y.backward()             // traps: "anomaly: SqrtBackward produced a non-finite gradient …"
/// }
/// ```
@inlinable
public func withAnomalyDetection<R>(_ body: () throws -> R) rethrows -> R {
  try _withModeFlag(_anomalyBit, body)
}

/// Whether operations on the current thread record onto tapes (false inside
/// `withoutGradients`).
///
/// ```swift
/// withoutGradients { isRecordingGradients }   // false
/// ```
@inlinable
public var isRecordingGradients: Bool { _modeFlags & _noGradientsBit == 0 }
