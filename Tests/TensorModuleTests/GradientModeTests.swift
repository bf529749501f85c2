import Leibniz
import Testing
import _LeibnizTestSupport

@Suite("Tensor: gradient modes")
struct GradientModeTests {
  @Test func withoutGradientsRecordsNothing() {
    let x = Tensor<Double>([1, 2], requiresGrad: true)
    let s = Tensor(2.0, requiresGrad: true)
    #expect(isRecordingGradients)
    withoutGradients {
      #expect(!isRecordingGradients)
      #expect(!(x * x).requiresGrad)
      #expect(!(s * s).requiresGrad)
      #expect(!sin(x).sum().requiresGrad)
      withoutGradients { #expect(!isRecordingGradients) }
      #expect(!isRecordingGradients)
    }
    #expect(isRecordingGradients)
    #expect((s * s).requiresGrad)
  }

  @Test func anomalyModeStopsAtSqrtOfZeroInBackward() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      withAnomalyDetection {
        let x = Tensor(0.0, requiresGrad: true)
        (sqrt(x) * 2).backward()
      }
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("anomaly: SqrtBackward produced a non-finite gradient"))
  }

  @Test func anomalyModeNamesForwardOperation() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      withAnomalyDetection {
        let x = Tensor<Double>([-1, 1], requiresGrad: true)
        _ = log(x - 1)
      }
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("anomaly: Log"))
  }

  /// A unary operation on a 0-d tensor names one operand shape: `[[]]`, not `[[], []]`.
  @Test func anomalyModeNamesTheOperandsOfA0dOperation() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      withAnomalyDetection {
        let x = Tensor(0.0, requiresGrad: true)
        _ = log(x)
      }
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("anomaly: Log produced -inf in the forward pass (operand shapes [[]])"), "\(text)")
  }

  @Test func anomalyModeAllowsFiniteComputations() {
    withAnomalyDetection {
      let x = Tensor<Double>([1, 2], requiresGrad: true)
      sqrt(x).sum().backward()
      #expect(isClose(x.grad!.scalars[0], 0.5, tolerance: Tolerance.roundoff))
    }
  }

  /// The modes are per thread: while one task computes inside
  /// `withoutGradients`, another records as usual, and vice versa (the
  /// operations skip reading their thread's flags only while no scope is open
  /// anywhere).
  @Test func modesOfConcurrentTasksAreIndependent() async {
    let results = await withTaskGroup(of: (Bool, Int).self) { group in
      for t in 0..<8 {
        group.addTask {
          let x = Tensor(Double(t), requiresGrad: true)
          var recorded = 0
          let inScope = t % 2 == 0
          for _ in 0..<2_000 {
            let y = inScope ? withoutGradients { x * x + 1 } : x * x + 1
            if y.requiresGrad { recorded += 1 }
          }
          return (inScope, recorded)
        }
      }
      var all: [(Bool, Int)] = []
      for await r in group { all.append(r) }
      return all
    }
    for (inScope, recorded) in results {
      #expect(recorded == (inScope ? 0 : 2_000), "inside withoutGradients: \(inScope)")
    }
    #expect(isRecordingGradients)
  }
}
