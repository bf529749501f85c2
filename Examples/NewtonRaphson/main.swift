import Leibniz
func f<T: Differentiable>(_ x: T) -> T { sin(x) * exp(x) / (1 + x * x) + pow(x, 2) + abs(x) + T(2.5) }
let a = Dual<Double>(1.0)
let b = Dual<Double>(2)
let c: Dual<Double> = 3
print(a, b, c, derivative(at: 1.0, of: f), derivative(at: 1.0) { x in derivative(at: x, of: f) })
let d = derivative(at: 1.0) { x in x * derivative(at: Dual(1.0)) { y in Dual(x) + y } }
print(d, max(a, b), pow(a, 2), pow(a, 2.0))
