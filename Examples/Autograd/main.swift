// Reverse mode with Tensor: the first cases of PyTorch's autograd tutorial,
// written with Leibniz.
import Leibniz

// 1. out = mean(3·(x + 2)²) for x = ones(2×2): out = 27, ∂out/∂x = 4.5.
let x = Tensor<Double>.ones([2, 2], requiresGrad: true)
let y = x + 2
let z = y * y * 3
let out = z.mean()
print("out =", out.scalar)                                 // 27.0
print("y.gradFunction =", y.gradFunction ?? "nil")         // AddBackward
print("z.gradFunction =", z.gradFunction ?? "nil")         // MulBackward
print("out.gradFunction =", out.gradFunction ?? "nil")     // MeanBackward
print("x.gradFunction =", x.gradFunction ?? "nil (leaf)")  // nil
out.backward()
print("x.grad =", x.grad!)                                 // [[4.5, 4.5], [4.5, 4.5]]

// 2. z = sum(x²): ∂z/∂x = 2x.
let m = Tensor<Double>([[1, 0], [-1, 1]], requiresGrad: true)
(m * m).sum().backward()
print("grad of sum(x²) =", m.grad!)                        // [[2, 0], [-2, 2]]

// 3. A vector–Jacobian product: y = 2^k·x, seeded with v.
let v = Tensor<Double>([0.4, -1.3, 0.7], requiresGrad: true)
var doubled = v * 2
var k = 1
while sqrt((doubled * doubled).sum()).scalar < 1000 {
  doubled = doubled * 2
  k += 1
}
doubled.backward(seed: [0.1, 1.0, 0.001])
print("k =", k, "v.grad =", v.grad!)                       // 2^k·[0.1, 1, 0.001]

// 4. The recorded graph, in Graphviz DOT (render with `dot -Tsvg`).
let a = Tensor(2.0, requiresGrad: true)
let b = sin(a) * a + 1
print(b.graphvizDOT())

// 5. No recording inside withoutGradients; detached() cuts a tensor loose.
withoutGradients {
  let c = a * 3
  print("inside withoutGradients: requiresGrad =", c.requiresGrad)   // false
}
let d = (a * a).detached()
print("detached: requiresGrad =", d.requiresGrad)                    // false

// 6. Gradients without touching .grad (PyTorch's autograd.grad).
let p = Tensor(3.0, requiresGrad: true), q = Tensor(4.0, requiresGrad: true)
let g = gradients(of: p * q + q, wrt: [p, q])
print("∂/∂p =", g[0].scalar, "∂/∂q =", g[1].scalar)                  // 4.0 4.0
