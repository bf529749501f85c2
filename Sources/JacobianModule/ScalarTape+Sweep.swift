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
  /// `outputSlots[i]` is -1 for an output that is a constant.
  @inlinable
  func vectorJacobianProducts(outputSlots: [Int32], cotangents: [[T]]) -> [[T]] {
    let n = leafCount
    var result = [[T]](repeating: [T](repeating: 0, count: n), count: cotangents.count)
    if cotangents.count == 1 {
      _products(lanes: 1, outputSlots, cotangents, &result)
    } else {
      _products(lanes: 8, outputSlots, cotangents, &result)
    }
    return result
  }

  /// The products in groups of `lanes` cotangents (a constant after inlining).
  ///
  /// The adjoints of a group live in a compact buffer: the inputs first, then
  /// the group's stretch of the tape, so a group touches only the memory it
  /// needs (slot s ≥ n lives at n + s − lo).
  @inlinable @inline(__always)
  func _products(lanes L: Int, _ outputSlots: [Int32], _ cotangents: [[T]], _ result: inout [[T]]) {
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
      for (i, s) in outputSlots.enumerated() where s >= n {
        var used = false
        for k in 0..<lanes where !cotangents[k0 + k][i].isIdenticallyZero { used = true }
        if used {
          hi = Swift.max(hi, Int(s))
          lo = Swift.min(lo, groups > 1 ? Int(low[Int(s)]) : n)
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
      for (i, s) in outputSlots.enumerated() where s >= 0 {
        let row = Int(s) < n ? Int(s) : n + Int(s) - lo
        for k in 0..<lanes where !cotangents[k0 + k][i].isIdenticallyZero {
          adj[row * L + k] += cotangents[k0 + k][i]
        }
      }
      _sweep(lanes: L, adj, from: hi, downTo: lo)
      for k in 0..<lanes {
        for j in 0..<n { result[k0 + k][j] = adj[j * L + k] }
      }
      k0 += L
    }
  }

  /// One reverse sweep over entries `hi` down to `lo`, `L` lanes per adjoint,
  /// in the compact layout of `_products`.
  @inlinable @inline(__always)
  func _sweep(lanes L: Int, _ adj: UnsafeMutablePointer<T>, from hi: Int, downTo lo: Int) {
    if L == 1 && T.self == Double.self {
      let e = UnsafeRawPointer(entries).assumingMemoryBound(to: ScalarTapeEntry<Double>.self)
      _sweep1(UnsafeMutableRawPointer(adj).assumingMemoryBound(to: Double.self), e, leafCount: leafCount, from: hi, downTo: lo)
      return
    }
    if L == 8 && T.self == Double.self {
      // The common case, with SIMD adjoints (the generic loop below does not
      // vectorise because of its per-lane zero test).
      let e = UnsafeRawPointer(entries).assumingMemoryBound(to: ScalarTapeEntry<Double>.self)
      _sweep8(UnsafeMutableRawPointer(adj), e, leafCount: leafCount, from: hi, downTo: lo)
      return
    }
    let n = leafCount
    // Adjoint row of slot s: inputs first, then the stretch.
    @inline(__always) func row(_ s: Int32) -> UnsafeMutablePointer<T> {
      Int(s) < n ? adj + Int(s) * L : adj + (n + Int(s) - lo) * L
    }
    var e = hi
    while e >= lo {
      let g = adj + (n + e - lo) * L
      var live = false
      for k in 0..<L where !g[k].isIdenticallyZero { live = true }
      if live {
        let entry = entries[e]
        // A lane whose adjoint is zero adds nothing, even where the partial
        // is infinite (0·∞ would put a NaN into another row's result).
        if entry.a >= 0 {
          let p = row(entry.a)
          for k in 0..<L where !g[k].isIdenticallyZero { p[k] = p[k] + g[k] * entry.da }
        }
        if entry.b >= 0 {
          let p = row(entry.b)
          for k in 0..<L where !g[k].isIdenticallyZero { p[k] = p[k] + g[k] * entry.db }
        }
      }
      e -= 1
    }
  }
}

