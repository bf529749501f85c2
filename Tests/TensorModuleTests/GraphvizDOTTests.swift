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
    #expect(edges.count == 3)   // x→mul twice, mul→add
    #expect(Tensor<Double>([1]).graphvizDOT().contains("constant"))
  }
}
