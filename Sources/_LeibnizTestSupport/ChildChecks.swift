#if canImport(Glibc)
import Glibc
#endif

/// The checks of an exit test's body, reported back to the parent test.
///
/// Swift Testing hands a child's standard error to the parent only when the
/// child ends with the expected status, so a child that checks ends with
/// `end()`, which writes each failed check and a closing line and exits with
/// `ChildChecks.status` whatever the outcome; the parent expects that status
/// and that `failures(in:)` is empty:
///
/// ```swift
/// let result = await #expect(processExitsWith: .exitCode(ChildChecks.status),
///                            observing: [\.standardErrorContent]) {
///   var checks = ChildChecks()
///   checks.expect(residentBytes() != nil, "no resident size")
///   checks.end()
/// }
/// #expect(ChildChecks.failures(in: result) == [])
/// ```
public struct ChildChecks {
  public static let status: Int32 = 3
  static let failurePrefix = "check failed: "
  static let closingLine = "child checks ended"

  var failures: [String] = []

  public init() {}

  /// Records a failure with `message` unless `condition` holds.
  public mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { failures.append(message()) }
  }

  /// Writes the failures and the closing line to standard error, and exits.
  public func end() -> Never {
    var text = failures.map { Self.failurePrefix + $0 + "\n" }.joined() + Self.closingLine + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(Self.status)
  }

  /// The failed checks in a child's standard error; a child that ended
  /// otherwise than through `end()` counts as one failure.
  public static func failures(in standardError: [UInt8]?) -> [String] {
    let lines = String(decoding: standardError ?? [], as: UTF8.self).split(separator: "\n")
    guard lines.contains(Substring(closingLine)) else { return ["the child did not end its checks"] }
    return lines.filter { $0.hasPrefix(failurePrefix) }.map { String($0.dropFirst(failurePrefix.count)) }
  }
}
