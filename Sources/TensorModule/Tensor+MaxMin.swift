import DifferentiableModule

extension Tensor {
  /// The largest (`isMax`) or smallest elements along the given
  /// (normalised, distinct) axes, kept with extent 1, or as a 0-d tensor when
  /// `keepingAxes` is false (all axes).
  ///
  /// NaN propagates as in PyTorch: a NaN anywhere among the reduced elements
  /// makes the result NaN. Backward: the gradient goes to the elements equal
  /// to the result, split evenly among ties; when the result is NaN, to the
  /// NaN elements (as PyTorch's `evenly_distribute_backward`).
  @inlinable
  func _extremum(_ axes: [Int], _ isMax: Bool, _ op: OpCode, keepingAxes: Bool = true) -> Tensor {
    guard scalarCount > 0 else { fatalError("Tensor.\(isMax ? "max" : "min"): empty tensor of shape \(shape)") }
    let ax = axes
    let outShape = _keptShape(ax)
    let src = shape
    var best = Tensor(_shape: outShape) { _, _ in }
    var firstSeen = [Bool](repeating: false, count: _elementCount(outShape))
    // A tie between elements whose derivative parts differ (dual scalars).
    var tiedParts = false
    _withScalars { p, _ in
      best._withMutable { q in
        _broadcastLoop(src, src, outShape) { _, ia, ib in
          let v = p[ia]
          // `v != v` is NaN; once the result is NaN, no comparison replaces it.
          if !firstSeen[ib] || (isMax ? v > q[ib] : v < q[ib]) || v != v {
            q[ib] = v
            firstSeen[ib] = true
          } else if v == q[ib] && !(v - q[ib]).isIdenticallyZero {
            tiedParts = true
          }
        }
        // As the gradient splits evenly among ties, a tied result carries the
        // mean of the tied elements' derivative parts (as `Dual`'s max does):
        // best + Σ (tied − best)/k, whose value part is exactly best's. Plain
        // scalars never get here, so they keep the first tied value (−0 too).
        if tiedParts {
          var counts = [Int](repeating: 0, count: firstSeen.count)
          var excess = [Scalar](repeating: 0, count: firstSeen.count)
          _broadcastLoop(src, src, outShape) { _, ia, ib in
            if p[ia] == q[ib] {
              counts[ib] += 1
              excess[ib] += p[ia] - q[ib]
            }
          }
          for i in 0..<counts.count where counts[i] > 1 { q[i] += excess[i] / Scalar(Double(counts[i])) }
        }
      }
    }
    let input = self._constant
    let value = keepingAxes ? best : best._reshapedPlain([])
    let reshapedBest = best
    return Tensor._recordNode(value, [self], .custom { g in
      // The gradient goes to the extremal elements, split evenly among ties
      // (to the NaN elements when the extremum is NaN). Ties are counted in
      // Int: a Float count stops at 2²⁴.
      let gk = g._reshapedPlain(outShape)
      var mask = Tensor(_shape: src) { _, _ in }
      var counts = [Int](repeating: 0, count: _elementCount(outShape))
      input._withScalars { p, _ in
        reshapedBest._withScalars { b, _ in
          mask._withMutable { m in
            _broadcastLoop(src, src, outShape) { i, ia, ib in
              let v = p[ia], e = b[ib]
              let hit = v == e || (e != e && v != v)
              m[i] = hit ? 1 : 0
              if hit { counts[ib] += 1 }
            }
          }
        }
      }
      let share = Tensor(_shape: outShape) { q, n in
        for i in 0..<n { q[i] = Scalar(Double(counts[i])) }
      }
      return [mask * (gk / share)._expandedPlain(to: src)]
    }, op)
  }

  /// Calls `body` with the elements for writing (the storage is unique: it
  /// was just created by a kernel).
  @inlinable
  mutating func _withMutable(_ body: (UnsafeMutablePointer<Scalar>) -> Void) {
    if let s = _storage { body(s.base) } else { body(&_value) }
  }

  /// The largest element, a 0-d tensor; the gradient goes to the largest
  /// elements, split evenly among ties. A NaN anywhere gives NaN (as in
  /// PyTorch), and then the gradient goes to the NaN elements.
  ///
  /// ```swift
  /// Tensor<Double>([1, 5, 3]).max().scalar     // 5
  /// Tensor<Double>([1, .nan, 3]).max().scalar  // nan
  /// ```
  @inlinable
  public func max() -> Tensor {
    _storage == nil ? self : _extremum(Array(0..<rank), true, .max, keepingAxes: false)
  }

  /// The smallest element, a 0-d tensor; ties split the gradient. A NaN
  /// anywhere gives NaN, as for `max()`.
  ///
  /// ```swift
  /// Tensor<Double>([1, 5, 3]).min().scalar   // 1
  /// ```
  @inlinable
  public func min() -> Tensor {
    _storage == nil ? self : _extremum(Array(0..<rank), false, .min, keepingAxes: false)
  }

  /// The largest elements along the given axes, kept with extent 1 (negative
  /// axes count from the end); NaN propagates as in `max()`.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).max(alongAxes: 1).scalars   // [5, 7]
  /// ```
  @inlinable
  public func max(alongAxes axes: Int...) -> Tensor { max(alongAxes: axes) }

  /// The largest elements along the given axes, kept with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).max(alongAxes: [0, 1]).scalars   // [7], shape [1, 1]
  /// ```
  @inlinable
  public func max(alongAxes axes: [Int]) -> Tensor {
    _extremum(_normalizedAxes(axes, "max(alongAxes:)"), true, .max)
  }

  /// The smallest elements along the given axes, kept with extent 1 (negative
  /// axes count from the end); NaN propagates as in `max()`.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).min(alongAxes: 1).scalars   // [1, 2]
  /// ```
  @inlinable
  public func min(alongAxes axes: Int...) -> Tensor { min(alongAxes: axes) }

  /// The smallest elements along the given axes, kept with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).min(alongAxes: [-1]).scalars   // [1, 2], shape [2, 1]
  /// ```
  @inlinable
  public func min(alongAxes axes: [Int]) -> Tensor {
    _extremum(_normalizedAxes(axes, "min(alongAxes:)"), false, .min)
  }
}
