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
        // `swift package generate-documentation`: the DocC catalogs of Autograd and Baifs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    // MARK: - Targets
    targets: [
        // The engine: tape, ScalarGrad, TensorGrad and their operations. No I/O.
        .target(name: "Autograd", dependencies: ["AutogradKernels"]),
        // Internal to the engine: the fused linear and convolution kernels in C, one source compiled
        // for portable code, AVX2 and AVX-512 and chosen at run time, bit-identical across them.
        .target(name: "AutogradKernels"),
        // Internal to Configuration: SHA-256's block compression in C, portable and with the x86 SHA
        // extensions, chosen at run time (checkpoint checksums, config hashes).
        .target(name: "SHA256Kernels"),
        // Layers, models, losses, optimizers, solver, datasets and inference.
        .target(name: "Baifs", dependencies: ["Autograd"]),
        // Experiment files: schema, YAML nodes, section readers, decoder, overrides, canonical YAML,
        // `Experiment` and model building. The only target that reads YAML.
        .target(
            name: "Configuration",
            dependencies: ["Baifs", "Autograd", "SHA256Kernels", .product(name: "Yams", package: "Yams")]
        ),
        // Runs: the runner, a run's session and directory, checkpoints, atomic files, locks, curves.
        .target(name: "Runs", dependencies: ["Configuration", "Baifs", "Autograd"]),
        // Sweeps: sweep files, trial expansion, the sweep directory, local and Slurm/parallel runs.
        .target(name: "Sweeps", dependencies: ["Runs", "Configuration", "Baifs"]),
        // Looking at models and runs: plan, graph cost, drawing and tracing, gradient check, diff,
        // compare tables.
        .target(name: "Inspection", dependencies: ["Sweeps", "Runs", "Configuration", "Baifs", "Autograd"]),
        // The command-line front end: one small file per subcommand.
        .executableTarget(
            name: "baifs-run",
            dependencies: [
                "Inspection",
                "Sweeps",
                "Runs",
                "Configuration",
                "Baifs",
                "Autograd",
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
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "TestSupport"]),
        // Fixture paths, approximate comparison, generated-document checks and a JSON Schema
        // validator shared by the tests.
        .target(name: "TestSupport", dependencies: [.product(name: "Yams", package: "Yams")], path: "Tests/TestSupport"),
        // Tiny run directories trained in-process, for the tests of what reads runs back.
        .target(name: "RunTestSupport", dependencies: ["Runs", "Configuration", "Baifs"], path: "Tests/RunTestSupport"),
        .testTarget(name: "BaifsTests", dependencies: ["Baifs", "Autograd", "TestSupport"]),
        .testTarget(name: "ConfigurationTests",
                    dependencies: ["Configuration", "Baifs", "Autograd", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "RunsTests", dependencies: ["Runs", "Configuration", "Baifs", "Autograd", "TestSupport", "RunTestSupport"]),
        .testTarget(name: "SweepsTests", dependencies: ["Sweeps", "Runs", "Configuration", "Baifs", "TestSupport", "RunTestSupport"]),
        .testTarget(name: "InspectionTests", dependencies: ["Inspection", "Sweeps", "Runs", "Configuration", "Baifs", "Autograd", "TestSupport", "RunTestSupport"]),
        // End-to-end tests of the built baifs-run executable, run as a child process.
        .testTarget(name: "CommandLineTests", dependencies: ["baifs-run", "Inspection", "Sweeps", "Runs", "Configuration", "TestSupport",
                                                        .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ],
    swiftLanguageModes: [.v6]
)
