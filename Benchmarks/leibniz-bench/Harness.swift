// Timing harness: variants of one workload run round-robin in the same process,
// so that the ratios between them are measured side by side under the same
// machine load. Absolute times (min and median) are printed as well.

/// Keeps a value alive so that the optimiser cannot delete the work producing it.
@inline(never)
func blackHole(_ x: Double) { _blackHoleSink += x }
nonisolated(unsafe) var _blackHoleSink = 0.0

/// Times per call of each variant, in seconds.
struct Timing {
  var name: String
  var samples: [Double]
  var min: Double { samples.min()! }
  var median: Double { samples.sorted()[samples.count / 2] }
}

/// Runs each variant `rounds` times, interleaved; each sample is the time of
/// `calls` calls divided by `calls`.
func measureSideBySide(
  rounds: Int = 11, calls: Int = 1, _ variants: [(String, () -> Void)]
) -> [Timing] {
  let clock = ContinuousClock()
  for (_, body) in variants { body() }  // warm up
  var timings = variants.map { Timing(name: $0.0, samples: []) }
  for _ in 0..<rounds {
    for (k, (_, body)) in variants.enumerated() {
      let elapsed = clock.measure { for _ in 0..<calls { body() } }
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      timings[k].samples.append(seconds / Double(calls))
    }
  }
  return timings
}

/// The ratio of `t` to `base` measured side by side: the median over rounds of
/// the ratio within each round (both were timed back to back in every round),
/// which cancels load that comes and goes between rounds.
func ratio(_ t: Timing, to base: Timing) -> Double {
  zip(t.samples, base.samples).map { $0 / $1 }.sorted()[t.samples.count / 2]
}

/// Prints a table: per-unit time (min, median) and the ratio to the first row
/// (the baseline), the median of the per-round ratios.
func printTable(_ title: String, unit: String, perCall: Double, _ timings: [Timing]) {
  print("\n\(title)")
  let header = ["variant".padded(34), "min \(unit)".padded(14, left: true),
                "median \(unit)".padded(16, left: true), "ratio".padded(10, left: true)]
  print(header.joined())
  for t in timings {
    let row = [t.name.padded(34),
               format(t.min / perCall).padded(14, left: true),
               format(t.median / perCall).padded(16, left: true),
               (format(ratio(t, to: timings[0])) + "×").padded(10, left: true)]
    print(row.joined())
  }
}

/// A number with about four significant digits, without Foundation.
func format(_ x: Double) -> String {
  if x == 0 || !x.isFinite { return "\(x)" }
  let magnitude = x.magnitude
  let decimals = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 1 ? 3 : 4
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let rounded = (x * scale).rounded() / scale
  var s = "\(rounded)"
  if decimals == 0, s.hasSuffix(".0") { s.removeLast(2) }
  return s
}

/// Stops the benchmark when a derivative disagrees with its reference.
func verify(_ what: String, _ got: Double, _ expected: Double, tolerance: Double = 1e-9) {
  let scale = max(1, Swift.abs(expected))
  guard Swift.abs(got - expected) <= tolerance * scale else {
    fatalError("benchmark check failed: \(what) = \(got), expected \(expected)")
  }
}

extension String {
  func padded(_ width: Int, left: Bool = false) -> String {
    let pad = String(repeating: " ", count: Swift.max(0, width - count))
    return left ? pad + self : self + pad
  }
}
