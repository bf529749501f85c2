import DifferentiableModule
import Synchronization

// MARK: - The reverse sweep

extension Tape {
  /// A backward pass from `seeds` (slot, cotangent) on this tape through the
  /// tapes its graph links to, newest first, so that every tape is swept
  /// once, after all the tapes that hand it adjoints.
  ///
  /// The adjoint of a value used on several tapes (a linked value, a leaf
  /// registered on several tapes) is one running sum handed from tape to
  /// tape: a tape's slot for it starts from what the newer tapes gave, and
  /// its own uses add to that in the sweep. A graph whose operations went
  /// onto tapes in the order they were made (as one task's do, whatever
  /// threads it resumes on) so adds each adjoint's terms in the same order as
  /// one tape would: the gradients are those of the same code run on one
  /// thread, to the last bit.
  ///
  /// The adjoints of the n-d slots `keptSlots(tape)` stay in the array
  /// handed to `body` (the sweep drops the others once used). Calls `body`
  /// for each tape swept, with that tape's `passLock` held: the tape, its
  /// adjoints (`scalar[s]` for 0-d slots, `array[s]` for n-d slots, nil where
  /// no gradient arrived), the highest slot swept, and its retained
  /// gradients; and `leaf` once per leaf the seeds depend on, with its whole
  /// gradient (see `accumulateLeafGradients`).
  @inlinable
  func backwardPass(
    seeds: [(Int, Tensor<Scalar>)], retainGraph: Bool, operation: String,
    keptSlots: (Tape) -> Set<Int> = { _ in [] },
    leaf: (LeafBox<Scalar>, Tensor<Scalar>) -> Void,
    _ body: (Tape, UnsafeMutablePointer<Scalar>, [Int: Tensor<Scalar>], Int,
             inout [Int: RetainedGradient<Scalar>]) -> Void
  ) {
    Tape.backwardPass(
      seeds: [(self, seeds)], retainGraph: retainGraph, operation: operation, keptSlots: keptSlots,
      leaf: leaf, body)
  }

  /// `backwardPass` from seeds on several tapes.
  @inlinable
  static func backwardPass(
    seeds: [(tape: Tape, seeds: [(Int, Tensor<Scalar>)])], retainGraph: Bool, operation: String,
    keptSlots: (Tape) -> Set<Int> = { _ in [] },
    leaf: (LeafBox<Scalar>, Tensor<Scalar>) -> Void,
    _ body: (Tape, UnsafeMutablePointer<Scalar>, [Int: Tensor<Scalar>], Int,
             inout [Int: RetainedGradient<Scalar>]) -> Void
  ) {
    // The tapes still to sweep, with the running sums they receive (slot,
    // cotangent; several for one slot add up).
    var pending = seeds
    // Leaves' running sums from the tapes swept so far.
    var carried: [ObjectIdentifier: (LeafBox<Scalar>, Tensor<Scalar>)] = [:]
    while !pending.isEmpty {
      var k = 0
      for j in pending.indices where pending[j].tape.sequence > pending[k].tape.sequence { k = j }
      var (tape, tapeSeeds) = pending.remove(at: k)
      var linkSeeds: [(Tape, Int, Tensor<Scalar>)] = []
      tape.passLock.withLock { retained in
        // Running sums for values this tape links to, and for its leaves,
        // start from this tape's slots for them.
        var top = 0
        for (s, _) in tapeSeeds { top = Swift.max(top, s) }
        if !pending.isEmpty {
          for (key, local) in tape.linkSlots(upTo: top) {
            guard let j = pending.firstIndex(where: { ObjectIdentifier($0.tape) == key.tape }) else { continue }
            let parts = pending[j].seeds.filter { $0.0 == Int(key.slot) }
            guard !parts.isEmpty else { continue }
            pending[j].seeds.removeAll { $0.0 == Int(key.slot) }
            for (_, g) in parts { tapeSeeds.append((Int(local), g)) }
          }
        }
        if !carried.isEmpty {
          for (id, s) in tape.leafSlots(upTo: top) {
            guard let (_, g) = carried.removeValue(forKey: id) else { continue }
            tapeSeeds.append((Int(s), g))
          }
        }
        // n-d results whose gradient is stored keep their adjoints too.
        var kept = keptSlots(tape)
        for s in retained.keys where !tape.isScalarSlot(s) { kept.insert(s) }
        tape.propagate(
          seeds: tapeSeeds, retainGraph: retainGraph, operation: operation, keptSlots: kept
        ) { adj, nd, out, spans, links in
          linkSeeds = links
          body(tape, adj, nd, out, &retained)
          let last = links.isEmpty && !pending.contains(where: { !$0.seeds.isEmpty })
          if last && carried.isEmpty {
            tape.accumulateLeafGradients(adj, nd, upTo: out, seeds: spans, leaf)
          } else {
            tape.accumulateLeafGradients(adj, nd, upTo: out, seeds: spans) { box, g in
              let id = ObjectIdentifier(box)
              carried[id] = (box, carried[id].map { $0.1._constant + g } ?? g)
            }
          }
        }
      }
      for (t, slot, g) in linkSeeds {
        if let j = pending.firstIndex(where: { $0.tape === t }) {
          // (A running sum moved into this tape left the list; it comes back
          // whole. Another part for the same slot adds.)
          pending[j].seeds.append((slot, g))
        } else {
          pending.append((t, [(slot, g)]))
        }
      }
      pending.removeAll { $0.seeds.isEmpty }
    }
    for (_, (box, g)) in carried { leaf(box, g) }
  }

