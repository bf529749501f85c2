import DifferentiableModule

extension Tensor {
  /// The recorded graph that produced this tensor, in Graphviz DOT: one node
  /// per operation (named by its backward function) or leaf
  /// (`AccumulateGrad`), with its shape, and an edge from each operand to its
  /// use. Render with `dot -Tsvg`.
  ///
  /// ```swift
  /// let x = Tensor(2.0, requiresGrad: true)
  /// print((x * x + 1).graphvizDOT())
  /// // digraph autograd { … "MulBackward" … }
  /// ```
  public func graphvizDOT() -> String {
    var lines = ["digraph autograd {", "  rankdir=BT;", "  node [shape=box, fontname=\"Helvetica\"];"]
    guard let tape = _tape else {
      let label = _leaf != nil ? "AccumulateGrad\\n\(shape)" : "constant\\n\(shape)"
      lines.append("  n0 [label=\"\(label)\"];")
      lines.append("}")
      return lines.joined(separator: "\n")
    }
    // A node is a slot of a tape (tape 0 is this result's; others are
    // reached through links). A small tensor recorded element by element
    // spans several slots: its first slot stands for the whole group. The
    // slots read on a tape are those at or below the highest one known to
    // exist there (the output, or a linked value), and each tape is read
    // with its pass lock held (backward passes mark its op codes).
    var tapes: [Tape<Scalar>] = [tape]
    var known = [Int(_slot) + (tape.isScalarSlot(Int(_slot)) ? Swift.max(scalarCount, 1) - 1 : 0)]
    func index(of t: Tape<Scalar>, knowing top: Int) -> Int {
      if let k = tapes.firstIndex(where: { $0 === t }) {
        known[k] = Swift.max(known[k], top)
        return k
      }
      tapes.append(t)
      known.append(top)
      return tapes.count - 1
    }
    func head(_ t: Tape<Scalar>, _ s: Int) -> Int {
      var h = s
      while h > 0 && t.isFurtherElement(h) { h -= 1 }
      return h
    }
    func elements(_ k: Int, _ h: Int) -> Range<Int> {
      var end = h + 1
      while end <= known[k] && tapes[k].isFurtherElement(end) { end += 1 }
      return h..<end
    }
    /// The node of slot `s` of tape `k`: through a link, the linked value's.
    func node(_ k: Int, _ s: Int) -> DOTNode {
      let t = tapes[k]
      let e = t.entry(s)
      guard e.a == -3 else { return DOTNode(tape: k, slot: t.passLock.withLock { _ in head(t, s) }) }
      let link = t.links[Int(e.b)]
      let source = Int(link.slot) + s - Int(link.localSlot)
      let count = link.isScalarSlot ? Swift.max(_elementCount(link.shape), 1) : 1
      let j = index(of: link.tape, knowing: Int(link.slot) + count - 1)
      return node(j, source)
    }
    let output = node(0, Int(_slot))
    var seen = Set<DOTNode>()
    var stack = [output]
    var edges = Set<[DOTNode]>()
    var labels: [DOTNode: String] = [:]
    while let h = stack.popLast() {
      if !seen.insert(h).inserted { continue }
      let t = tapes[h.tape]
      var operands: [(Int, Int)] = []
      let slots = t.passLock.withLock { _ in elements(h.tape, h.slot) }
      for s in slots {
        let e = t.entry(s)
        if e.a >= 0 {
          operands.append((h.tape, Int(e.a)))
          if e.b >= 0 { operands.append((h.tape, Int(e.b))) }
        } else if e.a == -2 {
          let n = t.nodes[Int(e.b)]
          for j in 0..<n.operandCount where n.operand(j) >= 0 { operands.append((h.tape, Int(n.operand(j)))) }
        }
      }
      for (k, s) in operands {
        let o = node(k, s)
        edges.insert([o, h])
        stack.append(o)
      }
      let e = t.entry(h.slot)
      let shape: String
      if h == output {
        shape = "\(self.shape)"
      } else if e.a == -1 {
        shape = "\(t.leaves[Int(e.b)].shape)"
      } else if e.a == -2 {
        shape = "\(t.nodes[Int(e.b)].shape)"
      } else {
        // The shape of an intermediate small tensor is not recorded.
        shape = slots.count == 1 ? "[]" : "\(slots.count) elements"
      }
      let style = e.a == -1 ? ", style=filled, fillcolor=lightblue" : ""
      let name = t.passLock.withLock { _ in t.opName(h.slot) }
      labels[h] = "  \(h.name) [label=\"\(name)\\n\(shape)\"\(style)];"
    }
    for h in seen.sorted() { lines.append(labels[h]!) }
    for edge in edges.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      lines.append("  \(edge[0].name) -> \(edge[1].name);")
    }
    lines.append("}")
    return lines.joined(separator: "\n")
  }
}

/// A node of `graphvizDOT`: a slot of the result's tape (0) or of a linked one.
private struct DOTNode: Hashable, Comparable {
  var tape: Int, slot: Int
  static func < (l: DOTNode, r: DOTNode) -> Bool { (l.tape, l.slot) < (r.tape, r.slot) }
  var name: String { tape == 0 ? "n\(slot)" : "t\(tape)n\(slot)" }
}
