import DifferentiableModule

// MARK: - The reverse sweep

extension ScalarTape {
  /// Vector–Jacobian products of the recorded outputs with respect to the
  /// inputs (slots `0..<leafCount`), several cotangents at once:
  ///
  /// ```
  /// result[k][j] = Σᵢ cotangents[k][i] · ∂outputs[i]/∂xⱼ
  /// ```
  ///
  /// Cotangents are taken eight at a time, one per lane of the adjoints, in one
  /// reverse sweep per group. A sweep runs only over the stretch of the tape
  /// between the group's outputs and the first entry they depend on, skips
  /// entries whose adjoint is zero in every lane, and adds nothing from a lane
  /// whose adjoint is zero (so the infinite partial of one output, such as
  /// √x at 0, cannot leak a NaN into another output's row: rows agree with
  /// forward mode).
  ///
  /// Each output is a multiple of a slot (see `ReverseScalar`): its
  /// cotangent times the factor seeds the slot.
  @inlinable
  func vectorJacobianProducts(outputs: [ReverseScalar<T>], cotangents: [[T]]) -> [[T]] {
    var result: [[T]] = []
    result.reserveCapacity(cotangents.count)
    if cotangents.count == 1 {
      _products(lanes: 1, outputs, cotangents, &result)
    } else {
      _products(lanes: 8, outputs, cotangents, &result)
    }
    return result
  }

  /// The products in groups of `lanes` cotangents (a constant after inlining).
  ///
  /// The adjoints of a group live in a compact buffer: the inputs first, then
  /// the group's stretch of the tape, so a group touches only the memory it
  /// needs (slot s ≥ n lives at n + s − lo).
  @inlinable @inline(__always)
  func _products(lanes L: Int, _ outputs: [ReverseScalar<T>], _ cotangents: [[T]], _ result: inout [[T]]) {
    let n = leafCount
    var capacity = 0
    var adj = UnsafeMutablePointer<T>.allocate(capacity: 0)
    defer {
      adj.deinitialize(count: capacity)
      adj.deallocate()
    }
    // One sweep needs no stretches: it runs from its last output down.
    let groups = (cotangents.count + L - 1) / L
    if groups > 1 { computeLow() }
    var k0 = 0
    while k0 < cotangents.count {
      let lanes = Swift.min(L, cotangents.count - k0)
      // The stretch [lo, hi] of operations the group's outputs depend on.
      var lo = Int.max, hi = n - 1
      for (i, y) in outputs.enumerated() where y.tape != nil {
        var used = false
        for k in 0..<lanes where !cotangents[k0 + k][i].isIdenticallyZero { used = true }
        if !used { continue }
        let s = y.slot
        if s >= n {
          hi = Swift.max(hi, Int(s))
          lo = Swift.min(lo, groups > 1 ? Int(low(Int(s))) : n)
        }
      }
      if lo > hi { lo = hi + 1 }
      let size = (n + hi - lo + 1) * L
      if size > capacity {
        adj.deinitialize(count: capacity)
        adj.deallocate()
        adj = .allocate(capacity: size)
        adj.initialize(repeating: 0, count: size)
        capacity = size
      } else {
        adj.update(repeating: 0, count: size)
      }
      // Seed the outputs' adjoints with the cotangents, then sweep.
      // (An output whose cotangents in this group are all zero may lie
      // outside the stretch: it is not seeded.)
      for (i, y) in outputs.enumerated() where y.tape != nil {
        let s = y.slot
        let row = Int(s) < n ? Int(s) : n + Int(s) - lo
        for k in 0..<lanes where !cotangents[k0 + k][i].isIdenticallyZero {
          adj[row * L + k] += cotangents[k0 + k][i] * y.scale
        }
      }
      _sweep(lanes: L, adj, from: hi, downTo: lo)
      for k in 0..<lanes {
        result.append([T](unsafeUninitializedCapacity: n) { row, initialized in
          for j in 0..<n { (row.baseAddress.unsafelyUnwrapped + j).initialize(to: adj[j * L + k]) }
          initialized = n
        })
      }
      k0 += L
    }
  }

  /// Sweeps the stretch `hi` down to `lo` with `L` (1 or 8) adjoint lanes in
  /// `adj`: the inputs' rows first, then the stretch's.
  @inlinable @inline(__always)
  func _sweep(lanes L: Int, _ adj: UnsafeMutablePointer<T>, from hi: Int, downTo lo: Int) {
    let n = leafCount
    // Stretch slots live at n + s − lo: shift the base once so that both
    // inputs and stretch index directly (inputs below n, the stretch from n).
    // When the stretch starts right after the inputs, every slot indexes
    // `adj` directly, without the test.
    let stretch = adj + (n - lo) * L
    withStorage { p in
      if L == 1 {
        if lo == n {
          TapeStorage.sweep(p, from: hi, downTo: lo, adjoint: { adj + Int($0) }, visit: { _, _ in }, other: { _, _ in })
        } else {
          TapeStorage.sweep(
            p, from: hi, downTo: lo, adjoint: { Int($0) < n ? adj + Int($0) : stretch + Int($0) },
            visit: { _, _ in }, other: { _, _ in })
        }
      } else {
        TapeStorage.sweep8(
          p, from: hi, downTo: lo, row: { Int($0) < n ? adj + Int($0) * 8 : stretch + Int($0) * 8 },
          visit: { _ in })
      }
    }
  }
}
