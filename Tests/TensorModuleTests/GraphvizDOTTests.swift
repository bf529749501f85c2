import Leibniz
import Testing

@Suite("Tensor: Graphviz export")
struct GraphvizDOTTests {
  @Test func exportsNodesAndEdges() {
    let x = Tensor(2.0, requiresGrad: true)
    let y = x * x + 1
    let dot = y.graphvizDOT()
    #expect(dot.hasPrefix("digraph autograd {"))
    #expect(dot.contains("AccumulateGrad"))
    #expect(dot.contains("MulBackward"))
    #expect(dot.contains("AddBackward"))
    let edges = dot.split(separator: "\n").filter { $0.contains("->") }
    #expect(edges.count == 2)   // x→mul (once, though x is both operands), mul→add
    #expect(Tensor<Double>([1]).graphvizDOT().contains("constant"))
  }

  /// A small tensor recorded element by element is one node labelled with its
  /// shape, as a large one (not a node for its first element, labelled []).
  @Test(arguments: [3, 40])
  func smallTensorsAreOneNodeEach(count: Int) {
    let x = Tensor<Double>.ones([count], requiresGrad: true)
    let dot = (x * 2).sum().graphvizDOT()
    let lines = dot.split(separator: "\n")
    let nodes = lines.filter { $0.contains("[label=") }
    #expect(nodes.count == 3, "\(dot)")
    #expect(nodes.contains { $0.contains("AccumulateGrad\\n[\(count)]") }, "\(dot)")
    #expect(nodes.contains { $0.contains("MulBackward") }, "\(dot)")
    #expect(nodes.contains { $0.contains("SumBackward\\n[]") }, "\(dot)")
    #expect(lines.filter { $0.contains("->") }.count == 2, "\(dot)")
    // The small result itself, drawn as the output, has its shape.
    #expect((x * 2).graphvizDOT().contains("MulBackward\\n[\(count)]"))
  }
}
