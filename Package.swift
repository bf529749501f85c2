// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Leibniz",
  products: [
    .library(name: "Leibniz", targets: ["Leibniz"]),
  ],
  targets: [
    // MARK: - Library
    .target(name: "DifferentiableModule"),
    .target(name: "DualModule", dependencies: ["DifferentiableModule"]),
    .target(name: "Leibniz", dependencies: ["DifferentiableModule", "DualModule"]),

    // MARK: - Test support (not a product)
    .target(name: "_LeibnizTestSupport", dependencies: ["Leibniz"]),

    // MARK: - Tests
    .testTarget(name: "DifferentiableModuleTests", dependencies: ["DifferentiableModule", "_LeibnizTestSupport"]),
    .testTarget(name: "DualModuleTests", dependencies: ["Leibniz", "_LeibnizTestSupport"]),

    // MARK: - Examples and benchmarks
    .executableTarget(name: "Quickstart", dependencies: ["Leibniz"], path: "Examples/Quickstart"),
    .executableTarget(name: "NewtonRaphson", dependencies: ["Leibniz"], path: "Examples/NewtonRaphson"),
    .executableTarget(name: "leibniz-bench", dependencies: ["Leibniz"], path: "Benchmarks/leibniz-bench"),
  ],
  swiftLanguageModes: [.v6]
)
