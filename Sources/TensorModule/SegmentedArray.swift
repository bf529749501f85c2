/// An append-only array whose elements never move: segment k holds elements
/// 16·(2ᵏ − 1) ..< 16·(2ᵏ⁺¹ − 1). One thread appends (a tape's owner); any
/// thread may read an element it knows of meanwhile, since reading touches
/// only the segment table, whose row k is written once, before element
/// 16·(2ᵏ − 1) exists.
///
/// ```swift
/// let nodes = SegmentedArray<Int>()
/// nodes.append(7)
/// nodes[0]    // 7
/// ```
@usableFromInline
final class SegmentedArray<Element> {
  @usableFromInline let table: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>
  /// The number of elements (read and written by the appending thread only).
  @exclusivity(unchecked) @usableFromInline var count = 0

  @usableFromInline static var segments: Int { 28 }
  /// `removeAll` keeps segments 0 ..< `keptSegments`: 16·(2¹² − 1) = 65,520
  /// elements.
  @usableFromInline static var keptSegments: Int { 12 }

  @usableFromInline
  init() {
    table = .allocate(capacity: Self.segments)
    table.initialize(repeating: nil, count: Self.segments)
  }

  deinit {
    removeAll()
    for k in 0..<Self.keptSegments { table[k]?.deallocate() }
    table.deinitialize(count: Self.segments)
    table.deallocate()
  }

  /// The segment of element `i` and its first index.
  @inlinable @inline(__always)
  static func place(_ i: Int) -> (segment: Int, first: Int) {
    let q = i &>> 4 &+ 1
    let k = Int.bitWidth &- 1 &- q.leadingZeroBitCount
    return (k, 16 &* ((1 &<< k) &- 1))
  }

  @inlinable
  subscript(i: Int) -> Element {
    @inline(__always) get {
      let (k, first) = Self.place(i)
      return table[k].unsafelyUnwrapped[i &- first]
    }
  }

  /// The address of element `i` (to read a field without copying the
  /// element: no reference counting).
  @inlinable @inline(__always)
  func address(_ i: Int) -> UnsafeMutablePointer<Element> {
    let (k, first) = Self.place(i)
    return table[k].unsafelyUnwrapped + (i &- first)
  }

  @inlinable
  var isEmpty: Bool { count == 0 }

  @inlinable
  func append(_ element: consuming Element) {
    let (k, first) = Self.place(count)
    if count == first && table[k] == nil {
      guard k < Self.segments else { fatalError("Tensor: a tape cannot hold more than 2³² n-d operations") }
      table[k] = .allocate(capacity: 16 << k)
    }
    (table[k].unsafelyUnwrapped + (count &- first)).initialize(to: element)
    count += 1
  }

  /// Removes every element, keeping the segments that hold the first
  /// `keptElements` (the next graph of a similar size appends into memory
  /// already paged in).
  @inlinable
  func removeAll() {
    var i = count
    while i > 0 {
      let (k, first) = Self.place(i - 1)
      table[k].unsafelyUnwrapped.deinitialize(count: i - first)
      i = first
    }
    count = 0
    for k in Self.keptSegments..<Self.segments where table[k] != nil {
      table[k].unsafelyUnwrapped.deallocate()
      table[k] = nil
    }
  }
}
