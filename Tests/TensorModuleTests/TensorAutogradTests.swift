import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: autograd state")
struct TensorAutogradTests {
  @Test func requiresGradFollowsPyTorchRules() {
    let x = Tensor<Double>([1, 2], requiresGrad: true)
    let c = Tensor<Double>([3, 4])
    #expect(x.requiresGrad && x.isLeaf)
    #expect(!c.requiresGrad && c.isLeaf)
    let y = x * c
    #expect(y.requiresGrad && !y.isLeaf)
    #expect(!(c * c).requiresGrad)
    #expect((c * c).gradFunction == nil)
    var d = y
    d.requiresGrad = false
    #expect(!d.requiresGrad && d.gradFunction == nil)
    var e = c
    e.requiresGrad = true
    #expect(e.requiresGrad && e.isLeaf)
  }

  @Test func gradFunctionNames() {
    let x = Tensor<Double>([1, 2], requiresGrad: true)
    let s = Tensor(2.0, requiresGrad: true)
    #expect((x + x).gradFunction == "AddBackward")
    #expect((x - x).gradFunction == "SubBackward")
    #expect((x * x).gradFunction == "MulBackward")
    #expect((x / x).gradFunction == "DivBackward")
    #expect(sin(x).gradFunction == "SinBackward")
    #expect(x.sum().gradFunction == "SumBackward")
    #expect(matmul(x.reshaped(to: [1, 2]), x.reshaped(to: [2, 1])).gradFunction == "MatmulBackward")
    #expect((s * s).gradFunction == "MulBackward")
    #expect(sqrt(s).gradFunction == "SqrtBackward")
    #expect(x.gradFunction == nil && s.gradFunction == nil)
  }

  @Test func detachedCutsTheGraph() {
    let x = Tensor(3.0, requiresGrad: true)
    let y = x * x
    let z = y.detached() * x     // d/dx = y = 9 (y treated as a constant)
    z.backward()
    #expect(x.grad!.scalar == 9)
    #expect(!y.detached().requiresGrad)
  }

  @Test func gradientsOfWrtDoNotTouchGrad() {
    let x = Tensor(2.0, requiresGrad: true), y = Tensor(3.0, requiresGrad: true)
    let unused = Tensor(5.0, requiresGrad: true)
    let g = gradients(of: x * y, wrt: [x, y, unused])
    #expect(g.map(\.scalar) == [3, 2, 0])
    #expect(x.grad == nil && y.grad == nil)
    let v = Tensor<Double>([1, 2, 3], requiresGrad: true)
    let gv = Tensor.gradients(of: v * v, wrt: [v], seed: [1, 0, 1])
    #expect(gv[0].scalars == [2, 0, 6])
    // An intermediate result as input.
    let a = Tensor(2.0, requiresGrad: true)
    let b = a * a
    #expect(gradients(of: b * 3, wrt: [b, a]).map(\.scalar) == [3, 12])
    // A leaf output.
    #expect(gradients(of: a, wrt: [a, x]).map(\.scalar) == [1, 0])
  }

  @Test func backwardOnLeafAndOnUnusedLeaf() {
    let x = Tensor(2.0, requiresGrad: true)
    x.backward()
    #expect(x.grad!.scalar == 1)
    let v = Tensor<Double>([1, 2], requiresGrad: true)
    let w = Tensor<Double>([5, 5], requiresGrad: true)
    _ = w * 2     // recorded on the same thread tape but unrelated to the loss
    (v * v).sum().backward()
    #expect(v.grad!.scalars == [2, 4])
  }

  @Test func forwardOverReverseGivesHessian() {
    // f(x, y) = x²y + sin(xy); ∂²f/∂x² = 2y − y² sin(xy); ∂²f/∂x∂y = 2x + cos(xy) − xy sin(xy)
    typealias D = Dual<Double>
    let (a, b) = (0.7, 1.3)
    let x = Tensor(D(a, tangent: 1), requiresGrad: true)
    let y = Tensor(D(b, tangent: 0), requiresGrad: true)
    let f = x * x * y + sin(x * y)
    let g = gradients(of: f, wrt: [x, y])
    #expect(isClose(g[0].scalar.value, 2 * a * b + b * cos(a * b), tolerance: Tolerance.roundoff))
    #expect(isClose(g[0].scalar.tangent, 2 * b - b * b * sin(a * b), tolerance: Tolerance.roundoff))
    #expect(isClose(g[1].scalar.tangent, 2 * a + cos(a * b) - a * b * sin(a * b), tolerance: Tolerance.roundoff))
    // And on the n-d path.
    let v = Tensor<D>([D(a, tangent: 1), D(b, tangent: 0)], shape: [2], requiresGrad: true)
    let h = (v * v * v).sum()    // ∂/∂vᵢ = 3vᵢ², Hessian diag 6vᵢ
    h.backward()
    #expect(isClose(v.grad!.scalars[0].tangent, 6 * a, tolerance: Tolerance.roundoff))
    #expect(v.grad!.scalars[1].tangent == 0)
  }

