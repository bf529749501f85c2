import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("hessian(at:of:) and hvp (JacobianModule)")
struct HessianTests {
  @Test func rosenbrockByHand() {
    let x = [1.2, 0.9]
    let H = hessian(at: x, of: Rosenbrock2())
    #expect(matricesAgree(H, Rosenbrock2.hessian(x), tolerance: Tolerance.roundoff), "\(H)")
  }

  @Test func symmetricAndEqualToFiniteDifferencesOfTheGradient() {
    let x = [0.2, -0.4, 0.7, 1.1, -0.3]
    let H = hessian(at: x, of: SineChain())
    #expect(H == H.transposed())
    // Finite differences of the hand-derived gradient, an independent reference.
    let fd = finiteDifferenceJacobian(at: x) { SineChain.gradient($0) }
    #expect(matricesAgree(H, fd.rowArrays, tolerance: Tolerance.finiteDifference), "\(H)\n\(fd)")
    // And of Leibniz's own reverse-mode gradient.
    struct G: VectorFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> [T] {
        // ∂/∂xᵢ of SineChain written out, generically.
        let n = x.count
        return (0..<n).map { i in
          cos(x[i]) * x[(i + 1) % n] + sin(x[(i + n - 1) % n]) + 2 * x[i] / (1 + x[i] * x[i])
        }
      }
    }
    #expect(matricesAgree(H, jacobian(at: x, of: G()).rowArrays, tolerance: Tolerance.roundoff))
  }

  @Test func severalChunksOfEightColumnsAgreeWithHVPAndFiniteDifferences() {
    // n = 19: three passes of eight columns (the last one partial).
    let x = (0..<19).map { 0.3 * Double($0 % 7) - 0.8 }
    let H = hessian(at: x, of: SineChain())
    let fd = finiteDifferenceJacobian(at: x) { SineChain.gradient($0) }
    #expect(matricesAgree(H, fd.rowArrays, tolerance: Tolerance.finiteDifference))
    for j in [0, 7, 8, 15, 16, 18] {
      var e = [Double](repeating: 0, count: 19)
      e[j] = 1
      #expect(vectorsAgree(hvp(at: x, direction: e, of: SineChain()), H.column(j), tolerance: Tolerance.roundoff), "column \(j)")
    }
  }

  @Test func hvpEqualsHessianTimesVector() {
    let x = [0.2, -0.4, 0.7, 1.1, -0.3]
    let v = [1.0, -2, 0.5, 0, 3]
    let H = hessian(at: x, of: SineChain())
    #expect(vectorsAgree(hvp(at: x, direction: v, of: SineChain()), H * v, tolerance: Tolerance.roundoff))
  }

  @Test func floatPoint() {
    let H = hessian(at: [Float(1.2), 0.9], of: Rosenbrock2())
    #expect(matricesAgree(H.map { Double($0) }, Rosenbrock2.hessian([Double(Float(1.2)), Double(Float(0.9))]),
                          tolerance: Tolerance.floatRoundoff))
  }

  @Test func mismatchedDirectionStops() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = hvp(at: [1.0, 2.0], direction: [1.0], of: Rosenbrock2())
    }
    #expect(standardError(result).contains("hvp: the point has 2 coordinates but the direction has 1"))
  }
}

@Suite("Hessians through the edges of the rule table (JacobianModule)")
struct HessianRegressionTests {
  /// ∂²(xʸ)/∂x∂y = xʸ⁻¹(1 + y·ln x), which is 1/x at y = 0. The pow rule's edge
  /// convention (∂/∂x = 0 where y = 0) keeps the perturbation of the partial on
  /// dual numbers (forward over reverse); testing `y == 0` on the value alone would
  /// drop it and give H[0, 1] = 0. Both H[0, 1] and H[1, 0] must be 1/x.
  @Test func powHessianAtZeroExponent() {
    struct Power: ScalarFunction {
      func callAsFunction<T: Differentiable>(_ x: [T]) -> T { pow(x[0], x[1]) }
    }
    let H = hessian(at: [1.2, 0.0], of: Power())
    #expect(isClose(H[1, 0], 1 / 1.2, tolerance: Tolerance.roundoff))
    #expect(isClose(H[0, 1], 1 / 1.2, tolerance: Tolerance.roundoff))
  }
}
