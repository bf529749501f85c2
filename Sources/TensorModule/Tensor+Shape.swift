import DifferentiableModule

// MARK: - Reshape, transpose, broadcast

extension Tensor {
  /// The same elements in row-major order with another shape; one extent may
  /// be -1 (inferred). Traps when the counts differ.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3, 4]).reshaped(to: [2, -1]).shape   // [2, 2]
  /// ```
  @inlinable
  public func reshaped(to newShape: [Int]) -> Tensor {
    var target = newShape
    let n = scalarCount
    if let k = target.firstIndex(of: -1) {
      var others = target
      others.remove(at: k)
      let rest = _validatedElementCount(others, "Tensor.reshaped(to:)")
      guard rest > 0 && n % rest == 0 else {
        fatalError("Tensor.reshaped(to:): cannot reshape \(shape) to \(newShape)")
      }
      target[k] = n / rest
    }
    guard _validatedElementCount(target, "Tensor.reshaped(to:)") == n else {
      fatalError("Tensor.reshaped(to:): cannot reshape \(shape) (\(n) elements) to \(newShape)")
    }
    let old = shape
    return Tensor._recordNode(_reshapedPlain(target), [self], .custom { g in [g._reshapedPlain(old)] }, .reshape)
  }

  /// The axes permuted: axis `i` of the result is axis `permutation[i]` of
  /// `self`.
  ///
  /// ```swift
  /// Tensor<Double>.zeros([2, 3, 4]).transposed(permutation: [2, 0, 1]).shape   // [4, 2, 3]
  /// ```
  @inlinable
  public func transposed(permutation: [Int]) -> Tensor {
    guard permutation.count == rank, Set(permutation) == Set(0..<rank) else {
      fatalError("Tensor.transposed(permutation:): \(permutation) is not a permutation of the axes of shape \(shape)")
    }
    var inverse = permutation
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    let inv = inverse
    return Tensor._recordNode(
      _transposedPlain(permutation), [self], .custom { g in [g._transposedPlain(inv)] }, .transpose)
  }

  /// The axes reversed (for a matrix, its transpose).
  ///
  /// ```swift
  /// Tensor<Double>([[1, 2, 3], [4, 5, 6]]).transposed().shape   // [3, 2]
  /// ```
  @inlinable
  public func transposed() -> Tensor { transposed(permutation: Array((0..<rank).reversed())) }

  @inlinable
  func _transposedPlain(_ perm: [Int]) -> Tensor {
    let src = shape
    if perm == Array(0..<src.count) { return _constant }
    let out = perm.map { src[$0] }
    let ss = _strides(src)
    // Strides of the source seen in the order of the result's axes.
    let permuted = perm.map { ss[$0] }
    return _withScalars { p, _ in
      Tensor(_shape: out) { q, n in
        if n == 0 { return }
        if out.count == 2 {
          let r = out[0], c = out[1], s0 = permuted[0], s1 = permuted[1]
          for i in 0..<r { for j in 0..<c { q[i * c + j] = p[i * s0 + j * s1] } }
          return
        }
        var index = [Int](repeating: 0, count: out.count)
        var offset = 0
        for i in 0..<n {
          q[i] = p[offset]
          var d = out.count - 1
          while d >= 0 {
            index[d] += 1
            offset += permuted[d]
            if index[d] < out[d] { break }
            offset -= permuted[d] * out[d]
            index[d] = 0
            d -= 1
          }
        }
      }
    }
  }

  /// This tensor broadcast (NumPy rules) to a larger shape; backward sums the
  /// gradient back.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2]).broadcasted(to: [3, 2]).shape   // [3, 2]
  /// ```
  @inlinable
  public func broadcasted(to target: [Int]) -> Tensor {
    let b = _broadcastShape(shape, target, .broadcast)
    guard b == target else {
      fatalError("Tensor.broadcasted(to:): shape \(shape) cannot be broadcast to \(target)")
    }
    let old = shape
    return Tensor._recordNode(
      _expandedPlain(to: target), [self], .custom { g in [g._summed(toShape: old)] }, .broadcast)
  }
}

