import Leibniz
import Testing
import _LeibnizTestSupport

/// Random expressions over the whole operator set (the generator of the
/// JacobianModule cross-check), evaluated on tensors: reverse mode through
/// `Tensor` must agree with forward mode (`jacobian(mode: .forward)`) on the
/// 0-d fast path, on small vectors recorded element by element (recycled
/// storages), and on larger vectors recorded as n-d nodes.
@Suite("Tensor: randomized cross-check against forward mode")
struct TensorRandomCrossCheckTests {
  static let tolerance = 1e-9

  static func agree(_ a: Double, _ b: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return isClose(a, b, tolerance: tolerance)
  }

  /// 0-d leaves: each output's gradient is a row of the forward Jacobian.
  @Test(arguments: [UInt64(31), 32, 33])
  func scalarLeaves(_ seed: UInt64) {
    var g = SeededRandom(seed: seed)
    for trial in 0..<40 {
      let (f, x) = RandomFunction.randomWithPoint(inputs: 3, outputs: 2, depth: 4, using: &g)
      let J = jacobian(at: x, mode: .forward, of: f)
      let values = f(x)
      let leaves = x.map { Tensor($0, requiresGrad: true) }
      let outputs = f(leaves)
      for i in 0..<2 {
        #expect(Self.agree(outputs[i].scalar, values[i]), "seed \(seed) trial \(trial) output \(i): \(f)")
        let row: [Double]
        if outputs[i].requiresGrad {
          row = gradients(of: outputs[i], wrt: leaves, retainGraph: true).map(\.scalar)
        } else {
          row = [0, 0, 0]
        }
        for j in 0..<3 {
          #expect(Self.agree(row[j], J[i, j]), "seed \(seed) trial \(trial) ∂f\(i)/∂x\(j): \(row[j]) vs \(J[i, j])\n\(f)")
        }
      }
    }
  }

  /// Vector leaves holding `points` points at once (variable j of point p is
  /// element p of leaf j): the gradient of each output's sum, element p, is
  /// the forward Jacobian at point p.
  @Test(arguments: [(UInt64(41), 4), (42, 16), (43, 24)])
  func vectorLeaves(_ seed: UInt64, _ points: Int) {
    var g = SeededRandom(seed: seed)
    for trial in 0..<25 {
      let (f, x) = RandomFunction.randomWithPoint(inputs: 3, outputs: 2, depth: 4, using: &g)
      // Points near x that stay well inside every domain.
      var batch: [[Double]] = [x]
      while batch.count < points {
        let p = x.map { $0 * (1 + Double.random(in: -0.01...0.01, using: &g)) }
        if f.isWellInside(p) { batch.append(p) }
      }
      let leaves = (0..<3).map { j in Tensor(batch.map { $0[j] }, requiresGrad: true) }
      let outputs = f(leaves)
      for i in 0..<2 {
        let grads: [Tensor<Double>]
        if outputs[i].requiresGrad {
          grads = gradients(of: outputs[i].sum(), wrt: leaves, retainGraph: true)
        } else {
          grads = leaves.map { Tensor.zeros($0.shape) }
        }
        for (p, point) in batch.enumerated() {
          let J = jacobian(at: point, mode: .forward, of: f)
          let value = f(point)[i]
          let got = outputs[i].scalarCount == 1 ? outputs[i].scalars[0] : outputs[i].scalars[p]
          #expect(Self.agree(got, value), "seed \(seed) trial \(trial) point \(p) output \(i)")
          for j in 0..<3 {
            #expect(
              Self.agree(grads[j].scalars[p], J[i, j]),
              "seed \(seed) trial \(trial) point \(p) ∂f\(i)/∂x\(j): \(grads[j].scalars[p]) vs \(J[i, j])\n\(f)")
          }
        }
      }
    }
  }
}
