/// Runs `work(k)` for k = 0 ..< `count` in concurrent tasks, each `repeats`
/// times (so that tasks overlap), and returns each task's last result in
/// order of k, for comparison with the same work done on one thread.
///
/// ```swift
/// let results = await resultsOfConcurrentTasks(count: 16, repeats: 10) { k in work(k) }
/// #expect(results == (0..<16).map(work))
/// ```
public func resultsOfConcurrentTasks<R: Sendable>(
  count: Int, repeats: Int = 1, _ work: @escaping @Sendable (Int) -> R
) async -> [R] {
  await withTaskGroup(of: (Int, R).self) { group in
    for k in 0..<count {
      group.addTask {
        var last = work(k)
        for _ in 1..<max(repeats, 1) { last = work(k) }
        return (k, last)
      }
    }
    var results = [R?](repeating: nil, count: count)
    for await (k, r) in group { results[k] = r }
    return results.map { $0! }
  }
}