// MARK: - Indexing and slicing (along the first axis)

extension Tensor {
  /// Element `index` along the first axis (its rank is one less); negative
  /// indices count from the end. Traps when out of range.
  ///
  /// ```swift
  /// let m: Tensor<Double> = [[1, 2], [3, 4]]
  /// m[1].scalars       // [3, 4]
  /// m[1][0].scalar     // 3
  /// ```
  @inlinable
  public subscript(index: Int) -> Tensor {
    guard rank >= 1 else { fatalError("Tensor subscript: a 0-d tensor cannot be indexed") }
    let n0 = shape[0]
    let i = index < 0 ? index + n0 : index
    guard i >= 0 && i < n0 else {
      fatalError("Tensor subscript: index \(index) is out of range for shape \(shape)")
    }
    let rowShape = Array(shape.dropFirst())
    return Tensor._recordNode(
      _rowsPlain(i..<i + 1)._reshapedPlain(rowShape), [self],
      .custom { [shape] g in [g._reshapedPlain([1] + rowShape)._scattered(rows: i..<i + 1, into: shape)] },
      .index)
  }

  /// The element (or sub-tensor) at several leading indices, `t[i, j]` being
  /// `t[i][j]`; negative indices count from the end. Gradients flow back to
  /// that element only. Traps when there are more indices than axes or one is
  /// out of range.
  ///
  /// ```swift
  /// let m: Tensor<Double> = [[1, 2], [3, 4]]
  /// m[1, 0].scalar     // 3
  /// ```
  @inlinable
  public subscript(i: Int, j: Int, rest: Int...) -> Tensor {
    let indices = [i, j] + rest
    let s = shape
    guard indices.count <= s.count else {
      fatalError("Tensor subscript: \(indices.count) indices for shape \(s)")
    }
    for (axis, k) in indices.enumerated() where k >= s[axis] || k < -s[axis] {
      fatalError("Tensor subscript: index \(k) is out of range for axis \(axis) of shape \(s)")
    }
    var r = self[i]
    for k in indices.dropFirst() { r = r[k] }
    return r
  }

  /// The elements `range` along the first axis (same rank). Traps when out of
  /// range.
  ///
  /// ```swift
  /// Tensor<Double>([1, 2, 3, 4])[1..<3].scalars   // [2, 3]
  /// ```
  @inlinable
  public subscript(range: Range<Int>) -> Tensor {
    guard rank >= 1, range.lowerBound >= 0, range.upperBound <= shape[0] else {
      fatalError("Tensor subscript: range \(range) is out of range for shape \(shape)")
    }
    return Tensor._recordNode(
      _rowsPlain(range), [self], .custom { [shape] g in [g._scattered(rows: range, into: shape)] }, .slice)
  }

  /// Rows `range` along the first axis (plain).
  @inlinable
  func _rowsPlain(_ range: Range<Int>) -> Tensor {
    var out = shape
    out[0] = range.count
    let row = shape.dropFirst().reduce(1, *)
    return _withScalars { p, _ in
      Tensor(_shape: out) { q, n in q.update(from: p + range.lowerBound * row, count: n) }
    }
  }

  /// Zeros of `shape` with `self` written at rows `range` (plain).
  @inlinable
  func _scattered(rows range: Range<Int>, into shape: [Int]) -> Tensor {
    let row = shape.dropFirst().reduce(1, *)
    return _withScalars { p, n in
      Tensor(_shape: shape) { q, total in
        q.initialize(repeating: 0, count: total)
        (q + range.lowerBound * row).update(from: p, count: n)
      }
    }
  }
}

// MARK: - Concatenation and stacking

