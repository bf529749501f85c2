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
  /// when a cotangent's length is not the number of outputs, or when the
  /// outputs were recorded on different tapes. Graphs with n-d
  /// operations take a slower path (one sweep per cotangent).
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
    var tape: Tape<Scalar>? = nil
    for o in outputs where o._tape != nil {
      if tape == nil { tape = o._tape } else if o._tape !== tape { _crossTapeFailure(tape, o._node) }
    }
    guard let tape, !cotangents.isEmpty else { return result }
    var out = 0
    var slots = [Int](repeating: -1, count: m)
    for (i, o) in outputs.enumerated() where o._tape != nil {
      slots[i] = Int(o._slot)
      out = Swift.max(out, Int(o._slot))
      if tape.isConsumed(Int(o._slot)) {
        _consumedFailure("vectorJacobianProducts", tape.opName(Int(o._slot)))
      }
    }
    let inputSlots: [Int] = inputs.map { x in
      guard let s = tape.existingSlot(of: x), Int(s) <= out else { return -1 }
      guard x.shape.isEmpty else {
        fatalError("vectorJacobianProducts: inputs must be 0-d (an input has shape \(x.shape))")
      }
      return Int(s)
    }

    if !tape.nodes.isEmpty || tape.checksAnomalies {
      // General path: one sweep per cotangent.
      for k in cotangents.indices {
        var seeds: [(Int, Tensor)] = []
        for i in 0..<m where slots[i] >= 0 { seeds.append((slots[i], Tensor(_value: cotangents[k][i]))) }
        tape.propagate(from: out, seeds: seeds, retainGraph: true, operation: "vectorJacobianProducts") {
          adj, _ in
          for (j, s) in inputSlots.enumerated() where s >= 0 { result[k][j] += adj[s] }
        }
      }
      return result
    }

    // Fast path: 8 lanes per slot, contiguous.
    let lanes = 8
    let n = out + 1
    let adj = UnsafeMutablePointer<Scalar>.allocate(capacity: n * lanes)
    defer { adj.deallocate() }
    let entries = tape.entries
    var k0 = 0
    while k0 < cotangents.count {
      let width = Swift.min(lanes, cotangents.count - k0)
      adj.initialize(repeating: 0, count: n * lanes)
      for i in 0..<m where slots[i] >= 0 {
        let row = adj + slots[i] * lanes
        for l in 0..<width { row[l] += cotangents[k0 + l][i] }
      }
      let checkConsumed = tape.hasConsumed
      reverseSweep8(
        UnsafePointer(entries), from: out, downTo: 0, row: { adj + Int($0) * lanes },
        visit: { i in
          if checkConsumed && tape.isConsumed(i) { _consumedFailure("vectorJacobianProducts", tape.opName(i)) }
        })
      for (j, s) in inputSlots.enumerated() where s >= 0 {
        for l in 0..<width { result[k0 + l][j] += adj[s * lanes + l] }
      }
      k0 += width
    }
    return result
  }
}
