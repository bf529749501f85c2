// A reference row for W2: the least a reverse-mode scalar can do if it keeps
// its tape alive by a strong reference (what a graph that lives exactly as
// long as its results, as in PyTorch, needs) — a value, a slot and the
// reference, recording (slots, partials) on a contiguous tape and sweeping it
// back, with nothing else (no gradient boxes, no modes, no checks). The same
// with an unmanaged reference shows what the reference counting costs, and a
// third row gives each leaf a gradient box of its own, as a `Tensor` leaf has
// (the result of a graph then has no owner: the row shows what a design
// without lifetime tracking could at best reach).

/// A bare tape: (operand slots, partials) entries, preallocated.
final class FloorTape {
  let entries: UnsafeMutablePointer<(a: Int32, b: Int32, da: Double, db: Double)>
  var count = 0
  let capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
    entries = .allocate(capacity: capacity)
  }

  deinit { entries.deallocate() }

  @inline(__always)
  func append(_ a: Int32, _ da: Double, _ b: Int32, _ db: Double) -> Int32 {
    if count == capacity { fatalError("FloorTape: full") }
    entries[count] = (a, b, da, db)
    count += 1
    return Int32(truncatingIfNeeded: count - 1)
  }

  /// The gradient with respect to slots `0..<inputs`, from the output slot.
  func gradient(from output: Int32, inputs: Int) -> [Double] {
    var adj = [Double](repeating: 0, count: count)
    adj.withUnsafeMutableBufferPointer { adj in
      adj[Int(output)] = 1
      var e = Int(output)
      while e >= inputs {
        let g = adj[e]
        if g != 0 {
          let entry = entries[e]
          if entry.a >= 0 { adj[Int(entry.a)] += g * entry.da }
          if entry.b >= 0 { adj[Int(entry.b)] += g * entry.db }
        }
        e -= 1
      }
    }
    return Array(adj[0..<inputs])
  }
}

/// The tape reference of a floor scalar: strong (reference counted) or
/// unmanaged.
protocol FloorReference {
  init(_ tape: FloorTape)
  func append(_ a: Int32, _ da: Double, _ b: Int32, _ db: Double) -> Int32
}

struct StrongFloorReference: FloorReference {
  let tape: FloorTape
  init(_ tape: FloorTape) { self.tape = tape }
  @inline(__always)
  func append(_ a: Int32, _ da: Double, _ b: Int32, _ db: Double) -> Int32 { tape.append(a, da, b, db) }
}

struct UnmanagedFloorReference: FloorReference {
  let tape: Unmanaged<FloorTape>
  init(_ tape: FloorTape) { self.tape = Unmanaged.passUnretained(tape) }
  @inline(__always)
  func append(_ a: Int32, _ da: Double, _ b: Int32, _ db: Double) -> Int32 {
    tape._withUnsafeGuaranteedRef { $0.append(a, da, b, db) }
  }
}

/// A leaf's gradient box: its slot on the tape of the current pass, and its
/// gradient.
final class FloorLeafBox {
  var slot: Int32 = -1
  var grad = 0.0
}

/// The floor scalar: value, slot (-1: constant), tape reference, and a
/// gradient box in leaves of the third row (nil otherwise).
struct FloorScalar<R: FloorReference>: ExpressibleByIntegerLiteral {
  var value: Double
  var slot: Int32
  var tape: R?
  var box: FloorLeafBox?

  init(_ value: Double, slot: Int32 = -1, tape: R? = nil, box: FloorLeafBox? = nil) {
    self.value = value
    self.slot = slot
    self.tape = tape
    self.box = box
  }

  init(integerLiteral value: Int) { self.init(Double(value)) }

  @inline(__always)
  static func record(_ v: Double, _ a: Self, _ da: Double, _ b: Self, _ db: Double) -> Self {
    guard let t = a.tape ?? b.tape else { return Self(v) }
    return Self(v, slot: t.append(a.slot, da, b.slot, db), tape: t)
  }

  static func + (l: Self, r: Self) -> Self { record(l.value + r.value, l, 1, r, 1) }
  static func - (l: Self, r: Self) -> Self { record(l.value - r.value, l, 1, r, -1) }
  static func * (l: Self, r: Self) -> Self { record(l.value * r.value, l, r.value, r, l.value) }
}

/// W2's loop, on floor scalars (the same expression as `w2Rosenbrock`).
@inline(__always)
func w2RosenbrockFloor<R>(_ x: [FloorScalar<R>]) -> FloorScalar<R> {
  var s: FloorScalar<R> = 0
  for i in 0..<(x.count - 1) {
    let xi = x[i]
    let t = x[i + 1] - xi * xi
    let u = 1 - xi
    s = s + 100 * t * t + u * u
  }
  return s
}

/// The gradient on floor scalars with reference `R`.
@inline(never)
func w2FloorGradient<R: FloorReference>(_ x: [Double], _: R.Type) -> [Double] {
  let tape = FloorTape(capacity: 10 * x.count + 16)
  let reference = R(tape)
  let inputs = x.map { FloorScalar($0, slot: tape.append(-1, 0, -1, 0), tape: reference) }
  let f = w2RosenbrockFloor(inputs)
  return withExtendedLifetime(tape) { tape.gradient(from: f.slot, inputs: x.count) }
}

/// The gradient on floor scalars whose leaves carry gradient boxes (kept
/// across calls, as `Tensor` leaves are): each pass registers the leaves on a
/// new tape and stores their gradients in the boxes.
@inline(never)
func w2FloorGradient(_ x: [Double], boxes: [FloorLeafBox]) -> [Double] {
  let tape = FloorTape(capacity: 10 * x.count + 16)
  let reference = UnmanagedFloorReference(tape)
  let inputs = (0..<x.count).map { i in
    boxes[i].slot = tape.append(-1, 0, -1, 0)
    return FloorScalar(x[i], slot: boxes[i].slot, tape: reference, box: boxes[i])
  }
  let f = w2RosenbrockFloor(inputs)
  let g = withExtendedLifetime(tape) { tape.gradient(from: f.slot, inputs: x.count) }
  for b in boxes { b.grad = g[Int(b.slot)] }
  return boxes.map(\.grad)
}
