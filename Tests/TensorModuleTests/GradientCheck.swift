import Leibniz
import Testing
import _LeibnizTestSupport

/// Checks reverse-mode gradients of `f` (any output shape, contracted with a
/// random cotangent) against Richardson finite differences, element by
/// element, at random inputs of the given shapes drawn from `range`.
func checkGradients(
  shapes: [[Int]], range: ClosedRange<Double> = -1...1, seed: UInt64 = 1,
  tolerance: Double = Tolerance.finiteDifference,
  _ f: ([Tensor<Double>]) -> Tensor<Double>,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  var rng = SeededRandom(seed: seed)
  let values: [[Double]] = shapes.map { s in
    (0..<s.reduce(1, *)).map { _ in Double.random(in: range, using: &rng) }
  }
  let leaves = zip(values, shapes).map { Tensor<Double>($0, shape: $1, requiresGrad: true) }
  let out = f(leaves)
  let cotangent = Tensor<Double>(
    (0..<out.scalarCount).map { _ in Double.random(in: 0.5...1.5, using: &rng) }, shape: out.shape)
  let loss = (out * cotangent).sum()
  let grads = gradients(of: loss, wrt: leaves)
  func plainLoss(_ vs: [[Double]]) -> Double {
    withoutGradients {
      (f(zip(vs, shapes).map { Tensor($0, shape: $1) }) * cotangent).sum().scalar
    }
  }
  for j in shapes.indices {
    #expect(grads[j].shape == shapes[j], sourceLocation: sourceLocation)
    for e in values[j].indices {
      let fd = finiteDifferenceDerivative(at: values[j][e]) { t in
        var vs = values
        vs[j][e] = t
        return plainLoss(vs)
      }
      let got = grads[j].scalars[e]
      #expect(
        isClose(got, fd, tolerance: tolerance),
        "input \(j) element \(e): reverse \(got), finite differences \(fd)",
        sourceLocation: sourceLocation)
    }
  }
}