extension Tensor {
  /// Joins tensors along an existing axis; the other extents must agree.
  ///
  /// ```swift
  /// Tensor(concatenating: [Tensor<Double>([1, 2]), Tensor([3])]).scalars   // [1, 2, 3]
  /// ```
  @inlinable
  public init(concatenating tensors: [Tensor], alongAxis axis: Int = 0) {
    guard let first = tensors.first, first.rank > 0 else {
      fatalError("Tensor(concatenating:): needs at least one tensor of rank ≥ 1")
    }
    let ax = first._normalizedAxes([axis], "init(concatenating:alongAxis:)")[0]
    var outShape = first.shape
    outShape[ax] = 0
    for t in tensors {
      var s = t.shape
      guard s.count == first.rank else {
        fatalError("Tensor(concatenating:): shapes \(tensors.map(\.shape)) differ in rank")
      }
      outShape[ax] += s[ax]
      s[ax] = first.shape[ax]
      guard s == first.shape else {
        fatalError("Tensor(concatenating:alongAxis: \(axis)): shapes \(tensors.map(\.shape)) differ off the axis")
      }
    }
    let extents = tensors.map { $0.shape[ax] }
    let value = Tensor._concatPlain(tensors, ax, outShape)
    self = Tensor._recordNode(value, tensors, .custom { g in
      var start = 0
      return extents.map { e in
        defer { start += e }
        return g._slicedPlain(axis: ax, start..<start + e)
      }
    }, .concat)
  }

  /// Stacks tensors of equal shape along a new axis. Traps on an empty list,
  /// whose shape it cannot know (as `init(concatenating:)` does).
  ///
  /// ```swift
  /// Tensor(stacking: [Tensor<Double>([1, 2]), Tensor([3, 4])]).shape   // [2, 2]
  /// ```
  @inlinable
  public init(stacking tensors: [Tensor], alongAxis axis: Int = 0) {
    guard !tensors.isEmpty else { fatalError("Tensor(stacking:): needs at least one tensor") }
    self = Tensor.stacking(tensors, alongAxis: axis)
  }

  /// `init(stacking:)`, and the empty array literal (shape [0]).
  @inlinable
  static func stacking(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    guard let first = tensors.first else { return Tensor(_shape: [0]) { _, _ in } }
    let s = first.shape
    for t in tensors where t.shape != s {
      fatalError("Tensor(stacking:): shapes \(tensors.map(\.shape)) differ")
    }
    let ax = axis < 0 ? axis + s.count + 1 : axis
    guard ax >= 0 && ax <= s.count else { fatalError("Tensor(stacking:alongAxis: \(axis)): axis out of range for shape \(s)") }
    var expanded = s
    expanded.insert(1, at: ax)
    var outShape = s
    outShape.insert(tensors.count, at: ax)
    let parts = tensors.map { $0._reshapedPlain(expanded) }
    let value = _concatPlain(parts, ax, outShape)
    return _recordNode(value, tensors, .custom { g in
      (0..<tensors.count).map { k in g._slicedPlain(axis: ax, k..<k + 1)._reshapedPlain(s) }
    }, .stack)
  }

  @inlinable
  static func _concatPlain(_ tensors: [Tensor], _ ax: Int, _ outShape: [Int]) -> Tensor {
    let outer = outShape[..<ax].reduce(1, *)
    let inner = outShape[(ax + 1)...].reduce(1, *)
    let total = outShape[ax] * inner
    return Tensor(_shape: outShape) { q, _ in
      var offset = 0
      for t in tensors {
        let block = t.shape[ax] * inner
        t._withScalars { p, _ in
          for o in 0..<outer { (q + o * total + offset).update(from: p + o * block, count: block) }
        }
        offset += block
      }
    }
  }

  @inlinable
  func _slicedPlain(axis ax: Int, _ range: Range<Int>) -> Tensor {
    var outShape = shape
    let outer = outShape[..<ax].reduce(1, *)
    let inner = outShape[(ax + 1)...].reduce(1, *)
    let total = outShape[ax] * inner
    outShape[ax] = range.count
    let block = range.count * inner
    return _withScalars { p, _ in
      Tensor(_shape: outShape) { q, _ in
        for o in 0..<outer { (q + o * block).update(from: p + o * total + range.lowerBound * inner, count: block) }
      }
    }
  }
}
