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
    var seen = Set<Int>()
    // A small tensor recorded element by element spans several slots.
    var stack = tape.isScalarSlot(Int(_slot)) && _storage != nil
      ? Array(Int(_slot)..<Int(_slot) + scalarCount) : [Int(_slot)]
    var edges: [(Int, Int)] = []
    while let s = stack.popLast() {
      if !seen.insert(s).inserted { continue }
      let e = tape.entries[s]
      var operands: [Int] = []
      if e.a >= 0 {
        operands.append(Int(e.a))
        if e.b >= 0 { operands.append(Int(e.b)) }
      } else if e.a == -2 {
        let node = tape.nodes[Int(e.b)]
        operands = (0..<node.operandCount).map { Int(node.operand($0)) }.filter { $0 >= 0 }
      }
      for o in operands {
        edges.append((o, s))
        stack.append(o)
      }
    }
    for s in seen.sorted() {
      let e = tape.entries[s]
      let shape: [Int] = e.a >= 0 ? [] : e.a == -1 ? tape.leafShapes[Int(e.b)] : tape.nodes[Int(e.b)].shape
      let style = e.a == -1 ? ", style=filled, fillcolor=lightblue" : ""
      lines.append("  n\(s) [label=\"\(tape.opName(s))\\n\(shape)\"\(style)];")
    }
    for (from, to) in edges { lines.append("  n\(from) -> n\(to);") }
    lines.append("}")
    return lines.joined(separator: "\n")
  }
}
