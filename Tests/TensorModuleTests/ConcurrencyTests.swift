import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: concurrent graphs")
struct ConcurrencyTests {
  static func rosenbrock<T: Differentiable>(_ x: [T]) -> T {
    var s: T = 0
    for i in 0..<(x.count - 1) {
      let t = x[i + 1] - x[i] * x[i]
      s = s + 100 * t * t + (1 - x[i]) * (1 - x[i])
    }
    return s
  }

  static func rosenbrockGradient(_ values: [Double]) -> [Double] {
    let x = values.map { Tensor($0, requiresGrad: true) }
    let v = Tensor(values, requiresGrad: true)
    let nd: Tensor<Double> = (sin(v) * v).sum()
    let s = rosenbrock(x) + nd
    s.backward()
    return x.map { $0.grad!.scalar } + v.grad!.scalars
  }

  @Test func independentGraphsOnManyTasks() async {
    let inputs: [[Double]] = (0..<16).map { (k: Int) -> [Double] in
      (0..<50).map { (j: Int) -> Double in
        let step: Double = 0.01 * Double((j * 7 + k) % 13)
        return 0.5 + step
      }
    }
    let expected = inputs.map(Self.rosenbrockGradient)
    let results = await resultsOfConcurrentTasks(count: inputs.count, repeats: 20) {
      Self.rosenbrockGradient(inputs[$0])
    }
    #expect(results == expected)
  }

  @Test func sharedLeafUsedConcurrentlyWithGradientsOf() async {
    let w = Tensor<Double>([1, 2, 3], requiresGrad: true)
    let s = Tensor(2.0, requiresGrad: true)
    let results = await withTaskGroup(of: [Double].self) { group in
      for k in 0..<8 {
        group.addTask {
          let c = Tensor<Double>(Double(k))
          let loss: Tensor<Double> = (w * w * c).sum() + s * s * c
          let g = gradients(of: loss, wrt: [w, s])
          return g[0].scalars + [g[1].scalar]
        }
      }
      var all: [[Double]] = []
      for await r in group { all.append(r) }
      return all
    }
    #expect(results.count == 8)
    for r in results {
      let c: Double = r[0] / 2
      let expected: [Double] = [2 * c, 4 * c, 6 * c, 4 * c]
      #expect(r == expected)
    }
  }
}
