// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Leibniz",
  // What the Synchronization module (Mutex, Atomic) needs.
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  products: [
    .library(name: "Leibniz", targets: ["Leibniz"]),
    .library(name: "LeibnizTesting", targets: ["LeibnizTesting"]),
    // Each module on its own, for clients that need only part of Leibniz.
    .library(name: "DifferentiableModule", targets: ["DifferentiableModule"]),
    .library(name: "DualModule", targets: ["DualModule"]),
    .library(name: "TensorModule", targets: ["TensorModule"]),
    .library(name: "JacobianModule", targets: ["JacobianModule"]),
  ],
  targets: [
    // MARK: - Library
    .target(name: "DifferentiableModule", dependencies: ["_LeibnizShims"]),
    // The C library's math functions, declared free of side effects (as
    // swift-numerics' _NumericsShims does).
    .target(name: "_LeibnizShims"),
    .target(name: "DualModule", dependencies: ["DifferentiableModule"]),
    .target(name: "TensorModule", dependencies: ["DifferentiableModule", "_LeibnizKernels"]),
    // AVX2 + FMA matrix-product microkernels, chosen at run time (C: Swift
    // cannot compile one function for a CPU feature the build does not target).
    .target(name: "_LeibnizKernels"),
    .target(name: "JacobianModule", dependencies: ["DifferentiableModule", "DualModule", "TensorModule"]),
    .target(
      name: "Leibniz",
      dependencies: ["DifferentiableModule", "DualModule", "TensorModule", "JacobianModule"]),
    // One-line derivative checks for test suites (Swift Testing and XCTest).
    .target(name: "LeibnizTesting", dependencies: ["Leibniz"]),

    // MARK: - Test support (not a product)
    .target(name: "_LeibnizTestSupport", dependencies: ["Leibniz"]),

    // MARK: - Tests
    .testTarget(name: "DifferentiableModuleTests", dependencies: ["DifferentiableModule", "_LeibnizTestSupport"]),
    .testTarget(name: "DualModuleTests", dependencies: ["DifferentiableModule", "DualModule", "_LeibnizTestSupport"]),
    .testTarget(name: "TensorModuleTests", dependencies: ["Leibniz", "_LeibnizTestSupport"]),
    .testTarget(name: "RuleTableTests", dependencies: ["Leibniz", "_LeibnizTestSupport"]),
    .testTarget(
      name: "JacobianModuleTests", dependencies: ["Leibniz", "LeibnizTesting", "_LeibnizTestSupport"]),

    // MARK: - Examples
    .executableTarget(name: "Quickstart", dependencies: ["Leibniz"], path: "Examples/Quickstart"),
    .executableTarget(name: "NewtonRaphson", dependencies: ["Leibniz"], path: "Examples/NewtonRaphson"),
    .executableTarget(name: "Autograd", dependencies: ["Leibniz"], path: "Examples/Autograd"),
    .executableTarget(name: "LinearRegression", dependencies: ["Leibniz"], path: "Examples/LinearRegression"),
    .executableTarget(name: "JacobianCheck", dependencies: ["Leibniz"], path: "Examples/JacobianCheck"),
    .executableTarget(name: "CustomFunctions", dependencies: ["Leibniz"], path: "Examples/CustomFunctions"),
    .executableTarget(name: "SparseNewton", dependencies: ["Leibniz"], path: "Examples/SparseNewton"),
    .executableTarget(name: "GaussNewton", dependencies: ["Leibniz"], path: "Examples/GaussNewton"),
    .executableTarget(
      name: "RandomCrossCheck", dependencies: ["Leibniz", "_LeibnizTestSupport"], path: "Examples/RandomCrossCheck"),

    // MARK: - Benchmarks
    .executableTarget(
      name: "leibniz-bench", dependencies: ["Leibniz", "_LeibnizTestSupport"], path: "Benchmarks/leibniz-bench"),
  ],
  swiftLanguageModes: [.v6]
)
