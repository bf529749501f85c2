import DifferentiableModule
import Synchronization

// MARK: - Gradient state of a tensor

extension Tensor {
  /// Whether gradients are computed for this tensor: true for leaves created
  /// with `requiresGrad: true` and for results of operations on such tensors
  /// (PyTorch's rules). Setting it to true makes a tensor a leaf; setting it
  /// to false detaches the tensor from its graph.
  ///
  /// ```swift
  /// var w = Tensor<Double>.zeros([3])
  /// w.requiresGrad = true
  /// ```
  @inlinable
  public var requiresGrad: Bool {
    get { _node != nil }
    set {
      if newValue {
        if _node == nil { _leaf = LeafBox(zeroDimensional: _storage == nil) }
      } else {
        _node = nil
        _slot = -1
      }
    }
  }

  /// Whether the tensor is a leaf of the graph: not the result of a recorded
  /// operation (constants are leaves too, as in PyTorch).
  ///
  /// ```swift
  /// Tensor(2.0, requiresGrad: true).isLeaf   // true
  /// ```
  @inlinable
  public var isLeaf: Bool { _tape == nil }

  /// The gradient accumulated by backward passes into a leaf that requires
  /// gradients, or into a result after `retainGrad()`; nil before the first
  /// backward pass, after setting it to nil, and for other tensors. Assigning
  /// to the `grad` of any other tensor traps, and so does assigning a
  /// gradient whose shape is not the tensor's.
  ///
  /// ```swift
  /// let x = Tensor(3.0, requiresGrad: true)
  /// (x * x).backward()
  /// x.grad!.scalar     // 6
  /// ```
  @inlinable
  public var grad: Tensor? {
    get {
      if let leaf = _unretainedLeaf { return leaf._withUnsafeGuaranteedRef { $0.grad } }
      return _retainedGradient
    }
    nonmutating set {
      if let g = newValue, g.shape != shape {
        fatalError("Tensor.grad: a gradient of shape \(g.shape) cannot be assigned to a tensor of shape \(shape)")
      }
      if let leaf = _unretainedLeaf {
        leaf._withUnsafeGuaranteedRef { $0.grad = newValue }
      } else {
        _setRetainedGradient(newValue)
      }
    }
  }

  /// The gradient box of a leaf, not retained (the tensor holds it).
  @inlinable @inline(__always)
  var _unretainedLeaf: Unmanaged<LeafBox<Scalar>>? {
    guard _slot < 0, _node != nil else { return nil }
    return Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: unsafeBitCast(_node, to: UInt.self)).unsafelyUnwrapped)
  }

  /// Sets the gradient of a result after `retainGrad()`; traps for others.
  @usableFromInline
  func _setRetainedGradient(_ newValue: Tensor?) {
    if let tape = _tape, tape.hasRetained.load(ordering: .acquiring),
      tape.passLock.withLock({ retained in
        guard let box = retained[Int(_slot)] else { return false }
        box.grad = newValue
        return true
      })
    {
      return
    }
    fatalError("""
      Tensor.grad: only a leaf that requires gradients, or a result after retainGrad(), \
      stores a gradient (shape \(shape))
      """)
  }

  /// Makes backward passes store this result's gradient in its `grad` too,
  /// accumulating like a leaf's (PyTorch's `retain_grad()`), to inspect the
  /// gradient at an intermediate value. A backward pass that does not reach
  /// the result (its gradient there is zero) leaves `grad` as it is. Nothing
  /// for leaves and constants.
  ///
  /// ```swift
  /// let h = tanh(x * w)
  /// h.retainGrad()
  /// (h * h).sum().backward()
  /// h.grad!            // 2h
  /// ```
  public func retainGrad() {
    guard let tape = _tape else { return }
    let shape = self.shape, slot = Int(_slot)
    tape.passLock.withLock { retained in
      if retained[slot] == nil { retained[slot] = RetainedGradient(shape: shape) }
    }
    tape.hasRetained.store(true, ordering: .releasing)
  }

  /// The gradient of a result after `retainGrad()` (nil otherwise).
  @inlinable
  var _retainedGradient: Tensor? {
    guard let tape = _tape, tape.hasRetained.load(ordering: .acquiring) else { return nil }
    return tape.passLock.withLock { $0[Int(_slot)]?.grad }
  }

  /// Resets the accumulated gradient of a leaf (or of a result after
  /// `retainGrad()`) to zeros of its shape (nothing if it has none yet).
  /// Equivalent to `grad = nil` for the next backward pass.
  ///
  /// ```swift
  /// w.zeroGrad()
  /// ```
  @inlinable
  public func zeroGrad() {
    if grad != nil { grad = Tensor.zeros(shape) }
  }

  /// The name of the backward function of a recorded result (`"MulBackward"`,
  /// `"SumBackward"`, …), nil for leaves and constants (PyTorch's `grad_fn`).
  ///
  /// ```swift
  /// (x * 2).gradFunction     // "MulBackward"
  /// ```
  public var gradFunction: String? {
    guard let tape = _tape else { return nil }
    return tape.opName(Int(_slot))
  }

  /// The same values cut from the graph: a constant that does not require
  /// gradients.
  ///
  /// ```swift
  /// let c = y.detached()     // c.requiresGrad == false
  /// ```
  @inlinable
  public func detached() -> Tensor { _constant }
}

