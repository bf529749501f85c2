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
    // A small tensor recorded element by element spans several slots: its
    // first slot stands for the whole group in the drawing.
    func head(_ s: Int) -> Int {
      var h = s
      while h > 0 && tape.isFurtherElement(h) { h -= 1 }
      return h
    }
    func elements(_ h: Int) -> Range<Int> {
      var end = h + 1
      while end < tape.count && tape.isFurtherElement(end) { end += 1 }
      return h..<end
    }
    let output = head(Int(_slot))
    var seen = Set<Int>()
    var stack = [output]
    var edges = Set<[Int]>()
    while let h = stack.popLast() {
      if !seen.insert(h).inserted { continue }
      var operands = Set<Int>()
      for s in elements(h) {
        let e = tape.entries[s]
        if e.a >= 0 {
          operands.insert(head(Int(e.a)))
          if e.b >= 0 { operands.insert(head(Int(e.b))) }
        } else if e.a == -2 {
          let node = tape.nodes[Int(e.b)]
          for j in 0..<node.operandCount where node.operand(j) >= 0 { operands.insert(head(Int(node.operand(j)))) }
        }
      }
      for o in operands {
        edges.insert([o, h])
        stack.append(o)
      }
    }
    for h in seen.sorted() {
      let e = tape.entries[h]
      let n = elements(h).count
      let shape: String
      if h == output {
        shape = "\(self.shape)"
      } else if e.a == -1 {
        shape = "\(tape.leafShapes[Int(e.b)])"
      } else if e.a == -2 {
        shape = "\(tape.nodes[Int(e.b)].shape)"
      } else {
        // The shape of an intermediate small tensor is not recorded.
        shape = n == 1 ? "[]" : "\(n) elements"
      }
      let style = e.a == -1 ? ", style=filled, fillcolor=lightblue" : ""
      lines.append("  n\(h) [label=\"\(tape.opName(h))\\n\(shape)\"\(style)];")
    }
    for edge in edges.sorted(by: { $0.lexicographicallyPrecedes($1) }) { lines.append("  n\(edge[0]) -> n\(edge[1]);") }
    lines.append("}")
    return lines.joined(separator: "\n")
  }
}
