import Leibniz
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// W4 tensor training step: MLP 256 → 256 → 256 → 10, batch 64, tanh after the
// two hidden layers, mean squared error against fixed targets. Plus the
// GFLOP/s of 512×512 Double and Float matrix products.

struct W4Model {
  var weights: [Tensor<Double>]
  var biases: [Tensor<Double>]
  let input: Tensor<Double>
  let target: Tensor<Double>

  init() {
    let sizes = [256, 256, 256, 10]
    weights = (0..<3).map { k in
      let (m, n) = (sizes[k], sizes[k + 1])
      var w = [Double](repeating: 0, count: m * n)
      for i in 0..<m { for j in 0..<n { w[i * n + j] = Double.sin(Double(k * 1000 + i * 7 + j)) * 0.05 } }
      return Tensor(w, shape: [m, n], requiresGrad: true)
    }
    biases = (0..<3).map { k in
      Tensor((0..<sizes[k + 1]).map { Double.cos(Double(k * 100 + $0)) * 0.01 }, shape: [sizes[k + 1]],
             requiresGrad: true)
    }
    var x = [Double](repeating: 0, count: 64 * 256)
    for b in 0..<64 { for i in 0..<256 { x[b * 256 + i] = Double.sin(Double(b * 3 + i) * 0.1) } }
    input = Tensor(x, shape: [64, 256])
    var t = [Double](repeating: 0, count: 64 * 10)
    for b in 0..<64 { for j in 0..<10 { t[b * 10 + j] = Double.cos(Double(b + j * 5) * 0.3) * 0.5 } }
    target = Tensor(t, shape: [64, 10])
  }

  func loss(_ weights: [Tensor<Double>], _ biases: [Tensor<Double>]) -> Tensor<Double> {
    var h = input
    for k in 0..<3 {
      h = matmul(h, weights[k]) + biases[k]
      if k < 2 { h = tanh(h) }
    }
    let d = h - target
    return (d * d).mean()
  }

  /// Forward and backward: the gradients of all weights and biases.
  func step() -> [Tensor<Double>] {
    gradients(of: loss(weights, biases), wrt: weights + biases)
  }

  func forward() -> Double {
    withoutGradients { loss(weights, biases).scalar }
  }
}

@inline(never)
func runW4() {
  let model = W4Model()
  // Check a few gradient elements against central differences of the loss.
  let g = model.step()
  for (p, (k, idx)) in [(0, 5), (1, 300), (2, 17), (3, 3), (5, 9)].enumerated() {
    _ = p
    let isWeight = k < 3
    var params = isWeight ? model.weights : model.biases
    let slot = isWeight ? k : k - 3
    let base = params[slot].scalars
    func lossAt(_ delta: Double) -> Double {
      var v = base
      v[idx] += delta
      params[slot] = Tensor(v, shape: params[slot].shape)
      return withoutGradients {
        isWeight ? model.loss(params, model.biases).scalar : model.loss(model.weights, params).scalar
      }
    }
    let h = 1e-5
    let fd = (lossAt(h) - lossAt(-h)) / (2 * h)
    // Relative: the gradients are 3e-5 to 1.4e-3, so an absolute 1e-7 let
    // a gradient off by a few percent pass. The differences agree to about
    // 1e-12 here (1e-8 relative); the bound leaves 100× room.
    let got = g[k].scalars[idx]
    guard Swift.abs(got - fd) <= 1e-6 * Swift.abs(fd) + 1e-10 else {
      fatalError("benchmark check failed: W4 gradient of parameter \(k) element \(idx) = \(got), central differences \(fd)")
    }
  }
  // The timed bodies read one element of a result through a subscript:
  // `.scalars` would copy the whole result inside the timed region.
  let timings = measureSideBySide(rounds: 11, calls: 5, [
    ("forward only", { blackHole(model.forward()) }),
    ("training step (forward + backward)", { blackHole(model.step()[0][0, 0].scalar) }),
  ])
  printTable("W4 MLP 256-256-256-10, batch 64", unit: "ms", perCall: 1e-3, timings)
  print("step ÷ forward: \(format(ratio(timings[1], to: timings[0])))×")
  printPyTorchW4(forward: timings[0].min * 1e3, step: timings[1].min * 1e3)

  runMatrixProduct(Double.self, numPyType: "float64", tolerance: 1e-12)
  runMatrixProduct(Float.self, numPyType: "float32", tolerance: 1e-4)
}