// MARK: - Backward

extension Tensor {
  /// Back-propagates from this tensor and accumulates, into the `grad` of every
  /// leaf requiring gradients that it depends on, the vector–Jacobian product
  /// `seedᵀ·∂self/∂leaf`.
  ///
  /// ```swift
  /// let x = Tensor<Double>([[1, 0], [-1, 1]], requiresGrad: true)
  /// (x * x).sum().backward()
  /// x.grad!.scalars            // [2, 0, -2, 2]
  /// y.backward(seed: [0.1, 1.0, 0.001])   // vᵀ·J for a 3-vector y
  /// ```
  ///
  /// - Parameters:
  ///   - seed: the cotangent, of the shape of `self`; may be omitted (it is 1)
  ///     when `self` has one element. A literal is a 0-d seed, broadcast.
  ///   - retainGraph: keep the graph for a further backward pass; without it a
  ///     second pass through the same operations traps.
  ///
  /// Traps (no throws) when `self` does not require gradients, when `self` has
  /// more than one element and no seed is given, when the seed's shape does not
  /// match (a 0-d seed is broadcast), when the seed is not finite, and when the
  /// graph was consumed. Leaves that `self` depends on receive a gradient even
  /// where it is zero; the `grad` of other leaves (of another graph whose
  /// results are alive on this thread) is left alone.
  ///
  /// See also: `gradients(of:wrt:seed:)` (leaves' `grad` untouched).
  @inlinable
  public func backward(seed: Tensor? = nil, retainGraph: Bool = false) {
    let seedValue = _checkedSeed(seed, operation: "backward")
    if let leaf = _leaf {
      leaf.accumulate(seedValue)
      return
    }
    let tape = _tape!
    let top = Int(_slot)
    tape.backwardPass(
      seeds: [(top, seedValue)], retainGraph: retainGraph, operation: "backward", leaf: { $0.accumulate($1) }
    ) { tape, adj, nd, out, retained in
      // Retained results that this pass reached (as in PyTorch, one it does
      // not reach keeps its grad; "reached" is judged by a nonzero adjoint,
      // on every path, since the 0-d sweeps cannot tell a zero adjoint from
      // none).
      for (s, box) in retained where s <= out {
        let g: Tensor
        if tape.isScalarSlot(s) {
          guard (0..<_elementCount(box.shape)).contains(where: { !adj[s + $0].isIdenticallyZero }) else { continue }
          g = Tensor._gathered(adj + s, shape: box.shape)
        } else {
          guard let t = nd[s], t._withScalars({ p, n in (0..<n).contains { !p[$0].isIdenticallyZero } }) else {
            continue
          }
          g = t
        }
        box.grad = _accumulated(box.grad, g)
      }
    }
  }

  /// `backward(seed: nil, retainGraph: false)`: back-propagates from a
  /// one-element tensor with seed 1 (see `backward(seed:retainGraph:)`).
  ///
  /// ```swift
  /// (x * x).sum().backward()
  /// ```
  @inlinable
  public func backward() { backward(seed: nil, retainGraph: false) }

  /// `backward(seed: seed, retainGraph: false)`: vᵀ·J with `v = seed` (see
  /// `backward(seed:retainGraph:)`).
  ///
  /// ```swift
  /// y.backward(seed: [0.1, 1.0, 0.001])
  /// ```
  @inlinable
  public func backward(seed: Tensor) { backward(seed: seed, retainGraph: false) }

