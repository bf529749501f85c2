import DifferentiableModule

// MARK: - Plain kernels (no recording)

extension Tensor {
  /// Normalises axes (negative counts from the end); traps when out of range.
  @inlinable
  func _normalizedAxes(_ axes: [Int], _ operation: String) -> [Int] {
    let r = rank
    return axes.map { a in
      let n = a < 0 ? a + r : a
      guard n >= 0 && n < r else { fatalError("Tensor.\(operation): axis \(a) is out of range for shape \(shape)") }
      return n
    }
  }

  /// The shape with the given axes set to 1.
  @inlinable
  func _keptShape(_ axes: [Int]) -> [Int] {
    var s = shape
    for a in axes { s[a] = 1 }
    return s
  }

  /// Sum over the given (normalised) axes, keeping them with extent 1.
  @inlinable
  func _sumPlain(keepingAxes axes: [Int]) -> Tensor {
    let outShape = _keptShape(axes)
    let src = shape
    var out = Tensor(_shape: outShape) { p, n in p.initialize(repeating: 0, count: n) }
    if outShape.isEmpty { return out }
    let dst = out._storage!.base
    _withScalars { p, _ in
      _broadcastLoop(src, src, outShape) { _, ia, ib in dst[ib] += p[ia] }
    }
    out._slot = -1
    return out
  }

  /// This tensor broadcast to `target` (a plain copy).
  @inlinable
  func _expandedPlain(to target: [Int]) -> Tensor {
    if shape == target { return _constant }
    let src = shape
    _ = _broadcastShape(src, target, .broadcast)
    return _withScalars { p, _ in
      Tensor(_shape: target) { q, _ in
        _broadcastLoop(target, target, src) { i, _, ib in q[i] = p[ib] }
      }
    }
  }

  /// Sums a gradient of a broadcast result down to `target` (undoes
  /// broadcasting).
  @inlinable
  func _summed(toShape target: [Int]) -> Tensor {
    let s = shape
    if s == target { return self }
    if target.isEmpty || _elementCount(target) == 1 && target.allSatisfy({ $0 == 1 }) {
      var total: Scalar = 0
      _withScalars { p, n in for i in 0..<n { total += p[i] } }
      return target.isEmpty ? Tensor(_value: total) : Tensor.full(total, shape: target)
    }
    let pad = s.count - target.count
    var axes: [Int] = []
    for i in 0..<s.count where i < pad || (target[i - pad] == 1 && s[i] != 1) { axes.append(i) }
    let kept = _sumPlain(keepingAxes: axes)
    return kept._reshapedPlain(target)
  }

  /// The same elements with another shape of equal count (a plain copy).
  @inlinable
  func _reshapedPlain(_ target: [Int]) -> Tensor {
    if target == shape { return _constant }
    return _withScalars { p, n in Tensor(_shape: target) { q, _ in q.update(from: p, count: n) } }
  }
}

// MARK: - Sums and means

extension Tensor {
  /// The sum of all elements, a 0-d tensor. Backward: the gradient is spread
  /// to every element.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3]).sum().scalar   // 6
  /// ```
  @inlinable
  public func sum() -> Tensor {
    if _storage == nil { return self }
    var total: Scalar = 0
    _withScalars { p, n in for i in 0..<n { total += p[i] } }
    let shape = self.shape
    return Tensor._recordNode(
      Tensor(_value: total), [self], .custom { g in [Tensor.full(g.scalar, shape: shape)] }, .sum)
  }

  /// The mean of all elements, a 0-d tensor.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3]).mean().scalar  // 2
  /// ```
  @inlinable
  public func mean() -> Tensor {
    if _storage == nil { return self }
    let n = scalarCount
    var total: Scalar = 0
    _withScalars { p, n in for i in 0..<n { total += p[i] } }
    let shape = self.shape
    let scale = 1 / Scalar(Double(n))
    return Tensor._recordNode(
      Tensor(_value: total * scale), [self],
      .custom { g in [Tensor.full(g.scalar * scale, shape: shape)] }, .mean)
  }

