/// A star colouring of a symmetric pattern, for compressed Hessians: adjacent
/// columns differ in colour and every path on four vertices uses at least
/// three colours, so that each entry H[i, j] is recovered from the product
/// H·S either in column colour(j) of row i (when no other column of that
/// colour meets row i) or, by symmetry, in column colour(i) of row j. It
/// needs fewer colours than a distance-2 colouring on many patterns (an
/// arrowhead: 2 instead of n).
///
/// ```swift
/// let c = StarColoring(pattern)     // pattern symmetric
/// ```
@usableFromInline
struct StarColoring: Sendable {
  @usableFromInline var coloring: Coloring
  /// For each entry of the pattern (column-major), the row of H·S and the
  /// colour (column of H·S) it is read from.
  @usableFromInline var sources: [(row: Int, color: Int)]

  /// The better of a greedy star colouring and a distance-2 colouring (which
  /// is also a star colouring), with each entry's source.
  @usableFromInline
  init(_ p: SparsityPattern) {
    let distance2 = Coloring(columnsOf: p)
    var best = distance2
    if let star = StarColoring.greedyStar(p), star.count < distance2.count,
      StarColoring.sources(p, star) != nil
    {
      best = star
    }
    coloring = best
    sources = StarColoring.sources(p, best)!
  }

  /// Greedy star colouring (in smallest-last order on the adjacency graph):
  /// a vertex avoids its neighbours' colours, the colours of vertices two
  /// steps away through an uncoloured neighbour, and the colour of x where
  /// v–w–x–y would otherwise alternate two colours.
  @usableFromInline
  static func greedyStar(_ p: SparsityPattern) -> Coloring? {
    let n = p.columns
    guard p.rows == n else { return nil }
    // Adjacency without the diagonal.
    var starts = [0], adjacent = [Int]()
    for j in 0..<n {
      for k in p.columnStarts[j]..<p.columnStarts[j + 1] where p.rowIndices[k] != j { adjacent.append(p.rowIndices[k]) }
      starts.append(adjacent.count)
    }
    let graph = (starts: starts, neighbours: adjacent)
    var colors = [Int](repeating: -1, count: n)
    var forbidden = [Int](repeating: -1, count: n + 1)
    var count = 0
    for v in Coloring.smallestLast(graph) {
      for a in starts[v]..<starts[v + 1] {
        let w = adjacent[a]
        if colors[w] >= 0 { forbidden[colors[w]] = v }
        for b in starts[w]..<starts[w + 1] {
          let x = adjacent[b]
          guard x != v, colors[x] >= 0 else { continue }
          if colors[w] < 0 {
            forbidden[colors[x]] = v
          } else {
            for c in starts[x]..<starts[x + 1] where adjacent[c] != w && colors[adjacent[c]] == colors[w] {
              forbidden[colors[x]] = v
              break
            }
          }
        }
      }
      var c = 0
      while forbidden[c] == v { c += 1 }
      colors[v] = c
      count = Swift.max(count, c + 1)
    }
    return Coloring(colors: colors, count: count)
  }

  /// Where each entry of a symmetric pattern is read from H·S for the
  /// colouring `c`, or nil if some entry cannot be recovered.
  @usableFromInline
  static func sources(_ p: SparsityPattern, _ c: Coloring) -> [(row: Int, color: Int)]? {
    var out = [(row: Int, color: Int)]()
    out.reserveCapacity(p.nonzeroCount)
    func colourIsUnique(inRow i: Int, _ colour: Int) -> Bool {
      var k = 0
      for q in p.columnStarts[i]..<p.columnStarts[i + 1] where c.colors[p.rowIndices[q]] == colour { k += 1 }
      return k == 1
    }
    for j in 0..<p.columns {
      for k in p.columnStarts[j]..<p.columnStarts[j + 1] {
        let i = p.rowIndices[k]
        // Column j of H is row j by symmetry: row i's columns are column i's rows.
        if colourIsUnique(inRow: i, c.colors[j]) {
          out.append((i, c.colors[j]))
        } else if colourIsUnique(inRow: j, c.colors[i]) {
          out.append((j, c.colors[i]))
        } else {
          return nil
        }
      }
    }
    return out
  }
}
