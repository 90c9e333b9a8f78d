import Baifs
import Configuration
import Foundation
@testable import Runs
import TestSupport
import Testing

/// Runs on data files: the test split in `summary.json`, `initial.json`, checkpoints that are
/// enough for inference after the run moved and its data is gone, and `init_from` files.
struct RunnerDataTests {
    /// A fresh folder, removed by the caller.
    static func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("runner-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` in `folder`; returns its path.
    @discardableResult
    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Two Gaussian blobs per class name, as CSV: `x`, `y`, `species`.
    static let blobsCSV: String = {
        var generator = RandomGenerator(seed: 8)
        var lines = ["x,y,species"]
        let centres = [("ant", -1.0, -1.0), ("bee", 1.0, 1.0), ("cat", -1.0, 1.0)]
        for index in 0..<90 {
            let (name, cx, cy) = centres[index % 3]
            lines.append("\(cx + generator.normal(standardDeviation: 0.3)),\(cy + generator.normal(standardDeviation: 0.3)),\(name)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let blobsYAML = """
        name: blobs
        seed: 4
        dataset:
          kind: csv
          path: data/blobs.csv
          target: species
          normalize: standardize
          scale: 2
          validation_fraction: 0.2
          test_fraction: 0.2
        model:
          kind: mlp
          layers:
            - {type: linear, out: 8}
            - tanh
            - {type: linear, out: 3}
        loss: cross_entropy
        optimizer: {kind: adam, learning_rate: 0.05}
        training: {epochs: 6, batch_size: 8}

        """

    static func run(_ experimentPath: String, in folder: URL) throws -> RunResult {
        let experiment = try ExperimentLoader.load(contentsOf: experimentPath)
        return try Runner.start(experiment, experimentPath: experimentPath, outDirectory: folder.appendingPathComponent("runs").path,
                                observer: nil, shouldStop: { false })
    }

    /// Writes the blobs data and experiment into `folder` and runs it; the experiment's path and the run.
    static func runBlobs(in folder: URL) throws -> (path: String, result: RunResult) {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try write(blobsCSV, "data/blobs.csv", in: folder)
        let path = try write(blobsYAML, "blobs.yaml", in: folder)
        return (path, try run(path, in: folder))
    }

    static func byName(_ parameters: [Checkpoint.NamedParameter]) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.values) })
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func theTestSetIsEvaluatedOnceAtTheEndWithFinalAndBestParameters() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, result) = try Self.runBlobs(in: folder)
        #expect(result.status == .completed)

        let summary = try Self.json(result.directory.summaryPath)
        let test = try #require(summary["test"] as? [String: Any])
        let final = try #require(test["final"] as? [String: Double]), best = try #require(test["best"] as? [String: Double])
        #expect(Set(final.keys) == ["loss", "accuracy"] && Set(best.keys) == ["loss", "accuracy"])

        // The same numbers from the framework, with the run's final and best parameters.
        let experiment = try ExperimentLoader.load(contentsOf: path)
        let testSet = try #require(experiment.test)
        #expect(testSet.count == 18)
        let model = experiment.makeInitialModel()
        let solver = Solver(model: model, loss: .crossEntropy, optimizer: Adam(learningRate: 0.05),
                            configuration: TrainingConfiguration(epochs: 1, batchSize: 8), generator: RandomGenerator(seed: 1))
        try Checkpoint.read(contentsOf: result.directory.checkpointPath("last")).load(into: model)
        let saved = Self.byName(try Checkpoint.read(contentsOf: result.directory.checkpointPath("best")).parameters)
        let bestParameters = model.namedParameters.map { saved[$0.name] ?? [] }
        let expected = solver.evaluateTest(testSet, bestParameters: bestParameters)
        // (Foundation's JSON parser may round the last digit.)
        #expect(isApproximatelyEqual(try #require(final["loss"]), expected.final.loss, relative: 1e-14))
        #expect(final["accuracy"] == expected.final.accuracy)
        #expect(isApproximatelyEqual(try #require(best["loss"]), try #require(expected.best?.loss), relative: 1e-14))
        #expect(best["accuracy"] == expected.best?.accuracy)

        // Without a test split, "test" is null.
        let noTest = try Self.write(Self.blobsYAML.replacingOccurrences(of: "  test_fraction: 0.2\n", with: ""), "no-test.yaml", in: folder)
        let other = try Self.run(noTest, in: folder)
        #expect(try Self.json(other.directory.summaryPath)["test"] is NSNull)
    }

    @Test func initialCheckpointHoldsTheParametersBeforeTheFirstStep() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, result) = try Self.runBlobs(in: folder)
        let initial = try Checkpoint.read(contentsOf: result.directory.checkpointPath("initial"))
        #expect((initial.epoch, initial.step) == (0, 0))
        let model = try ExperimentLoader.load(contentsOf: path).makeInitialModel()
        #expect(Self.byName(initial.parameters) == Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.parameter.values) }))
        #expect(Self.byName(try Checkpoint.read(contentsOf: result.directory.checkpointPath("last")).parameters) != Self.byName(initial.parameters))
        let json = try Self.json(result.directory.checkpointPath("initial"))
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["classes"] as? [String] == ["ant", "bee", "cat"])
        #expect(data["feature_columns"] as? [String] == ["x", "y"])
        #expect(data["scale"] as? Double == 2)
        #expect(data["sample_shape"] as? [Int] == [2])
        #expect(data["task"] as? String == "classification")
    }

    @Test func inferenceNeedsOnlyTheRunDirectoryAndWritesClassNames() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.runBlobs(in: folder).result
        let inPlace = try Predictor(checkpointPath: result.directory.checkpointPath("best"))

        // Move the run elsewhere and delete the data.
        let moved = folder.appendingPathComponent("elsewhere/blobs-run").path
        try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("elsewhere").path, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: result.directory.path, toPath: moved)
        try FileManager.default.removeItem(atPath: folder.appendingPathComponent("data").path)

        let predictor = try Predictor(checkpointPath: "\(moved)/checkpoints/best.json")
        // Columns by name, in any order, extra columns ignored.
        let input = try Self.write("note,y,x\nfirst,-1.1,-0.9\nsecond,0.9,1.2\nthird,1.0,-1.0\n", "points.csv", in: folder)
        let text = try predictor.predict(inputPath: input)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "predicted_class,output_0,output_1,output_2")
        #expect(lines.dropFirst().map { $0.split(separator: ",")[0] } == ["ant", "bee", "cat"])

        // The same outputs as the model in its run, features scaled (×2) and standardised as in training.
        let features: [Double] = [-0.9, -1.1, 1.2, 0.9, -1.0, 1.0].map { $0 * 2 }
        let normalized = try #require(inPlace.checkpoint.normalization).apply(to: features)
        let outputs = Baifs.predict(inPlace.model, features: normalized, sampleShape: [2])
        #expect(lines.dropFirst().map { $0.split(separator: ",").dropFirst().map { Double($0)! } } == outputs)

        // An .npy input of the same points.
        let npy = try Self.writeNPY(shape: [3, 2], values: [-0.9, -1.1, 1.2, 0.9, -1.0, 1.0], name: "points.npy", in: folder)
        #expect(try predictor.predict(inputPath: npy) == text)
        let wrong = try Self.writeNPY(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], name: "wrong.npy", in: folder)
        #expect(throws: PredictionError.self) { try predictor.predict(inputPath: wrong) }
    }

    /// A little-endian float64 `.npy` file, as `numpy.save` writes it.
    static func writeNPY(shape: [Int], values: [Double], name: String, in folder: URL) throws -> String {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for value in values { bytes += withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A small MLP on two moons, `epochs` epochs of batches of 8.
    static func moonsYAML(epochs: Int) -> String {
        """
        name: moons
        dataset: {kind: two_moons, samples: 40}
        model:
          kind: mlp
          layers:
            - {type: linear, out: 4}
            - tanh
            - {type: linear, out: 1}
        training: {epochs: \(epochs), batch_size: 8}

        """
    }

    /// Parameters for `moonsYAML`'s network, as PyTorch would name them.
    static let moonsTensors: [SafetensorsFile.Tensor] = [
        .init(name: "layers.0.weight", shape: [4, 2], values: (0..<8).map { Double($0) / 8 }),
        .init(name: "layers.0.bias", shape: [4], values: [0.5, -0.5, 0.25, -0.25]),
        .init(name: "layers.2.weight", shape: [1, 4], values: [1, 2, 3, 4]),
        .init(name: "layers.2.bias", shape: [1], values: [0.125]),
    ]

    @Test func aRunWithInitFromKilledBeforeItsFirstCheckpointResumesFromTheSameParameters() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try SafetensorsFile(tensors: Self.moonsTensors, dataType: .float64).data.write(to: folder.appendingPathComponent("init.safetensors"))
        let path = try Self.write(Self.moonsYAML(epochs: 3) + "init_from: init.safetensors\n", "moons.yaml", in: folder)
        let finished = try Self.run(path, in: folder)
        // A copy of the run as a kill right after config.yaml would leave it: no checkpoint yet.
        let killed = folder.appendingPathComponent("runs/moons-killed").path
        try FileManager.default.copyItem(atPath: finished.directory.path, toPath: killed)
        for name in ["checkpoints", "metrics.csv", "summary.json", "curves.svg", "timing.json", "tensorboard"] {
            try FileManager.default.removeItem(atPath: "\(killed)/\(name)")
        }
        try FileManager.default.createDirectory(atPath: "\(killed)/checkpoints", withIntermediateDirectories: false)
        let resumed = try Runner.resume(killed, observer: nil, shouldStop: { false })
        for label in ["initial", "last"] {
            #expect(Self.byName(try Checkpoint.read(contentsOf: resumed.directory.checkpointPath(label)).parameters)
                    == Self.byName(try Checkpoint.read(contentsOf: finished.directory.checkpointPath(label)).parameters), "\(label).json")
        }
    }

    @Test func initFromReadsSafetensorsAndListsEveryMismatchAtTheKey() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = Self.moonsYAML(epochs: 1)
        // The parameters PyTorch would save for the same network, as F32 and F64 files.
        let tensors = Self.moonsTensors
        for type in SafetensorsFile.DataType.allCases {
            try SafetensorsFile(tensors: tensors, dataType: type).data.write(to: folder.appendingPathComponent("init-\(type.rawValue).safetensors"))
            let path = try Self.write(base + "init_from: init-\(type.rawValue).safetensors\n", "good.yaml", in: folder)
            let result = try Self.run(path, in: folder)
            let initial = try Checkpoint.read(contentsOf: result.directory.checkpointPath("initial"))
            #expect(Self.byName(initial.parameters) == Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.values) }))
        }
        // A parameters-only JSON file.
        let parametersJSON = "{\"parameters\": {" + tensors.map { "\"\($0.name)\": {\"shape\": \($0.shape), \"values\": \($0.values)}" }
            .joined(separator: ", ") + "}}"
        try Self.write(parametersJSON, "parameters.json", in: folder)
        let fromJSON = try ExperimentLoader.load(yaml: base + "init_from: parameters.json\n", path: folder.appendingPathComponent("j.yaml").path)
        #expect(fromJSON.initialParameters?.tensors.count == 4)

        // Wrong shapes, a missing and an unexpected name: one error at the key, listing them all.
        let wrong: [SafetensorsFile.Tensor] = [
            .init(name: "layers.0.weight", shape: [2, 4], values: Array(repeating: 0, count: 8)),
            .init(name: "layers.2.weight", shape: [1, 4], values: [1, 2, 3, 4]),
            .init(name: "layers.2.bias", shape: [2], values: [0, 0]),
            .init(name: "head.bias", shape: [1], values: [0]),
        ]
        try SafetensorsFile(tensors: wrong, dataType: .float32).data.write(to: folder.appendingPathComponent("wrong.safetensors"))
        let badPath = folder.appendingPathComponent("bad.yaml").path
        #expect(throws: ConfigErrors([ConfigError(file: badPath, line: 10, column: 12, keyPath: "init_from",
                                                  message: "wrong.safetensors does not fit the model: missing layers.0.bias; unexpected head.bias; mis-shaped layers.0.weight is [2, 4] in the file but [4, 2] in the model; layers.2.bias is [2] in the file but [1] in the model")])) {
            try ExperimentLoader.load(yaml: base + "init_from: wrong.safetensors\n", path: badPath)
        }
        #expect(throws: ConfigErrors.self) { try ExperimentLoader.load(yaml: base + "init_from: nowhere.json\n", path: badPath) }
    }
}