  @Test func forwardOverReversePowKeepsMixedPartialAtZeroExponent() {
    // ∂²xʸ/∂x∂y = xʸ⁻¹(1 + y·ln x) = 1/x at y = 0.
    typealias D = Dual<Double>
    let x = Tensor(D(2, tangent: 0), requiresGrad: true)
    let y = Tensor(D(0, tangent: 1), requiresGrad: true)
    let g = gradients(of: pow(x, y), wrt: [x, y])
    #expect(g[0].scalar.value == 0)
    #expect(isClose(g[0].scalar.tangent, 0.5, tolerance: Tolerance.roundoff))
    #expect(isClose(g[1].scalar.value, Double.log(2), tolerance: Tolerance.roundoff))
  }

  @Test func trainingLoopHoldsSteadyMemory() {
    // Each epoch's tape dies with its last intermediate result; the leaves
    // keep no tape alive. Observe it through a weak reference to a tape via
    // the graph's recorded state: after the loop only the current epoch's
    // results exist, so the number of slots on the final tape is one epoch's.
    let X: Tensor<Double> = [[1], [2], [3]]
    let y: Tensor<Double> = [[2], [4], [6]]
    var w = Tensor<Double>.zeros([1, 1], requiresGrad: true)
    var lastDOT = ""
    for step in 0..<2000 {
      let loss = ((matmul(X, w) - y) * (matmul(X, w) - y)).mean()
      loss.backward()
      withoutGradients { w -= 0.01 * w.grad! }
      w.zeroGrad()
      if step == 1999 { lastDOT = loss.graphvizDOT() }
    }
    // One epoch records: leaf, 2 matmul, 2 sub, mul, mean = 7 nodes (a tape
    // shared across epochs would number its slots in the thousands).
    #expect(lastDOT.split(separator: "\n").filter { $0.contains("[label=") }.count == 7)
    #expect(!lastDOT.contains("n100"))
  }
}

@Suite("Tensor: gradients with respect to intermediate results")
struct TensorIntermediateGradientTests {
  @Test func arrayIntermediateKeepsItsAdjoint() {
    let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
    let h = sin(x) * 2          // an n-d intermediate
    let loss = (h * h).sum()
    let g = gradients(of: loss, wrt: [h, x])
    #expect(g[0].scalars == h.scalars.map { 2 * $0 })
    for (i, v) in [1.0, 2.0, 3.0].enumerated() {
      #expect(isClose(g[1].scalars[i], 8 * Double.sin(v) * Double.cos(v), tolerance: Tolerance.roundoff))
    }
  }

  @Test func seedTensorIsNotModifiedBySweep() {
    let x = Tensor<Double>([1, 2], requiresGrad: true)
    let seed = Tensor<Double>([1, 1])
    (x * 3 + 1).backward(seed: seed)
    #expect(seed.scalars == [1, 1])
    #expect(x.grad!.scalars == [3, 3])
  }
}

@Suite("Tensor: operations the output does not depend on")
struct TensorUnrelatedOperationsTests {
  @Test func anInfinitePartialOfAnUnrelatedOperationLeavesTheGradientAlone() {
    // √x at 0 has an infinite partial; `s` stays alive on the same tape, but
    // the output does not depend on it, so it must add nothing (not 0·∞ = NaN).
    let x = Tensor<Double>(0.0, requiresGrad: true)
    let s = sqrt(x)
    (x * 2).backward()
    #expect(x.grad!.scalar == 2)
    #expect(s.scalar == 0)
  }

  @Test func theSameForVectorsAndForGradientsOf() {
    let v = Tensor<Double>([0, 1], shape: [2], requiresGrad: true)
    let l = log(v)
    (v * 3).sum().backward()
    #expect(v.grad!.scalars == [3, 3])
    #expect(l.scalars[1] == 0)
    let w = Tensor<Double>(2.0, requiresGrad: true)
    let a = asin(w)   // NaN value and partial, unrelated to the output
    let g = gradients(of: w * w, wrt: [w])
    #expect(g[0].scalar == 4)
    #expect(a.scalar.isNaN)
  }

  @Test func nestedTiesSplitInnerDerivativesLikeDual() {
    // Tensor<Dual>: max of two tied values with inner tangents 1 and 0 has the
    // inner tangent 0.5, as Dual's max does.
    let a = Tensor<Dual<Double>>(Dual(1.0, tangent: 1))
    let b = Tensor<Dual<Double>>(Dual(1.0, tangent: 0))
    #expect(Tensor.maximum(a, b).scalar.tangent == 0.5)
    #expect(Tensor.minimum(a, b).scalar.tangent == 0.5)
    #expect(max(Dual(1.0, tangent: 1), Dual(1.0, tangent: 0)).tangent == 0.5)
  }
}
