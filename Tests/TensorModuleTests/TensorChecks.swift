import Leibniz
import Testing
import _LeibnizTestSupport

// Helpers shared by the tests of the shape conveniences, selection, where,
// arg-extrema and logSoftmax.

/// A random shape of rank `rank` with extents in `extents`.
func randomShape(rank: Int, extents: ClosedRange<Int> = 1...4, using g: inout SeededRandom) -> [Int] {
  (0..<rank).map { _ in Int.random(in: extents, using: &g) }
}

/// The permutation that moves axis `ax` to the front, keeping the others in
/// order, and its inverse.
func moveToFront(_ ax: Int, rank: Int) -> (forward: [Int], inverse: [Int]) {
  let forward = [ax] + (0..<rank).filter { $0 != ax }
  var inverse = forward
  for (i, p) in forward.enumerated() { inverse[p] = i }
  return (forward, inverse)
}

/// The error output of an exit test.
func errorOutput(of result: ExitTest.Result?) -> String {
  String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}

/// Values and gradients of `f` and `g` at the same random input with the same
/// random cotangent: they must agree within roundoff (a new operation
/// against a composition of existing ones).
func expectSameValuesAndGradients(
  shape: [Int], seed: UInt64, _ f: (Tensor<Double>) -> Tensor<Double>, _ g: (Tensor<Double>) -> Tensor<Double>,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  var rng = SeededRandom(seed: seed)
  let x = Tensor<Double>.randomUniform(shape, in: -1...1, requiresGrad: true, using: &rng)
  let (fx, gx) = (f(x), g(x))
  #expect(fx.shape == gx.shape, sourceLocation: sourceLocation)
  #expect(fx.scalars == gx.scalars, sourceLocation: sourceLocation)
  let w = Tensor<Double>.randomUniform(fx.shape, in: 0.5...1.5, using: &rng)
  let df = gradients(of: (fx * w).sum(), wrt: [x])[0]
  let dg = gradients(of: (gx * w).sum(), wrt: [x])[0]
  #expect(df.shape == shape, sourceLocation: sourceLocation)
  for (a, b) in zip(df.scalars, dg.scalars) {
    #expect(isClose(a, b, tolerance: Tolerance.roundoff), sourceLocation: sourceLocation)
  }
}
