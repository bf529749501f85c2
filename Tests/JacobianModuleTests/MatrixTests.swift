import Leibniz
import Testing

@Suite("Matrix (JacobianModule)")
struct MatrixTests {
  @Test func emptyMatrix() {
    let m = Matrix<Double>(rows: 0, columns: 3, elements: [])
    #expect(m.rows == 0 && m.columns == 3)
    #expect([[Double]](m).isEmpty)
    #expect(m.description == "0×3 matrix")
  }

  @Test func elementRowAndColumnAccess() {
    var m = Matrix([[1.0, 2, 3], [4, 5, 6]])
    #expect(m.rows == 2 && m.columns == 3)
    #expect(m[1, 2] == 6)
    #expect(m.row(0) == [1, 2, 3])
    #expect(m.column(1) == [2, 5])
    m[0, 1] = -2
    #expect(m.elements == [1, -2, 3, 4, 5, 6])
    #expect([[Double]](m) == [[1, -2, 3], [4, 5, 6]])
    #expect(m.rowArrays == [[1, -2, 3], [4, 5, 6]])
    #expect(m.transposed() == Matrix([[1.0, 4], [-2, 5], [3, 6]]))
    #expect(m.map { Float($0) }[1, 0] == Float(4))
  }

  @Test func products() {
    let m = Matrix([[1.0, 2], [3, 4], [5, 6]])
    #expect(m * [1, -1] == [-1, -1, -1])
    #expect([1, 0, 2] * m == [11, 14])
  }

  @Test func descriptionAlignsColumns() {
    let m = Matrix([[1.0, -0.25], [1234.5, 3.14159265358979]])
    let expected = """
      2×2 matrix
      [      1    -0.25 ]
      [ 1234.5 3.141593 ]
      """
    #expect(m.description == expected)
    #expect(Matrix([[1e-9, 2.5e12]]).description == "1×2 matrix\n[ 1e-9 2.5e+12 ]")
  }

  @Test func outOfRangeStops() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let m = Matrix([[1.0, 2], [3, 4]])
      _ = m[2, 0]
    }
    #expect(standardError(result).contains("Matrix subscript: index (2, 0) is outside a 2×2 matrix"))
  }

  @Test func negativeShapeStopsNamingTheShape() async {
    // A message naming the shape, not a trap inside Array(repeating:count:) that names no
    // matrix, nor, for elements, "2×-3 needs 0 elements, got 0", which reads as satisfied.
    let repeating = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Matrix(rows: -1, columns: 3, repeating: 0.0)
    }
    #expect(standardError(repeating).contains("Matrix(rows:columns:repeating:): -1×3 is not a shape: rows and columns must not be negative"))
    let elements = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Matrix<Double>(rows: 2, columns: -3, elements: [])
    }
    #expect(standardError(elements).contains("Matrix(rows:columns:elements:): 2×-3 is not a shape: rows and columns must not be negative"))
  }

  @Test func raggedRowsStop() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Matrix([[1.0, 2], [3]])
    }
    #expect(standardError(result).contains("Matrix([[Scalar]]): row 1 has 1 entries, row 0 has 2"))
  }

  @Test func mismatchedProductStops() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Matrix([[1.0, 2], [3, 4]]) * [1.0, 2, 3]
    }
    #expect(standardError(result).contains("Matrix * vector: a 2×2 matrix times a vector of length 3"))
  }
}
