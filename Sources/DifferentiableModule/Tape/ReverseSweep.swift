// The reverse sweep of every tape in Leibniz, with scalar adjoints and with
// eight adjoint lanes (eight cotangents at once). `Tensor`'s backward pass,
// its vector-Jacobian products and the Jacobian verbs' reverse mode all sweep
// through these two functions; the callers say where each slot's adjoint
// lives (a dense array, or inputs then a stretch of the tape) and what to do
// on the way (mark operations consumed, check for anomalies, back-propagate
// an n-d node).
//
// In both, an entry whose adjoint is zero adds nothing, even where a partial
// is infinite (0·∞ would be NaN and poison results that never reach the
// singular point), and a contribution to one of the two entries swept next
// (operand i − 1 or i − 2, the common cases in straight-line code) stays in
// a register (`carry`, `carry2` in the scalar sweep; `carry` in the 8-lane
// one) instead of a store and a load on the sweep's critical path.

/// Sweeps entries `hi` down to `lo` with one adjoint per slot; slot s's
/// entry is `entries[s − firstSlot]` (a segment of a `TapeStorage`).
///
/// - `adjoint(s)`: where slot `s`'s adjoint lives. An entry's own adjoint is
///   read there (plus the carry) and stored back before its operands get
///   theirs, so after the sweep every slot's adjoint is complete.
/// - `visit(i, g)`: called for each operation entry (`a ≥ 0`) with a non-zero
///   adjoint `g`, before its operands are updated.
/// - `other(i, e)`: called for each entry with `a ≤ -2` (whatever its
///   adjoint), which the owning tape back-propagates itself.
///
/// Carries left for slots `lo − 1` and `lo − 2` (operands just below the
/// swept range) are added to their adjoints.
///
/// ```swift
/// reverseSweep(entries, from: out, downTo: 0, adjoint: { adj + Int($0) },
///              visit: { _, _ in }, other: { _, _ in })
/// ```
@inlinable @inline(__always)
package func reverseSweep<T: DifferentiableScalar>(
  _ entries: UnsafePointer<TapeEntry<T>>, firstSlot: Int = 0, from hi: Int, downTo lo: Int,
  adjoint: (Int32) -> UnsafeMutablePointer<T>,
  visit: (Int, T) -> Void, other: (Int, TapeEntry<T>) -> Void
) {
  var i = hi
  // The pending contribution to slot i, and to slot i − 1.
  var carry: T = 0
  var carry2: T = 0
  while i >= lo {
    let at = adjoint(Int32(truncatingIfNeeded: i))
    let g = at.pointee + carry
    at.pointee = g
    carry = carry2
    carry2 = 0
    let e = entries[i &- firstSlot]
    if e.a >= 0 {
      if !g.isIdenticallyZero {
        visit(i, g)
        let next = Int32(truncatingIfNeeded: i - 1), second = Int32(truncatingIfNeeded: i - 2)
        // A carry holds one contribution: one already pending goes to memory
        // first, so that every adjoint adds its contributions in sweep order
        // (the same sums however the tape is split into segments or tapes).
        @inline(__always) func add(_ s: Int32, _ v: T) {
          if s == next {
            if !carry.isIdenticallyZero { adjoint(next).pointee += carry }
            carry = v
          } else if s == second {
            if !carry2.isIdenticallyZero { adjoint(second).pointee += carry2 }
            carry2 = v
          } else {
            adjoint(s).pointee += v
          }
        }
        add(e.a, g * e.da)
        if e.b >= 0 { add(e.b, g * e.db) }
      }
    } else if e.a <= -2 {
      other(i, e)
    }
    i -= 1
  }
  if lo > 0 && !carry.isIdenticallyZero { adjoint(Int32(truncatingIfNeeded: lo - 1)).pointee += carry }
  if lo > 1 && !carry2.isIdenticallyZero { adjoint(Int32(truncatingIfNeeded: lo - 2)).pointee += carry2 }
}

/// Sweeps entries `hi` down to `lo` with eight adjoint lanes per slot (slot
/// s's entry at `entries[s − firstSlot]`): the
/// row of slot `s` is the eight values at `row(s)`. A lane whose adjoint is
/// zero adds nothing. `visit(i)` is called for each operation entry with a
/// non-zero lane, before its operands are updated; entries with a negative
/// `a` are skipped (a tape that has n-d nodes sweeps with `reverseSweep`).
/// `Double` adjoints move as `SIMD8<Double>`.
///
/// ```swift
/// reverseSweep8(entries, from: out, downTo: 0, row: { adj + 8 * Int($0) }, visit: { _ in })
/// ```
@inlinable @inline(__always)
package func reverseSweep8<T: DifferentiableScalar>(
  _ entries: UnsafePointer<TapeEntry<T>>, firstSlot: Int = 0, from hi: Int, downTo lo: Int,
  row: (Int32) -> UnsafeMutablePointer<T>, visit: (Int) -> Void
) {
  if T.self == Double.self {
    let e = UnsafeRawPointer(entries).assumingMemoryBound(to: TapeEntry<Double>.self)
    reverseSweep8Double(e, firstSlot: firstSlot, from: hi, downTo: lo, row: { UnsafeMutableRawPointer(row($0)) }, visit: visit)
    return
  }
  var i = hi
  while i >= lo {
    let e = entries[i &- firstSlot]
    if e.a >= 0 {
      let g = row(Int32(truncatingIfNeeded: i))
      var live = false
      for k in 0..<8 where !g[k].isIdenticallyZero { live = true }
      if live {
        visit(i)
        let pa = row(e.a)
        for k in 0..<8 where !g[k].isIdenticallyZero { pa[k] += g[k] * e.da }
        if e.b >= 0 {
          let pb = row(e.b)
          for k in 0..<8 where !g[k].isIdenticallyZero { pb[k] += g[k] * e.db }
        }
      }
    }
    i -= 1
  }
}

/// `reverseSweep8` for `Double`, with SIMD rows and the carry.
@inlinable @inline(__always)
package func reverseSweep8Double(
  _ entries: UnsafePointer<TapeEntry<Double>>, firstSlot: Int, from hi: Int, downTo lo: Int,
  row: (Int32) -> UnsafeMutableRawPointer, visit: (Int) -> Void
) {
  typealias V = SIMD8<Double>
  var i = hi
  var carry = V()
  while i >= lo {
    let at = row(Int32(truncatingIfNeeded: i))
    let g = at.loadUnaligned(as: V.self) + carry
    at.storeBytes(of: g, as: V.self)
    carry = V()
    let live = g .!= 0
    let e = entries[i &- firstSlot]
    if e.a >= 0 && any(live) {
      visit(i)
      let next = Int32(truncatingIfNeeded: i - 1)
      let ga = (g * e.da).replacing(with: 0, where: .!live)
      if e.a == next {
        carry = ga
      } else {
        let p = row(e.a)
        p.storeBytes(of: p.loadUnaligned(as: V.self) + ga, as: V.self)
      }
      if e.b >= 0 {
        let gb = (g * e.db).replacing(with: 0, where: .!live)
        if e.b == next {
          carry += gb
        } else {
          let p = row(e.b)
          p.storeBytes(of: p.loadUnaligned(as: V.self) + gb, as: V.self)
        }
      }
    }
    i -= 1
  }
  if lo > 0 && any(carry .!= 0) {
    let p = row(Int32(truncatingIfNeeded: lo - 1))
    p.storeBytes(of: p.loadUnaligned(as: V.self) + carry, as: V.self)
  }
}
