import DifferentiableModule

// MARK: - The reverse sweep

extension Tape {
  /// Propagates `seed` backward from slot `out` over the entries in reverse
  /// order and calls `body` with the adjoints: `scalar[s]` for 0-d slots,
  /// `array[s]` for n-d slots (nil where no gradient arrived).
  @inlinable
  func propagate<R>(
    from out: Int, seed: Tensor<Scalar>, retainGraph: Bool, operation: String,
    _ body: (UnsafeMutablePointer<Scalar>, [Int: Tensor<Scalar>]) -> R
  ) -> R {
    propagate(from: out, seeds: [(out, seed)], retainGraph: retainGraph, operation: operation, body)
  }

  /// Propagates several seeds (slot, cotangent), all at or below `out`.
  @inlinable
  func propagate<R>(
    from out: Int, seeds: [(Int, Tensor<Scalar>)], retainGraph: Bool, operation: String,
    _ body: (UnsafeMutablePointer<Scalar>, [Int: Tensor<Scalar>]) -> R
  ) -> R {
    for (s, _) in seeds where isConsumed(s) { _consumedFailure(operation, opName(s)) }
    // An output recorded element by element spans several slots.
    var top = out
    for (s, seed) in seeds where isScalarSlot(s) { top = Swift.max(top, s + seed.scalarCount - 1) }
    let out = top
    let n = out + 1
    let adj = UnsafeMutablePointer<Scalar>.allocate(capacity: n)
    adj.initialize(repeating: 0, count: n)
    defer {
      adj.deinitialize(count: n)
      adj.deallocate()
    }
    // Adjoints of n-d slots (nodes and large leaves), by slot: few, so a
    // dictionary (an array over all slots would cost per 0-d entry).
    var nd: [Int: Tensor<Scalar>] = [:]
    for (s, seed) in seeds {
      if isScalarSlot(s) {
        seed._withScalars { p, c in for e in 0..<c { adj[s + e] += p[e] } }
      } else {
        nd[s] = nd[s].map { $0 + seed._constant } ?? seed._constant
      }
    }
    // Consumption is marked per operation, on the operations this pass goes
    // through: another graph on the same tape stays usable, as in PyTorch.
    // An operation already consumed that gradient reaches stops the pass.
    let consume = !retainGraph, checkConsumed = hasConsumed
    let anomalies = checksAnomalies
    reverseSweep(
      UnsafePointer(entries), from: out, downTo: 0, adjoint: { adj + Int($0) },
      visit: { i, g in
        if checkConsumed && isConsumed(i) { _consumedFailure(operation, opName(i)) }
        if consume { ops[i] |= _consumedBit }
        if anomalies { _checkBackward(i, g) }
      },
      other: { i, e in
        // An n-d node (a = -2, b = its index).
        if backwardNode(i, Int(e.b), adj, &nd, operation: operation) && consume {
          // The node's saved values (activations, partials) go now, not
          // when the last result of the graph dies: a kept loss keeps only
          // the record of its graph.
          markConsumed(i)
          nodes[Int(e.b)].releaseSaved()
        }
      })
    if consume {
      hasConsumed = true
      isClosed = true
    }
    return body(adj, nd)
  }

  /// Stops if entry `i` gives an operand a non-finite gradient (anomaly
  /// detection).
  @inlinable
  func _checkBackward(_ i: Int, _ g: Scalar) {
    let e = entries[i]
    let ga = g * e.da, gb = e.b >= 0 ? g * e.db : 0
    if !(ga.primalDouble.isFinite && gb.primalDouble.isFinite) { _backwardAnomaly(i, g) }
  }

  @usableFromInline @inline(never)
  func _backwardAnomaly(_ i: Int, _ g: Scalar) -> Never {
    let e = entries[i]
    _anomaly("""
      anomaly: \(opName(i)) produced a non-finite gradient (incoming gradient \(g.primalDouble), \
      local partials \(e.da.primalDouble)\(e.b >= 0 ? ", \(e.db.primalDouble)" : ""))
      """)
  }

