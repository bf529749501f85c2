import DifferentiableModule

/// The scalar a function is evaluated on to detect the sparsity of its
/// Jacobian: a value (so that the function may branch) and the set of inputs
/// it depends on. Every operation of the operator set takes the union of its
/// operands' sets, through the rule table like any other mode; the pattern is
/// structural (an operand's inputs count even where a partial happens to be 0
/// at this point), and `max`/`min` depend on both arguments, so the pattern
/// holds wherever the function takes the same branches. Comparisons are
/// recorded (`ComparisonLog`), so that a plan can tell whether a later point
/// takes other branches.
@frozen @usableFromInline
struct SparsityTracer<T: DifferentiableScalar, Comparisons: TracerComparisons>: ChainRuleScalar {
  @usableFromInline var value: T
  @usableFromInline var indices: SparseIndices

  @inlinable @inline(__always)
  init(value: T, indices: SparseIndices) {
    self.value = value
    self.indices = indices
  }

  @inlinable @inline(__always)
  init(constant value: T) { self.init(value: value, indices: .empty) }

  @inlinable @inline(__always)
  init(value: T, chaining x: SparsityTracer, by dx: T) { self.init(value: value, indices: x.indices) }

  @inlinable @inline(__always)
  init(value: T, chaining x: SparsityTracer, by dx: T, _ y: SparsityTracer, by dy: T) {
    self.init(value: value, indices: x.indices.union(y.indices))
  }

  @inlinable var hasZeroDerivative: Bool { indices.isEmpty }
  @inlinable var isIdenticallyZero: Bool { indices.isEmpty && value.isIdenticallyZero }

  @inlinable
  static func + (lhs: SparsityTracer, rhs: SparsityTracer) -> SparsityTracer {
    SparsityTracer(value: lhs.value + rhs.value, indices: lhs.indices.union(rhs.indices))
  }
  @inlinable
  static func - (lhs: SparsityTracer, rhs: SparsityTracer) -> SparsityTracer {
    SparsityTracer(value: lhs.value - rhs.value, indices: lhs.indices.union(rhs.indices))
  }
  @inlinable
  static prefix func - (operand: SparsityTracer) -> SparsityTracer {
    SparsityTracer(value: -operand.value, indices: operand.indices)
  }

  // max and min depend on both arguments wherever they are evaluated.
  @inlinable
  static func maximum(_ x: SparsityTracer, _ y: SparsityTracer) -> SparsityTracer {
    SparsityTracer(value: T.maximum(x.value, y.value), indices: x.indices.union(y.indices))
  }
  @inlinable
  static func minimum(_ x: SparsityTracer, _ y: SparsityTracer) -> SparsityTracer {
    SparsityTracer(value: T.minimum(x.value, y.value), indices: x.indices.union(y.indices))
  }

  @inlinable
  static func < (lhs: SparsityTracer, rhs: SparsityTracer) -> Bool { Comparisons.note(lhs.value < rhs.value) }
  @inlinable
  static func == (lhs: SparsityTracer, rhs: SparsityTracer) -> Bool { Comparisons.note(lhs.value == rhs.value) }
}

/// Whether a tracer's comparisons are the function's own (recorded) or those
/// inside the rule table's rules (the primal level of `HessianTracer`, not
/// recorded, since no other mode sees them).
@usableFromInline
protocol TracerComparisons {
  static func note(_ outcome: Bool) -> Bool
}

/// Comparisons recorded in the `ComparisonLog`.
@usableFromInline
enum RecordedComparisons: TracerComparisons {
  @inlinable @inline(__always)
  static func note(_ outcome: Bool) -> Bool { ComparisonLog.note(outcome) }
}

/// Comparisons not recorded.
@usableFromInline
enum UnrecordedComparisons: TracerComparisons {
  @inlinable @inline(__always)
  static func note(_ outcome: Bool) -> Bool { outcome }
}

/// A chain-rule scalar whose comparisons are recorded (`ComparisonLog`): the
/// scalar a sparse plan evaluates a function on, around `MultiDual` (forward)
/// or `ReverseScalar` (reverse), to tell whether it took the branches that
/// the pattern was detected on.
@frozen @usableFromInline
struct BranchRecordingScalar<Base: ChainRuleScalar>: ChainRuleScalar {
  @usableFromInline typealias Primal = Base.Primal
  @usableFromInline var base: Base

  @inlinable @inline(__always)
  init(_ base: Base) { self.base = base }

  @inlinable var value: Primal { base.value }

  @inlinable @inline(__always)
  init(constant value: Primal) { base = Base(constant: value) }
  @inlinable @inline(__always)
  init(value: Primal, chaining x: Self, by dx: Primal) { base = Base(value: value, chaining: x.base, by: dx) }
  @inlinable @inline(__always)
  init(value: Primal, chaining x: Self, by dx: Primal, _ y: Self, by dy: Primal) {
    base = Base(value: value, chaining: x.base, by: dx, y.base, by: dy)
  }
  @inlinable @inline(__always)
  init(value: Primal, chaining x: Self, bySingular dx: Primal) {
    base = Base(value: value, chaining: x.base, bySingular: dx)
  }
  @inlinable @inline(__always)
  init(value: Primal, chaining x: Self, bySingular dx: Primal, _ y: Self, bySingular dy: Primal) {
    base = Base(value: value, chaining: x.base, bySingular: dx, y.base, bySingular: dy)
  }

  @inlinable var hasZeroDerivative: Bool { base.hasZeroDerivative }
  @inlinable var isIdenticallyZero: Bool { base.isIdenticallyZero }

  @inlinable @inline(__always)
  static func + (lhs: Self, rhs: Self) -> Self { Self(lhs.base + rhs.base) }
  @inlinable @inline(__always)
  static func - (lhs: Self, rhs: Self) -> Self { Self(lhs.base - rhs.base) }
  @inlinable @inline(__always)
  static prefix func - (operand: Self) -> Self { Self(-operand.base) }

  @inlinable
  static func < (lhs: Self, rhs: Self) -> Bool { ComparisonLog.note(lhs.value < rhs.value) }
  @inlinable
  static func == (lhs: Self, rhs: Self) -> Bool { ComparisonLog.note(lhs.value == rhs.value) }
}