  /// Validates a seed for `self` (traps with a message otherwise).
  @inlinable
  func _checkedSeed(_ seed: Tensor?, operation: String) -> Tensor {
    guard _requiresGrad else {
      fatalError("""
        \(operation): the tensor of shape \(shape) does not require gradients \
        (no path to a tensor with requiresGrad: true)
        """)
    }
    guard var s = seed?._constant else {
      guard scalarCount == 1 else {
        fatalError("\(operation): the tensor has shape \(shape); a non-scalar needs backward(seed:) with a seed of that shape")
      }
      return shape.isEmpty ? Tensor(_value: 1) : Tensor.ones(shape)
    }
    if s.shape != shape {
      guard s.shape.isEmpty else {
        fatalError("\(operation)(seed:): the seed has shape \(s.shape) but the tensor has shape \(shape)")
      }
      s = shape.isEmpty ? s : Tensor.full(s._value, shape: shape)
    }
    s._withScalars { p, n in
      for i in 0..<n where !p[i].primalDouble.isFinite {
        fatalError("\(operation)(seed:): the seed is not finite (\(p[i].primalDouble) at element \(i) of shape \(shape))")
      }
    }
    return s
  }
}

extension Tensor {
  /// A tensor of `shape` holding the adjoints of consecutive slots.
  @inlinable
  static func _gathered(_ p: UnsafeMutablePointer<Scalar>, shape: [Int]) -> Tensor {
    if shape.isEmpty { return Tensor(_value: p[0]) }
    return Tensor(_shape: shape) { q, n in q.update(from: p, count: n) }
  }
}

@inlinable
func _accumulated<Scalar>(_ old: Tensor<Scalar>?, _ g: Tensor<Scalar>) -> Tensor<Scalar> {
  guard let old else { return g }
  return old._constant + g
}

// MARK: - gradients(of:wrt:)

/// The gradients of `output` with respect to `inputs` (leaves, or results on
/// the same graph), without touching any `grad` (PyTorch's `autograd.grad`):
/// `result[j] = seedᵀ·∂output/∂inputs[j]`, of the shape of `inputs[j]`.
///
/// ```swift
/// let x = Tensor(2.0, requiresGrad: true), y = Tensor(3.0, requiresGrad: true)
/// let g = gradients(of: x * y, wrt: [x, y])    // [3, 2]
/// ```
///
/// Inputs that do not influence `output` (or do not require gradients) get
/// zeros. Traps like `backward(seed:)`. The graph is consumed unless
/// `retainGraph` is true.
@inlinable
public func gradients<Scalar>(
  of output: Tensor<Scalar>, wrt inputs: [Tensor<Scalar>], seed: Tensor<Scalar>? = nil,
  retainGraph: Bool = false
) -> [Tensor<Scalar>] {
  let seedValue = output._checkedSeed(seed, operation: "gradients(of:wrt:)")
  guard let tape = output._tape else {
    return inputs.map { $0._leaf != nil && $0._leaf === output._leaf ? seedValue : Tensor.zeros($0.shape) }
  }
  var result = inputs.map { _ in Tensor<Scalar>?.none }
  tape.backwardPass(
    seeds: [(Int(output._slot), seedValue)], retainGraph: retainGraph, operation: "gradients(of:wrt:)",
    keptSlots: { t in
      Set(inputs.compactMap { x in x._tape === t && x._storage != nil ? Int(x._slot) : nil })
    },
    leaf: { box, g in
      for (j, input) in inputs.enumerated() where input._leaf === box { result[j] = g }
    }
  ) { tape, adj, nd, out, _ in
    for (j, input) in inputs.enumerated() where input._tape === tape {
      let s = input._slot
      let g: Tensor<Scalar>
      if tape.isScalarSlot(Int(s)) {
        g = Tensor._gathered(adj + Int(s), shape: input.shape)
      } else {
        guard let t = nd[Int(s)] else { continue }
        g = t
      }
      result[j] = g
    }
  }
  return zip(inputs, result).map { input, g in g ?? Tensor.zeros(input.shape) }
}

extension Tensor {
  /// `gradients(of:wrt:seed:)` spelled as a static method.
  ///
  /// ```swift
  /// Tensor.gradients(of: loss, wrt: [w, b])
  /// ```
  @inlinable
  public static func gradients(
    of output: Tensor, wrt inputs: [Tensor], seed: Tensor? = nil, retainGraph: Bool = false
  ) -> [Tensor] {
    TensorModule.gradients(of: output, wrt: inputs, seed: seed, retainGraph: retainGraph)
  }
}
