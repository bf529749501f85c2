// The Leibniz benchmark: `swift run -c release leibniz-bench [W1 W2 …]`.
// Workloads are those of BENCHMARKS.md; every figure is a ratio measured side
// by side in one run, after the derivatives have been verified.

let workloads: [(String, () -> Void)] = [
  ("W1", runW1),
  ("W2", runW2),
  ("W4", runW4),
  ("W5", runW5),
  ("W3", runW3),
  ("W6", runW6),
]

let requested = Set(CommandLine.arguments.dropFirst().map { $0.uppercased() })
for (name, run) in workloads where requested.isEmpty || requested.contains(name) {
  run()
}
