/// A colouring of the columns (or rows) of a sparsity pattern for compressed
/// evaluation: `colors[j]` in `0..<count`.
@usableFromInline
struct Coloring: Sendable, Equatable {
  @usableFromInline var colors: [Int]
  @usableFromInline var count: Int

  /// Distance-2 column colouring: two columns that share a row get different
  /// colours, so one evaluation per colour (a seed summing its columns)
  /// recovers every entry. Greedy in three orders (natural, largest-first,
  /// smallest-last) on the column intersection graph; the colouring with the
  /// fewest colours is kept (a 5-point stencil gets 5 or 6, a tridiagonal
  /// pattern 3).
  ///
  /// ```swift
  /// let c = Coloring(columnsOf: pattern)
  /// ```
  @usableFromInline
  init(columnsOf p: SparsityPattern) {
    let graph = Coloring.intersectionGraph(p)
    let n = p.columns
    var best: Coloring? = nil
    for order in [Array(0..<n), Coloring.largestFirst(graph), Coloring.smallestLast(graph)] {
      let c = Coloring.greedy(graph, order)
      if best == nil || c.count < best!.count { best = c }
    }
    self = best ?? Coloring(colors: [], count: 0)
  }

  /// Distance-2 row colouring (two rows that share a column differ), for
  /// compressed reverse mode.
  @usableFromInline
  init(rowsOf p: SparsityPattern) { self.init(columnsOf: p.transposed()) }

  @usableFromInline
  init(colors: [Int], count: Int) {
    self.colors = colors
    self.count = count
  }

  /// For each column, the other columns it shares a row with (CSR-like:
  /// `neighbours[starts[j] ..< starts[j + 1]]`).
  @usableFromInline
  static func intersectionGraph(_ p: SparsityPattern) -> (starts: [Int], neighbours: [Int]) {
    let byRow = p.transposed()
    var starts = [0]
    starts.reserveCapacity(p.columns + 1)
    var neighbours = [Int]()
    var seen = [Int](repeating: -1, count: p.columns)
    for j in 0..<p.columns {
      seen[j] = j
      for k in p.columnStarts[j]..<p.columnStarts[j + 1] {
        let i = p.rowIndices[k]
        for q in byRow.columnStarts[i]..<byRow.columnStarts[i + 1] {
          let other = byRow.rowIndices[q]
          if seen[other] != j {
            seen[other] = j
            neighbours.append(other)
          }
        }
      }
      starts.append(neighbours.count)
    }
    return (starts, neighbours)
  }

  /// Greedy colouring in `order`: each vertex the least colour its coloured
  /// neighbours do not have.
  @usableFromInline
  static func greedy(_ g: (starts: [Int], neighbours: [Int]), _ order: [Int]) -> Coloring {
    let n = order.count
    var colors = [Int](repeating: -1, count: n)
    var forbidden = [Int](repeating: -1, count: n + 1)
    var count = 0
    for v in order {
      for k in g.starts[v]..<g.starts[v + 1] where colors[g.neighbours[k]] >= 0 {
        forbidden[colors[g.neighbours[k]]] = v
      }
      var c = 0
      while forbidden[c] == v { c += 1 }
      colors[v] = c
      count = Swift.max(count, c + 1)
    }
    return Coloring(colors: colors, count: count)
  }

  /// Vertices by decreasing degree (ties by index).
  @usableFromInline
  static func largestFirst(_ g: (starts: [Int], neighbours: [Int])) -> [Int] {
    let n = g.starts.count - 1
    return (0..<n).sorted { a, b in
      let da = g.starts[a + 1] - g.starts[a], db = g.starts[b + 1] - g.starts[b]
      return da != db ? da > db : a < b
    }
  }

  /// Smallest-last order: repeatedly remove a vertex of least degree among
  /// those left; colour in the reverse of the removal order.
  @usableFromInline
  static func smallestLast(_ g: (starts: [Int], neighbours: [Int])) -> [Int] {
    let n = g.starts.count - 1
    var degree = (0..<n).map { g.starts[$0 + 1] - g.starts[$0] }
    let maxDegree = degree.max() ?? 0
    // Buckets of vertices by current degree, as doubly linked lists.
    var head = [Int](repeating: -1, count: maxDegree + 1)
    var next = [Int](repeating: -1, count: n), prev = [Int](repeating: -1, count: n)
    func insert(_ v: Int) {
      let d = degree[v]
      next[v] = head[d]
      prev[v] = -1
      if head[d] >= 0 { prev[head[d]] = v }
      head[d] = v
    }
    func remove(_ v: Int) {
      let d = degree[v]
      if prev[v] >= 0 { next[prev[v]] = next[v] } else { head[d] = next[v] }
      if next[v] >= 0 { prev[next[v]] = prev[v] }
    }
    for v in 0..<n { insert(v) }
    var removed = [Bool](repeating: false, count: n)
    var order = [Int]()
    order.reserveCapacity(n)
    var low = 0
    for _ in 0..<n {
      while low > 0 && head[low - 1] >= 0 { low -= 1 }
      while head[low] < 0 { low += 1 }
      let v = head[low]
      remove(v)
      removed[v] = true
      order.append(v)
      for k in g.starts[v]..<g.starts[v + 1] {
        let u = g.neighbours[k]
        if !removed[u] {
          remove(u)
          degree[u] -= 1
          insert(u)
          if degree[u] < low { low = degree[u] }
        }
      }
    }
    return order.reversed()
  }
}