/// GFLOP/s of a 512×512 matrix product of `S`, beside NumPy's in the same
/// precision when python3 with NumPy is present.
func runMatrixProduct<S: DifferentiableScalar & BinaryFloatingPoint>(
  _: S.Type, numPyType: String, tolerance: Double
) {
  let a = Tensor<S>.randomUniform([512, 512], in: -1...1, seed: 1)
  let b = Tensor<S>.randomUniform([512, 512], in: -1...1, seed: 2)
  // Check one element against a plain dot product in Double.
  let c = matmul(a, b).scalars
  let pa = a.scalars, pb = b.scalars
  var dot = 0.0
  for p in 0..<512 { dot += Double(pa[3 * 512 + p]) * Double(pb[p * 512 + 7]) }
  verify("W4 matmul \(S.self) element [3, 7]", Double(c[3 * 512 + 7]), dot, tolerance: tolerance)
  let mm = measureSideBySide(rounds: 11, calls: 3, [("matmul 512×512 \(S.self)", { blackHole(Double(matmul(a, b)[0, 7].scalar)) })])
  let flops = 2.0 * 512 * 512 * 512
  print("\nW4 matrix product 512×512×512 \(S.self)")
  print("min \(format(mm[0].min * 1e3)) ms, median \(format(mm[0].median * 1e3)) ms: "
    + "\(format(flops / mm[0].min * 1e-9)) GFLOP/s best, \(format(flops / mm[0].median * 1e-9)) GFLOP/s median")
  if let (best, median) = numPyMatmulGFLOPs(numPyType) {
    print("NumPy \(numPyType) measured now (python3, its BLAS): \(format(best)) GFLOP/s best, \(format(median)) GFLOP/s median")
    print("Leibniz ÷ NumPy: \(format(flops / mm[0].min * 1e-9 / best)) best, \(format(flops / mm[0].median * 1e-9 / median)) median")
  } else {
    print("NumPy not available here; the issue's figure for this machine kind is ≈ 95 GFLOP/s (float64)")
  }
}

/// Best and median GFLOP/s of NumPy's 512×512 product in `dtype` (11 rounds
/// of 10), measured by python3 in a subprocess, or nil where python3 or NumPy
/// is missing.
func numPyMatmulGFLOPs(_ dtype: String) -> (best: Double, median: Double)? {
  let script = "import numpy as n,time;a=n.random.rand(512,512).astype(n.\(dtype));b=a.copy();a@b;"
    + "r=[];exec('for _ in range(11):\\n t=time.perf_counter()\\n for _ in range(10): a@b\\n r.append(time.perf_counter()-t)');"
    + "r.sort();f=2*512**3*10/1e9;print(f/r[0],f/r[5])"
  guard let pipe = popen("python3 -c \"\(script)\" 2>/dev/null", "r") else { return nil }
  var line = [CChar](repeating: 0, count: 256)
  let read = fgets(&line, Int32(line.count), pipe) != nil
  pclose(pipe)
  guard read else { return nil }
  let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    .split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
  return fields.count == 2 ? (fields[0], fields[1]) : nil
}

/// The path of `Benchmarks/reference/reference.py` (beside this source tree).
let referenceScript: String = {
  let here = "\(#filePath)"
  let dir = here[..<(here.lastIndex(of: "/") ?? here.endIndex)]
  return dir + "/../reference/reference.py"
}()

/// PyTorch's W4 figures measured now, beside Leibniz's minimum times (ms),
/// when `LEIBNIZ_PYTHON` names a python with PyTorch; else the command that
/// measures them.
func printPyTorchW4(forward: Double, step: Double) {
  guard let python = getenv("LEIBNIZ_PYTHON").map({ String(cString: $0) }), !python.isEmpty,
    let pipe = popen("'\(python)' '\(referenceScript)' torch-w4 2>/dev/null", "r")
  else {
    print("PyTorch: set LEIBNIZ_PYTHON to a python with torch (python3 -m venv DIR; DIR/bin/pip install torch numpy),")
    print("  or run DIR/bin/python Benchmarks/reference/reference.py torch-w4")
    return
  }
  var rows: [String: Double] = [:]
  var line = [CChar](repeating: 0, count: 512)
  while fgets(&line, Int32(line.count), pipe) != nil {
    let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let fields = text.split(separator: "|").map { $0.trimmingCharacters(in: " \n") }
    if fields.count == 5, let best = Double(fields[2]) { rows[fields[1]] = best }
  }
  pclose(pipe)
  guard let torchForward = rows["forward only"], let torchStep = rows["training step (forward + backward)"] else {
    print("PyTorch: \(python) did not measure W4 (is torch installed there?)")
    return
  }
  print("PyTorch measured now (\(python), eager, float64): forward \(format(torchForward)) ms, "
    + "training step \(format(torchStep)) ms")
  print("Leibniz ÷ PyTorch: forward \(format(forward / torchForward)), training step \(format(step / torchStep))")
}

extension Substring {
  /// The substring without leading and trailing characters of `set`.
  fileprivate func trimmingCharacters(in set: String) -> String {
    var s = self[...]
    while let c = s.first, set.contains(c) { s = s.dropFirst() }
    while let c = s.last, set.contains(c) { s = s.dropLast() }
    return String(s)
  }
}
