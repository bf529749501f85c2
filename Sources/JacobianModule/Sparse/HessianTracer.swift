import DifferentiableModule

/// The scalar a function is evaluated on to detect the sparsity of its
/// Hessian. Its primal is a `SparsityTracer` (the inputs the value depends
/// on), so the rule table's partials are tracers too, whose sets say which
/// inputs each partial depends on. An operation on u with partial f′(u)
/// contributes the pairs (inputs of u) × (inputs of f′(u)): none for a linear
/// operation (a constant partial), u's inputs squared for sin(u), the pairs
/// (x, y) for x·y. The pairs are gathered for the whole evaluation
/// (`HessianPairs`), a superset of those of the output where an intermediate
/// value does not reach it.
@frozen @usableFromInline
struct HessianTracer<T: DifferentiableScalar>: ChainRuleScalar {
  @usableFromInline typealias Primal = SparsityTracer<T, UnrecordedComparisons>
  @usableFromInline var value: Primal

  @inlinable @inline(__always)
  init(_ value: Primal) { self.value = value }

  @inlinable @inline(__always)
  init(constant value: Primal) { self.value = value }

  @inlinable @inline(__always)
  init(value: Primal, chaining x: HessianTracer, by dx: Primal) {
    HessianPairs.note(x.value.indices, dx.indices)
    self.value = value
  }

  @inlinable @inline(__always)
  init(value: Primal, chaining x: HessianTracer, by dx: Primal, _ y: HessianTracer, by dy: Primal) {
    HessianPairs.note(x.value.indices, dx.indices)
    HessianPairs.note(y.value.indices, dy.indices)
    self.value = value
  }

  @inlinable var hasZeroDerivative: Bool { value.indices.isEmpty }
  @inlinable var isIdenticallyZero: Bool { value.isIdenticallyZero }

  @inlinable
  static func + (lhs: HessianTracer, rhs: HessianTracer) -> HessianTracer { HessianTracer(lhs.value + rhs.value) }
  @inlinable
  static func - (lhs: HessianTracer, rhs: HessianTracer) -> HessianTracer { HessianTracer(lhs.value - rhs.value) }
  @inlinable
  static prefix func - (operand: HessianTracer) -> HessianTracer { HessianTracer(-operand.value) }

  // max and min: both arguments, linearly (no pairs).
  @inlinable
  static func maximum(_ x: HessianTracer, _ y: HessianTracer) -> HessianTracer {
    HessianTracer(Primal.maximum(x.value, y.value))
  }
  @inlinable
  static func minimum(_ x: HessianTracer, _ y: HessianTracer) -> HessianTracer {
    HessianTracer(Primal.minimum(x.value, y.value))
  }

  @inlinable
  static func < (lhs: HessianTracer, rhs: HessianTracer) -> Bool { ComparisonLog.note(lhs.value.value < rhs.value.value) }
  @inlinable
  static func == (lhs: HessianTracer, rhs: HessianTracer) -> Bool {
    ComparisonLog.note(lhs.value.value == rhs.value.value)
  }
}

/// The pairs of inputs that interact nonlinearly, gathered on this thread
/// while a function is evaluated on `HessianTracer`s.
@usableFromInline
final class HessianPairs {
  @usableFromInline var pairs: [UInt64] = []
  @usableFromInline init() {}
  @usableFromInline static let key = ThreadLocalKey()

  /// Records the pairs `a` × `b` (both orders).
  @inlinable @inline(__always)
  static func note(_ a: SparseIndices, _ b: SparseIndices) {
    if a.isEmpty || b.isEmpty { return }
    guard let log = key.object(as: HessianPairs.self) else { return }
    a.forEach { i in
      b.forEach { j in
        log.pairs.append(UInt64(UInt32(i)) << 32 | UInt64(UInt32(j)))
        log.pairs.append(UInt64(UInt32(j)) << 32 | UInt64(UInt32(i)))
      }
    }
  }

  /// Runs `body` with pairs gathered; returns its result and the pairs.
  @inlinable
  static func gathering<R>(_ body: () -> R) -> (R, [UInt64]) {
    let log = HessianPairs()
    let r = key.with(log, body)
    return (r, log.pairs)
  }
}
