import DifferentiableModule

extension Tensor {
  /// Vector–Jacobian products of several 0-d outputs recorded on one tape, for
  /// several cotangent vectors at once, in one reverse sweep whose adjoints are
  /// vectors (one lane per cotangent, in chunks of 8 lanes).
  ///
  /// ```
  /// result[k][j] = Σᵢ cotangents[k][i] · ∂outputs[i]/∂inputs[j]
  /// ```
  ///
  /// ```swift
  /// let x = Tensor(1.0, requiresGrad: true), y = Tensor(2.0, requiresGrad: true)
  /// let f = [x * y, x + y]
  /// Tensor.vectorJacobianProducts(of: f, wrt: [x, y], cotangents: [[1, 0], [0, 1]])
  /// // [[2, 1], [1, 1]]  (the rows of the Jacobian)
  /// ```
  ///
  /// Inputs are 0-d leaves requiring gradients (or 0-d results on the same
  /// tape); their `grad` is not touched and the graph is kept (it may be swept
  /// again). Inputs that do not influence the outputs get zeros. Traps when an
  /// output is not 0-d, when an input recorded on the outputs' tape is not 0-d,
  /// or when a cotangent's length is not the number of outputs. Graphs with
  /// n-d operations, or spread over several tapes, take a slower path (one
  /// backward pass per cotangent).
  ///
  /// See also: `gradients(of:wrt:seed:)`, `backward(seed:)`.
  @inlinable
  public static func vectorJacobianProducts(
    of outputs: [Tensor], wrt inputs: [Tensor], cotangents: [[Scalar]]
  ) -> [[Scalar]] {
    let m = outputs.count
    for (i, o) in outputs.enumerated() where o._storage != nil {
      fatalError("vectorJacobianProducts: output \(i) has shape \(o.shape); outputs must be 0-d")
    }
    for (k, c) in cotangents.enumerated() where c.count != m {
      fatalError("vectorJacobianProducts: cotangent \(k) has \(c.count) entries for \(m) outputs")
    }
    var result = [[Scalar]](repeating: [Scalar](repeating: 0, count: inputs.count), count: cotangents.count)
    // Outputs that are leaves themselves contribute the identity.
    for (i, o) in outputs.enumerated() where o._leaf != nil {
      for (j, x) in inputs.enumerated() where x._leaf === o._leaf {
        for k in cotangents.indices { result[k][j] += cotangents[k][i] }
      }
    }
    var tapes: [Tape<Scalar>] = []
    for o in outputs where o._tape != nil && !tapes.contains(where: { $0 === o._tape }) { tapes.append(o._tape!) }
    guard !tapes.isEmpty, !cotangents.isEmpty else { return result }
    for o in outputs where o._tape != nil && o._tape!.isConsumed(Int(o._slot)) {
      _consumedFailure("vectorJacobianProducts", o._tape!.opName(Int(o._slot)))
    }
    for t in tapes {
      let top = outputs.filter { $0._tape === t }.map { Int($0._slot) }.max()!
      for x in inputs where !x.shape.isEmpty && t.existingSlot(of: x, upTo: top) != nil {
        fatalError("vectorJacobianProducts: inputs must be 0-d (an input has shape \(x.shape))")
      }
    }
    let tape = tapes[0]
    // The fast path sweeps one tape of 0-d operations that this thread owns
    // (whose counts it may read).
    guard tapes.count == 1, tape.owner == currentThreadIdentity(), tape.nodes.isEmpty, tape.links.isEmpty,
      !tape.checksAnomalies
    else {
      // General path: one backward pass per cotangent.
      for k in cotangents.indices {
        let seeds = tapes.map { t in
          (tape: t, seeds: outputs.indices.compactMap { i -> (Int, Tensor)? in
            outputs[i]._tape === t ? (Int(outputs[i]._slot), Tensor(_value: cotangents[k][i])) : nil
          })
        }
        Tape.backwardPass(
          seeds: seeds, retainGraph: true, operation: "vectorJacobianProducts",
          leaf: { box, g in
            for (j, x) in inputs.enumerated() where x._leaf === box { result[k][j] += g._value }
          }
        ) { t, adj, _, out, _ in
          for (j, x) in inputs.enumerated() where x._tape === t && Int(x._slot) <= out {
            result[k][j] += adj[Int(x._slot)]
          }
        }
      }
      return result
    }
    var out = 0
    var slots = [Int](repeating: -1, count: m)
    for (i, o) in outputs.enumerated() where o._tape != nil {
      slots[i] = Int(o._slot)
      out = Swift.max(out, Int(o._slot))
    }
    let inputSlots: [Int] = inputs.map { x in tape.existingSlot(of: x, upTo: out).map(Int.init) ?? -1 }

    // Fast path: 8 lanes per slot, contiguous.
    let lanes = 8
    let n = out + 1
    let adj = UnsafeMutablePointer<Scalar>.allocate(capacity: n * lanes)
    defer { adj.deallocate() }
    var k0 = 0
    while k0 < cotangents.count {
      let width = Swift.min(lanes, cotangents.count - k0)
      adj.initialize(repeating: 0, count: n * lanes)
      for i in 0..<m where slots[i] >= 0 {
        let row = adj + slots[i] * lanes
        for l in 0..<width { row[l] += cotangents[k0 + l][i] }
      }
      let checkConsumed = tape.hasConsumed
      tape.passLock.withLock { _ in
        TapeStorage.sweep8(
          tape.state, from: out, downTo: 0, row: { adj + Int($0) * lanes },
          visit: { i in
            if checkConsumed && tape.isConsumed(i) { _consumedFailure("vectorJacobianProducts", tape.opName(i)) }
          })
      }
      for (j, s) in inputSlots.enumerated() where s >= 0 {
        for l in 0..<width { result[k0 + l][j] += adj[s * lanes + l] }
      }
      k0 += width
    }
    return result
  }
}
