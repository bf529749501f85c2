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

  @Test func anomalyModeAllowsFiniteComputations() {
    withAnomalyDetection {
      let x = Tensor<Double>([1, 2], requiresGrad: true)
      sqrt(x).sum().backward()
      #expect(isClose(x.grad!.scalars[0], 0.5, tolerance: Tolerance.roundoff))
    }
  }
}
