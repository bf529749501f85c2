import Leibniz
import Testing
import _LeibnizTestSupport

/// A function that keeps a value from its first reverse-mode call in a cache
/// and uses it in later calls: f = [c·x₀, x₁·x₂] with c = x₀ of the first call.
final class CachingFunction: VectorFunction, @unchecked Sendable {
  var cache: Any?
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    let c = (cache as? T) ?? x[0]
    if cache == nil { cache = x[0] }
    return [c * x[0], x[1] * x[2]]
  }
}

/// The same, with the kept value used alone (no operation with a value of the
/// current call), then returned: no combination reveals it, the identity does.
final class CachingAlone: VectorFunction, @unchecked Sendable {
  var cache: Any?
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    let c = (cache as? T) ?? x[0]
    if cache == nil { cache = x[0] }
    return [sin(c), x[1]]
  }
}

/// Returns one output at one evaluation and two at the next.
final class GrowingFunction: VectorFunction, @unchecked Sendable {
  var calls = 0
  func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] {
    calls += 1
    return calls <= 1 ? [x[0] * x[1]] : [x[0], x[1]]
  }
}

@Suite("Bad input stops with a message naming the operation")
struct BadInputTests {
  @Test func valueKeptFromAnEarlierReverseCallStops() async {
    for _ in 0..<2 {
      let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let f = CachingFunction()
        _ = jacobian(at: [2.0, 3.0, 5.0], mode: .reverse, of: f)
        // The second call's recording may reuse the first one's memory.
        _ = jacobian(at: [2.0, 3.0, 5.0], mode: .reverse, of: f)
      }
      #expect(standardError(r).contains("ReverseScalar: a value from an earlier reverse-mode call was used in a later one"))
    }
    let alone = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let f = CachingAlone()
      _ = jacobian(at: [2.0, 3.0], mode: .reverse, of: f)
      _ = jacobian(at: [2.0, 3.0], mode: .reverse, of: f)
    }
    #expect(standardError(alone).contains("ReverseScalar: a value from an earlier reverse-mode call was used in a later one"))
  }

  @Test func valueUsedAfterItsCallEndedStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let f = CachingAlone()
      _ = jacobian(at: [2.0, 3.0], mode: .reverse, of: f)
      // Outside any call: the recording's tape is idle.
      _ = sin(f.cache as! ReverseScalar<Double>)
    }
    #expect(standardError(r).contains("ReverseScalar: a value from an earlier reverse-mode call was used in a later one"))
    // An operation on one slot twice writes no entry either, and stops too.
    let square = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let f = CachingAlone()
      _ = jacobian(at: [2.0, 3.0], mode: .reverse, of: f)
      let c = f.cache as! ReverseScalar<Double>
      _ = c * c
    }
    #expect(standardError(square).contains("ReverseScalar: a value from an earlier reverse-mode call was used in a later one"))
  }

  @Test func forwardModeKeepsNoRecordingToConfuse() {
    // Forward mode has no recording: the kept dual is an ordinary constant-free
    // value, and the Jacobian is that of the function as written (c = x₀ of
    // the first call carries its tangent along x₀).
    let f = CachingFunction()
    let first = jacobian(at: [2.0, 3.0, 5.0], mode: .forward, of: f)
    #expect([[Double]](first) == [[4, 0, 0], [0, 5, 3]])
  }

  @Test func matrixElementsOfTheWrongCount() async {
    let set = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var m = Matrix(rows: 2, columns: 2, repeating: 0.0)
      m.elements = [1, 2, 3]
    }
    #expect(standardError(set).contains("Matrix.elements: a 2×2 matrix needs 4 elements, got 3"))
    let append = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var m = Matrix(rows: 1, columns: 2, repeating: 0.0)
      m.elements.append(1)
    }
    #expect(standardError(append).contains("Matrix.elements: a 1×2 matrix needs 2 elements, got 3"))
    var m = Matrix(rows: 2, columns: 2, repeating: 0.0)
    m.elements[3] = 7
    m.elements = [1, 2, 3, 4]
    #expect(m[1, 1] == 4)
  }

  @Test func matrixShapeThatOverflows() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Matrix(rows: 1 << 32, columns: 1 << 32, repeating: 0.0)
    }
    #expect(standardError(r).contains("Matrix(rows:columns:repeating:): a 4294967296×4294967296 matrix has more entries than Int can count"))
    let e = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Matrix<Double>(rows: 1 << 32, columns: 1 << 32, elements: [])
    }
    #expect(standardError(e).contains("Matrix(rows:columns:elements:): a 4294967296×4294967296 matrix has more entries than Int can count"))
  }

  @Test func checkDerivativesOnAFunctionWhoseOutputCountChanges() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = checkDerivatives(at: [1.0, 2.0], of: GrowingFunction())
    }
    let message = standardError(r)
    #expect(message.contains("checkDerivatives: the function returned"), "\(message)")
    #expect(message.contains("the output length must not depend on the point"), "\(message)")
  }

  @Test func finiteDifferenceJacobianNamesItself() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var calls = 0
      _ = finiteDifferenceJacobian(at: [1.0, 2.0]) { x in
        calls += 1
        return calls <= 1 ? [x[0]] : [x[0], x[1]]
      }
    }
    #expect(standardError(r).contains("finiteDifferenceJacobian: the function returned 2 outputs in one evaluation and 1 in another"))
  }

  /// At a point with a NaN coordinate, reverse mode gives NaN exactly in the
  /// entries whose local partials involve the NaN; forward mode's tangent sums
  /// add 0·NaN = NaN, so every entry of a row that the NaN reaches is NaN.
  @Test func jacobianAtANaNCoordinate() {
    struct F: VectorFunction {
      func callAsFunction<T: DifferentiableScalar>(_ x: [T]) -> [T] { [x[0] * x[1], x[1] * 2, x[0] + x[1]] }
    }
    let point = [Double.nan, 3.0]
    let forward = [[Double]](jacobian(at: point, mode: .forward, of: F()))
    let reverse = [[Double]](jacobian(at: point, mode: .reverse, of: F()))
    // Row 0, x₀·x₁: ∂/∂x₀ = x₁ = 3, ∂/∂x₁ = x₀ = NaN.
    #expect(reverse[0][0] == 3 && reverse[0][1].isNaN)
    #expect(forward[0][0].isNaN && forward[0][1].isNaN)
    // Rows the NaN does not reach are exact in both modes; a sum's partials
    // are constants, so row 2 is exact too.
    #expect(forward[1] == [0, 2] && reverse[1] == [0, 2])
    #expect(forward[2] == [1, 1] && reverse[2] == [1, 1])
  }
}