  /// Sums along the given axes, keeping them with extent 1 (negative axes
  /// count from the end).
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).sum(alongAxes: 1).scalars   // [3, 7], shape [2, 1]
  /// ```
  @inlinable
  public func sum(alongAxes axes: Int...) -> Tensor { sum(alongAxes: axes) }

  /// Sums along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// x.sum(alongAxes: [0, 1])
  /// ```
  @inlinable
  public func sum(alongAxes axes: [Int]) -> Tensor {
    let ax = _normalizedAxes(axes, "sum(alongAxes:)")
    let shape = self.shape
    return Tensor._recordNode(
      _sumPlain(keepingAxes: ax), [self], .custom { g in [g._expandedPlain(to: shape)] }, .sum)
  }

  /// Means along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2], [3, 4]]).mean(alongAxes: 0).scalars  // [2, 3], shape [1, 2]
  /// ```
  @inlinable
  public func mean(alongAxes axes: Int...) -> Tensor { mean(alongAxes: axes) }

  /// Means along the given axes, keeping them with extent 1.
  ///
  /// ```swift
  /// x.mean(alongAxes: [0])
  /// ```
  @inlinable
  public func mean(alongAxes axes: [Int]) -> Tensor {
    let ax = _normalizedAxes(axes, "mean(alongAxes:)")
    var n = 1
    for a in ax { n *= shape[a] }
    let scale = Tensor(_value: 1 / Scalar(Double(n)))
    let shape = self.shape
    let value = _sumPlain(keepingAxes: ax) * scale
    return Tensor._recordNode(
      value, [self], .custom { g in [(g * scale)._expandedPlain(to: shape)] }, .mean)
  }
}

// MARK: - Maxima and minima

extension Tensor {
  @inlinable
  func _extremum(_ axes: [Int], _ isMax: Bool, _ op: OpCode) -> Tensor {
    guard scalarCount > 0 else { fatalError("Tensor.\(isMax ? "max" : "min"): empty tensor of shape \(shape)") }
    let ax = axes
    let outShape = _keptShape(ax)
    let src = shape
    var best = Tensor(_shape: outShape) { _, _ in }
    var firstSeen = [Bool](repeating: false, count: _elementCount(outShape))
    _withScalars { p, _ in
      best._withMutable { q in
        _broadcastLoop(src, src, outShape) { _, ia, ib in
          let v = p[ia]
          if !firstSeen[ib] || (isMax ? v > q[ib] : v < q[ib]) {
            q[ib] = v
            firstSeen[ib] = true
          }
        }
      }
    }
    let input = self._constant
    let value = axes.count == rank ? best._reshapedPlain([]) : best
    let reshapedBest = best
    return Tensor._recordNode(value, [self], .custom { g in
      // The gradient goes to the extremal elements, split evenly among ties.
      let gk = g._reshapedPlain(outShape)
      var mask = Tensor(_shape: src) { _, _ in }
      var counts = Tensor(_shape: outShape) { q, n in q.initialize(repeating: 0, count: n) }
      input._withScalars { p, _ in
        reshapedBest._withScalars { b, _ in
          mask._withMutable { m in
            counts._withMutable { c in
              _broadcastLoop(src, src, outShape) { i, ia, ib in
                let hit: Scalar = p[ia] == b[ib] ? 1 : 0
                m[i] = hit
                c[ib] += hit
              }
            }
          }
        }
      }
      return [mask * (gk / counts)._expandedPlain(to: src)]
    }, op)
  }

  /// Calls `body` with the elements for writing (the storage is unique: it
  /// was just created by a kernel).
  @inlinable
  mutating func _withMutable(_ body: (UnsafeMutablePointer<Scalar>) -> Void) {
    if let s = _storage { body(s.base) } else { body(&_value) }
  }

  /// The largest element, a 0-d tensor; the gradient goes to the largest
  /// elements, split evenly among ties.
  ///
  /// ```swift
  /// Tensor<Double>([1, 5, 3]).max().scalar   // 5
  /// ```
  @inlinable
  public func max() -> Tensor { _storage == nil ? self : _extremum(Array(0..<rank), true, .max) }

  /// The smallest element, a 0-d tensor; ties split the gradient.
  ///
  /// ```swift
  /// Tensor<Double>([1, 5, 3]).min().scalar   // 1
  /// ```
  @inlinable
  public func min() -> Tensor { _storage == nil ? self : _extremum(Array(0..<rank), false, .min) }

  /// The largest elements along the given axes, kept with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).max(alongAxes: 1).scalars   // [5, 7]
  /// ```
  @inlinable
  public func max(alongAxes axes: Int...) -> Tensor {
    _extremum(_normalizedAxes(axes, "max(alongAxes:)"), true, .max)
  }

  /// The smallest elements along the given axes, kept with extent 1.
  ///
  /// ```swift
  /// Tensor<Double>([[1, 5], [7, 2]]).min(alongAxes: 1).scalars   // [1, 2]
  /// ```
  @inlinable
  public func min(alongAxes axes: Int...) -> Tensor {
    _extremum(_normalizedAxes(axes, "min(alongAxes:)"), false, .min)
  }
}