  /// The local slots of the values this tape links to, at or below slot
  /// `top` (the owner reads its table; another thread scans the entries).
  @usableFromInline
  func linkSlots(upTo top: Int) -> [TapeLinkKey: Int32] {
    if owner == currentThreadIdentity() { return linkSlots.filter { Int($0.value) <= top } }
    var result: [TapeLinkKey: Int32] = [:]
    var s = top
    while s >= 0 {
      let e = entry(s)
      if e.a == -3 {
        let link = links[Int(e.b)]
        let key = TapeLinkKey(tape: ObjectIdentifier(link.tape), slot: link.slot + Int32(s) - link.localSlot)
        result[key] = Int32(s)
      }
      s -= 1
    }
    return result
  }

  /// The first slots of the leaves registered at or below slot `top`.
  @usableFromInline
  func leafSlots(upTo top: Int) -> [ObjectIdentifier: Int32] {
    var result: [ObjectIdentifier: Int32] = [:]
    for k in 0..<leafCount(upTo: top) { result[ObjectIdentifier(leaves[k].box)] = leaves[k].slot }
    return result
  }

  /// Sweeps this tape from `seeds`, all recorded here, with `passLock` held,
  /// and calls `body` with the adjoints (see `backwardPass`), the highest
  /// slot swept, the seeds' spans (slot, count) and the adjoints that reached
  /// links (linked tape, slot there, cotangent).
  @inlinable
  func propagate<R>(
    seeds: [(Int, Tensor<Scalar>)], retainGraph: Bool, operation: String, keptSlots: Set<Int>,
    _ body: (UnsafeMutablePointer<Scalar>, [Int: Tensor<Scalar>], Int, [(Int, Int)],
             [(Tape, Int, Tensor<Scalar>)]) -> R
  ) -> R {
    var linkSeeds: [(Tape, Int, Tensor<Scalar>)] = []
    for (s, _) in seeds where isConsumed(s) { _consumedFailure(operation, opName(s)) }
    // An output recorded element by element spans several slots.
    var top = 0
    var spans: [(Int, Int)] = []
    for (s, seed) in seeds {
      let span = isScalarSlot(s) ? Swift.max(seed.scalarCount, 1) : 1
      spans.append((s, span))
      top = Swift.max(top, s + span - 1)
    }
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
    var silentLinks: [Int] = []
    TapeStorage.forEachSegment(state, from: out, downTo: 0) { entries, marks, first, hi, lo in
      reverseSweep(
        entries, firstSlot: first, from: hi, downTo: lo, adjoint: { adj + Int($0) },
        visit: { i, g in
          if checkConsumed && marks[i &- first] & _consumedBit != 0 { _consumedFailure(operation, opName(i)) }
          if consume { marks[i &- first] |= _consumedBit }
          if anomalies { _checkBackward(i, g) }
        },
        other: { i, e in
          if e.a == -3 {
            // A value of an older tape: its adjoint goes there.
            let link = links[Int(e.b)]
            if link.isScalarSlot {
              if adj[i].isIdenticallyZero {
                silentLinks.append(i)
              } else {
                linkSeeds.append((link.tape, Int(link.slot) + i - Int(link.localSlot), Tensor(_value: adj[i])))
              }
            } else if let g = keptSlots.contains(i) ? nd[i] : nd.removeValue(forKey: i) {
              linkSeeds.append((link.tape, Int(link.slot), g))
            } else {
              silentLinks.append(i)
            }
            return
          }
          // An n-d node (a = -2, b = its index).
          if backwardNode(i, Int(e.b), adj, &nd, keptSlots, operation: operation) && consume {
            // The node's saved values (activations, partials) go now, not
            // when the last result of the graph dies: a kept loss keeps only
            // the record of its graph.
            markConsumed(i)
            nodes[Int(e.b)].releaseSaved()
          }
        })
    }
    if !silentLinks.isEmpty {
      // Links the seeds depend on but no gradient reached still hand on a
      // zero, so that the leaves behind them receive zeros (see `backward`).
      let reached = dependencies(of: spans)
      for i in silentLinks where reached[i] {
        let link = links[Int(entry(i).b)]
        let slot = link.isScalarSlot ? Int(link.slot) + i - Int(link.localSlot) : Int(link.slot)
        linkSeeds.append((link.tape, slot, link.isScalarSlot ? Tensor(_value: 0) : Tensor.zeros(link.shape)))
      }
    }
    if consume {
      hasConsumedFlag.store(true, ordering: .relaxed)
      isClosedFlag.store(true, ordering: .relaxed)
    }
    return body(adj, nd, out, spans, linkSeeds)
  }