  /// The backward rule of n-d node `k` at slot `i`; false if no gradient
  /// reached the node (nothing to do).
  @inlinable @discardableResult
  func backwardNode(
    _ i: Int, _ k: Int, _ adj: UnsafeMutablePointer<Scalar>, _ nd: inout [Int: Tensor<Scalar>],
    operation: String
  ) -> Bool {
    let node = nodes[k]
    var g: Tensor<Scalar>
    if node.shape.isEmpty {
      if adj[i].isIdenticallyZero { return false }
      g = Tensor(_value: adj[i])
    } else {
      if !keptSlots.isEmpty && keptSlots.contains(i) {
        guard let t = nd[i] else { return false }
        g = t
      } else {
        guard let t = nd.removeValue(forKey: i) else { return false }
        g = t
      }
    }
    if hasConsumed && isConsumed(i) { _consumedFailure(operation, opName(i)) }
    switch node.backward {
    case .elementwise(let pa, let pb):
      let needA = node.a >= 0
      let needB = node.operandCount > 1 && node.b >= 0
      if needA && needB {
        accumulate(i, node, 0, _applyPartial(g, pa, node.shapeA), adj, &nd)
        accumulate(i, node, 1, _applyPartial(g, pb, node.shapeB), adj, &nd)
      } else if needA {
        accumulate(i, node, 0, _applyPartialConsuming(&g, pa, node.shapeA), adj, &nd)
      } else if needB {
        accumulate(i, node, 1, _applyPartialConsuming(&g, pb, node.shapeB), adj, &nd)
      }
    case .custom(let rule):
      let grads = rule(g)
      for j in 0..<Swift.min(node.operandCount, grads.count) where node.operand(j) >= 0 {
        if let gj = grads[j] { accumulate(i, node, j, gj, adj, &nd) }
      }
    }
    return true
  }

  /// Adds the gradient `gj` of operand `j` of `node` (at slot `i`) into its slot.
  @inlinable
  func accumulate(
    _ i: Int, _ node: TapeNode<Scalar>, _ j: Int, _ gj: Tensor<Scalar>,
    _ adj: UnsafeMutablePointer<Scalar>, _ nd: inout [Int: Tensor<Scalar>]
  ) {
    let shape = node.operandShape(j)
    if checksAnomalies {
      gj._withScalars { p, n in
        for q in 0..<n where !p[q].primalDouble.isFinite {
          _anomaly("anomaly: \(opName(i)) produced a non-finite gradient \(p[q].primalDouble) for its operand \(j) of shape \(shape)")
        }
      }
    }
    if gj.shape != shape && !(gj.scalarCount == 1 && shape.isEmpty) {
      fatalError("Tensor internal error: \(opName(i)) returned gradient of shape \(gj.shape) for operand of shape \(shape)")
    }
    let si = Int(node.operand(j))
    if isScalarSlot(si) {
      gj._withScalars { p, c in for e in 0..<c { adj[si + e] += p[e] } }
    } else if var old = nd.removeValue(forKey: si) {
      old._addInPlace(gj)
      nd[si] = old
    } else {
      nd[si] = gj
    }
  }
}

extension Tape {
  /// Which of the slots `0 ..< out + count` the value at slots
  /// `out ..< out + count` depends on, whatever the adjoints: the leaves a
  /// backward pass from it reaches, even with a zero gradient, as opposed to
  /// the leaves of other graphs recorded on the same tape (another result of
  /// the thread still alive), which may be shared with other threads.
  @usableFromInline
  func dependencies(of out: Int, count: Int) -> [Bool] {
    var reached = [Bool](repeating: false, count: out + count)
    for s in out..<out + count { reached[s] = true }
    var i = out + count - 1
    while i >= 0 {
      if reached[i] {
        let e = entries[i]
        if e.a >= 0 {
          reached[Int(e.a)] = true
          if e.b >= 0 { reached[Int(e.b)] = true }
        } else if e.a == -2 {
          let node = nodes[Int(e.b)]
          for j in 0..<node.operandCount where node.operand(j) >= 0 {
            let si = Int(node.operand(j))
            let elements = isScalarSlot(si) ? Swift.max(_elementCount(node.operandShape(j)), 1) : 1
            for q in si..<si + elements { reached[q] = true }
          }
        }
      }
      i -= 1
    }
    return reached
  }
}

extension Tensor {
  /// self += other (same shape), in place when the storage is not shared.
  @inlinable
  mutating func _addInPlace(_ other: Tensor) {
    if _storage != nil && isKnownUniquelyReferenced(&_storage) && other.shape == shape {
      let p = _storage!.base
      other._withScalars { q, n in for i in 0..<n { p[i] += q[i] } }
    } else {
      self = _constant + other
    }
  }
}

