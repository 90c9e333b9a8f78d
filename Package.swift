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
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    // MARK: - Targets
    targets: [
        // The engine: tape, ScalarGrad, TensorGrad and their operations. No I/O.
        .target(name: "Autograd", dependencies: ["AutogradKernels"]),
        // Internal to the engine: the fused linear and convolution kernels in C, one source compiled
        // for portable code, AVX2 and AVX-512 and chosen at run time, bit-identical across them.
        .target(name: "AutogradKernels"),
        // Layers, models, losses, optimizers, solver, datasets and inference.
        .target(name: "Baifs", dependencies: ["Autograd"]),
        // Experiment files: schema, loader, model builder, run store. The only layer that knows YAML.
        .target(
            name: "Experiments",
            dependencies: ["Baifs", "Autograd", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "baifs-run",
            dependencies: [
                "Experiments",
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
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Baifs", "Autograd", .product(name: "Yams", package: "Yams")],
                    exclude: ["Fixtures"]),
        // End-to-end tests of the built baifs-run executable, run as a child process.
        .testTarget(name: "CommandLineTests", dependencies: ["baifs-run", "Experiments"]),
    ],
    swiftLanguageModes: [.v6]
)
