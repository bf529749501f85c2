import Testing
import DifferentiableModule
import DualModule

@Suite("Dual: storage, literals, ordering, hashing")
struct DualTests {
  @Test func initDefaultsToConstant() {
    let x = Dual<Double>(3.0)
    #expect(x.value == 3)
    #expect(x.tangent == 0)
    let y = Dual(3.0, tangent: 2)
    #expect(y.tangent == 2)
  }

  @Test func nestedDualLiftsOuterValueAsConstant() {
    let inner = Dual(2.0, tangent: 1)
    let outer = Dual<Dual<Double>>(inner)
    #expect(outer.value.value == 2)
    #expect(outer.value.tangent == 1)
    #expect(outer.tangent.value == 0 && outer.tangent.tangent == 0)
  }

  @Test func literalsAndDoubleLiftHaveZeroTangent() {
    let a: Dual<Double> = 3
    let b: Dual<Double> = 2.5
    let c = Dual<Float>(0.25 as Double)
    #expect(a.value == 3 && a.tangent == 0)
    #expect(b.value == 2.5 && b.tangent == 0)
    #expect(c.value == 0.25 && c.tangent == 0)
  }

  @Test func arithmeticCarriesTangents() {
    let x = Dual(3.0, tangent: 1), y = Dual(2.0, tangent: -1)
    #expect((x + y).tangent == 0)
    #expect((x - y).tangent == 2)
    // u′v + uv′ = 1·2 + 3·(−1)
    #expect((x * y).tangent == -1)
    // (u′v − uv′)/v² = (1·2 − 3·(−1))/4
    #expect((x / y).tangent == 1.25)
    #expect((-x).tangent == -1)
    var z = x
    z += y; z -= y; z *= y; z /= y
    #expect(z.value == 3 && z.tangent == 1)
  }

  @Test func comparisonsUseValuesOnly() {
    let a = Dual(1.0, tangent: 5), b = Dual(1.0, tangent: -5), c = Dual<Double>(2.0)
    #expect(a == b)
    #expect(a < c && !(c < a))
    #expect(max(a, c) == c && min(a, c) == a)
  }

  @Test func hashingAgreesWithEquality() {
    let a = Dual(1.0, tangent: 5), b = Dual(1.0, tangent: -5)
    #expect(a.hashValue == b.hashValue)
    #expect(Set([a, b, Dual<Double>(2.0)]).count == 2)
  }

  @Test func description() {
    #expect(Dual(4.0, tangent: 3).description == "4.0 + 3.0ε")
  }

  @Test func sendableAcrossTasks() async {
    let x = Dual(2.0, tangent: 1)
    let y = await Task.detached { x * x }.value
    #expect(y.tangent == 4)
  }
}