/// `_applyPartial` that may reuse the gradient's storage (when not shared).
@inlinable
func _applyPartialConsuming<Scalar>(
  _ g: inout Tensor<Scalar>, _ p: Partial<Scalar>, _ shape: [Int]
) -> Tensor<Scalar> {
  let gShape = g.shape
  guard gShape == shape, g._storage != nil, isKnownUniquelyReferenced(&g._storage) else {
    return _applyPartial(g, p, shape)
  }
  let base = g._storage!.base
  let n = g.scalarCount
  switch p {
  case .one:
    return g
  case .minusOne:
    for i in 0..<n { base[i] = -base[i] }
    return g
  case .tensor(let t):
    if t._storage == nil {
      let v = t._value
      if v.primalDouble.isFinite {
        for i in 0..<n { base[i] *= v }
      } else {
        for i in 0..<n { base[i] = _scaled(base[i], v) }
      }
      return g
    }
    if t.shape == gShape {
      let q = t._storage!.base
      // The plain product stays vectorised; only a partial with an infinite
      // or NaN element needs `_scaled`, which a read-only scan detects.
      if _allFinite(q, n) {
        for i in 0..<n { base[i] *= q[i] }
      } else {
        for i in 0..<n { base[i] = _scaled(base[i], q[i]) }
      }
      return g
    }
    return _applyPartial(g, p, shape)
  }
}

/// Scales the output gradient by a recorded partial and sums it down to the
/// operand's shape (undoing broadcasting).
@inlinable
func _applyPartial<Scalar>(_ g: Tensor<Scalar>, _ p: Partial<Scalar>, _ shape: [Int]) -> Tensor<Scalar> {
  switch p {
  case .one: return g._summed(toShape: shape)
  case .minusOne: return (-g)._summed(toShape: shape)
  case .tensor(let t):
    // Zero adjoints stay zero where the partial is infinite (see `_scaled`).
    if let gs = g._storage, t.shape == gs.shape || t._storage == nil {
      let out = TensorStorage<Scalar>.make(uninitializedShape: gs.shape)
      let gp = gs.base, op = out.base, n = gs.count
      if let ts = t._storage {
        let tp = ts.base
        if _allFinite(tp, n) {
          for i in 0..<n { (op + i).initialize(to: gp[i] * tp[i]) }
        } else {
          for i in 0..<n { (op + i).initialize(to: _scaled(gp[i], tp[i])) }
        }
      } else {
        let v = t._value
        for i in 0..<n { (op + i).initialize(to: v.primalDouble.isFinite ? gp[i] * v : _scaled(gp[i], v)) }
      }
      return Tensor(_storage: out)._summed(toShape: shape)
    }
    // Otherwise `t` broadcasts to the output (a product's partial is the
    // other operand): masked element by element through the broadcast. Not
    // `g * t` then zeroed in place where g is 0: a small product's storage is
    // also held by the thread's pool, never uniquely referenced, so the
    // zeroing was skipped and 0·∞ stayed NaN up to 16 elements only.
    let outShape = g.shape, tShape = t.shape
    guard _broadcasts(tShape, into: outShape) else {
      fatalError("Tensor internal error: a partial of shape \(tShape) for a gradient of shape \(outShape)")
    }
    let r = g._withScalars { gp, _ in
      t._withScalars { tp, _ in
        Tensor(_shape: outShape) { q, _ in
          _broadcastLoop(outShape, outShape, tShape) { i, ig, it in q[i] = _scaled(gp[ig], tp[it]) }
        }
      }
    }
    return r._summed(toShape: shape)
  }
}

/// Whether all `n` elements from `p` are finite: x − x is 0 for a finite x
/// and NaN for ±∞ or NaN, and the sum of the differences vectorises.
@inlinable
func _allFinite<Scalar: DifferentiableScalar>(_ p: UnsafeMutablePointer<Scalar>, _ n: Int) -> Bool {
  var sum: Scalar = 0
  for i in 0..<n { sum += p[i] - p[i] }
  return sum == 0
}

/// `g·d` for an adjoint `g` and a local partial `d`, except that a zero
/// adjoint contributes zero where `d` is infinite or NaN (`sqrt` at 0), as
/// the 0-d sweeps skip zero adjoints and forward mode keeps zero tangents:
/// every path and both modes give the same gradient.
@inlinable @inline(__always)
func _scaled<Scalar: DifferentiableScalar>(_ g: Scalar, _ d: Scalar) -> Scalar {
  g.isIdenticallyZero ? 0 : g * d
}

@usableFromInline @inline(never)
func _consumedFailure(_ operation: String, _ op: String) -> Never {
  fatalError("""
    \(operation): the graph through \(op) was already consumed by an earlier backward pass; \
    pass retainGraph: true to the earlier call to back-propagate through it again
    """)
}