/// The 8-lane sweep for `Double`: adjoints as `SIMD8<Double>` rows in the
/// compact layout of `_products` (inputs, then the stretch from `lo`).
@inlinable
func _sweep8(
  _ adj: UnsafeMutableRawPointer, _ entries: UnsafePointer<ScalarTapeEntry<Double>>,
  leafCount n: Int, from hi: Int, downTo lo: Int
) {
  typealias V = SIMD8<Double>
  let stride = MemoryLayout<V>.stride
  @inline(__always) func row(_ s: Int32) -> UnsafeMutableRawPointer {
    Int(s) < n ? adj + Int(s) * stride : adj + (n + Int(s) - lo) * stride
  }
  // As in `_sweep1`, a contribution to the entry swept next stays in `carry`.
  var e = hi
  var carry = V()
  while e >= lo {
    let g = (adj + (n + e - lo) * stride).loadUnaligned(as: V.self) + carry
    carry = V()
    let live = g .!= 0
    if any(live) {
      let entry = entries[e]
      let next = Int32(truncatingIfNeeded: e - 1)
      // Lanes with a zero adjoint add nothing (no 0·∞ = NaN across rows).
      if entry.a == next {
        carry = (g * entry.da).replacing(with: 0, where: .!live)
      } else if entry.a >= 0 {
        let p = row(entry.a)
        p.storeBytes(of: p.loadUnaligned(as: V.self) + (g * entry.da).replacing(with: 0, where: .!live), as: V.self)
      }
      if entry.b == next {
        carry += (g * entry.db).replacing(with: 0, where: .!live)
      } else if entry.b >= 0 {
        let p = row(entry.b)
        p.storeBytes(of: p.loadUnaligned(as: V.self) + (g * entry.db).replacing(with: 0, where: .!live), as: V.self)
      }
    }
    e -= 1
  }
  // Only an input can precede the stretch as an operand.
  if any(carry .!= 0) && lo > 0 && lo <= n {
    let p = row(Int32(lo - 1))
    p.storeBytes(of: p.loadUnaligned(as: V.self) + carry, as: V.self)
  }
}

/// The one-lane sweep for `Double` (gradients, vᵀ·J), in the compact layout.
@inlinable
func _sweep1(
  _ adj: UnsafeMutablePointer<Double>, _ entries: UnsafePointer<ScalarTapeEntry<Double>>,
  leafCount n: Int, from hi: Int, downTo lo: Int
) {
  // Stretch slots live at n + s − lo: shift the base once so that both inputs
  // and stretch index directly (inputs below n, the stretch from n). When the
  // stretch starts right after the inputs, every slot indexes `adj` directly,
  // without the test.
  let stretch = adj + (n - lo)
  if lo == n {
    _sweep1(entries, stretch, inputs: n, from: hi, downTo: lo) { adj + $0 }
  } else {
    _sweep1(entries, stretch, inputs: n, from: hi, downTo: lo) { $0 < n ? adj + $0 : stretch + $0 }
  }
}

/// The loop of `_sweep1`; `at(s)` is the adjoint of slot `s`, `stretch[e]` that
/// of entry `e`. A contribution to the entry swept next (operand e − 1, the
/// common case in straight-line code) stays in a register, `carry`, instead of
/// a store and a load of memory on the sweep's critical path.
@inlinable @inline(__always)
func _sweep1(
  _ entries: UnsafePointer<ScalarTapeEntry<Double>>, _ stretch: UnsafeMutablePointer<Double>,
  inputs n: Int, from hi: Int, downTo lo: Int, _ at: (Int) -> UnsafeMutablePointer<Double>
) {
  var e = hi
  var carry = 0.0
  while e >= lo {
    let g = stretch[e] + carry
    carry = 0
    if g != 0 {
      let entry = entries[e]
      let next = Int32(truncatingIfNeeded: e - 1)
      if entry.a == next {
        carry = g * entry.da
      } else if entry.a >= 0 {
        at(Int(entry.a)).pointee += g * entry.da
      }
      if entry.b == next {
        carry += g * entry.db
      } else if entry.b >= 0 {
        at(Int(entry.b)).pointee += g * entry.db
      }
    }
    e -= 1
  }
  // Only an input can precede the stretch as an operand.
  if carry != 0 && lo > 0 && lo <= n { at(lo - 1).pointee += carry }
}
