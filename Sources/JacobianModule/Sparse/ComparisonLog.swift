import DifferentiableModule

/// The outcomes of the comparisons a function makes on its scalars, recorded
/// while it runs, so that a sparse plan knows whether a later evaluation took
/// the branches that its pattern was detected on.
@usableFromInline
final class ComparisonLog {
  @usableFromInline var outcomes: [Bool] = []

  @usableFromInline init() {}

  @usableFromInline static let key = ThreadLocalKey()

  /// Records `outcome` in the log of the innermost `recording` on this
  /// thread, if any; returns it.
  @inlinable @inline(__always)
  static func note(_ outcome: Bool) -> Bool {
    key.object(as: ComparisonLog.self)?.outcomes.append(outcome)
    return outcome
  }

  /// Runs `body` with this thread's comparisons recorded; returns its result
  /// and the outcomes.
  @inlinable
  static func recording<R>(_ body: () -> R) -> (R, [Bool]) {
    let log = ComparisonLog()
    let r = key.with(log, body)
    return (r, log.outcomes)
  }
}
