// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "baifs",
    // MARK: - Products
    products: [
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "Baifs", targets: ["Baifs"]),
        .executable(name: "baifs-run", targets: ["baifs-run"]),
        .executable(name: "baifs-bench", targets: ["baifs-bench"]),
    ],
    // MARK: - Dependencies
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    // MARK: - Targets
    targets: [
        // The engine: tape, ScalarGrad, TensorGrad and their operations. No I/O.
        .target(name: "Autograd"),
        // Layers, models, losses, optimizers, solver, datasets and inference.
        .target(name: "Baifs", dependencies: ["Autograd"]),
        .executableTarget(
            name: "baifs-run",
            dependencies: [
                "Baifs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "baifs-bench",
            dependencies: [
                "Autograd",
                "Baifs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: - Tests
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(name: "BaifsTests", dependencies: ["Baifs", "Autograd"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
