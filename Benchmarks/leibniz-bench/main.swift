import Leibniz
func f<T: Differentiable>(_ x: T) -> T { sin(x) * exp(x) / (1 + x * x) + pow(x, 2) + abs(x) + T(2.5) }
func g<T: DifferentiableScalar>(_ x: T) -> T { max(x, 0) * min(x, 1) }
print(f(1.0), g(0.5), abs(-1.0), pow(2.0, 3), exp(1.0), max(1.0, 2.0), min(Float(1), 2))