  /// Stops if entry `i` gives an operand a non-finite gradient (anomaly
  /// detection).
  @inlinable
  func _checkBackward(_ i: Int, _ g: Scalar) {
    let e = entry(i)
    let ga = g * e.da, gb = e.b >= 0 ? g * e.db : 0
    if !(ga.primalDouble.isFinite && gb.primalDouble.isFinite) { _backwardAnomaly(i, g) }
  }

  @usableFromInline @inline(never)
  func _backwardAnomaly(_ i: Int, _ g: Scalar) -> Never {
    let e = entry(i)
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
    _ keptSlots: Set<Int>, operation: String
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
  /// Which slots the values at the given spans (slot, count) depend on,
  /// whatever the adjoints: the leaves a backward pass from them reaches,
  /// even with a zero gradient, as opposed to the leaves of other graphs
  /// recorded on the same tape (another result of the thread still alive),
  /// which may be shared with other threads.
  @usableFromInline
  func dependencies(of spans: [(Int, Int)]) -> [Bool] {
    let end = spans.map { $0.0 + $0.1 }.max() ?? 0
    var reached = [Bool](repeating: false, count: end)
    for (s, c) in spans { for q in s..<s + c { reached[q] = true } }
    var i = end - 1
    while i >= 0 {
      if reached[i] {
        let e = entry(i)
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

extension Tape {
  /// Hands `sink` the adjoints that reached this tape's leaves (registered
  /// at or below slot `top`). A leaf that received no gradient may
  /// be a leaf of another graph on the tape (another result of the thread
  /// still alive), perhaps shared with a thread that trains it: only the
  /// leaves the seeds (spans of slots) depend on go to `sink` (zeros there);
  /// the others' `grad` stays untouched.
  @inlinable
  func accumulateLeafGradients(
    _ adj: UnsafeMutablePointer<Scalar>, _ nd: [Int: Tensor<Scalar>], upTo top: Int, seeds: [(Int, Int)],
    _ sink: (LeafBox<Scalar>, Tensor<Scalar>) -> Void
  ) {
    var reached: [Bool]? = nil
    func dependsOn(_ s: Int32, _ count: Int) -> Bool {
      if reached == nil { reached = dependencies(of: seeds) }
      return reached![Int(s)..<Int(s) + count].contains(true)
    }
    for k in 0..<leafCount(upTo: top) {
      let leaf = leaves.address(k)
      let s = Int(leaf.pointee.slot)
      if leaf.pointee.scalarized {
        let count = _elementCount(leaf.pointee.shape)
        if (0..<count).allSatisfy({ adj[s + $0].isIdenticallyZero }) && !dependsOn(leaf.pointee.slot, count) { continue }
        sink(leaf.pointee.box, Tensor._gathered(adj + s, shape: leaf.pointee.shape))
      } else if leaf.pointee.shape.isEmpty {
        if adj[s].isIdenticallyZero && !dependsOn(leaf.pointee.slot, 1) { continue }
        sink(leaf.pointee.box, Tensor(_value: adj[s]))
      } else {
        if nd[s] == nil && !dependsOn(leaf.pointee.slot, 1) { continue }
        sink(leaf.pointee.box, nd[s] ?? Tensor.zeros(leaf.pointee.shape))
      }
    }
  }
}
