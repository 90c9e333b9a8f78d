@testable import Experiments
import Foundation
import Testing
import Yams

/// The JSON Schemas of experiment and sweep files: up to date in docs/, and accepting what the
/// loader accepts.
struct JSONSchemaTests {
    static let experimentSchemaPath = "\(Fixtures.docsFolder)/experiment.schema.json"
    static let sweepSchemaPath = "\(Fixtures.docsFolder)/sweep.schema.json"

    /// Every file the loader accepts: the examples, the valid fixtures, and their canonical forms.
    static let validPaths = Fixtures.examplePaths + ExampleExperimentTests.validPaths

    /// Broken fixtures whose problem the schema sees on its own (the others need the data or
    /// several keys at once: shapes, monitors, Nesterov without momentum).
    static let rejectedFixtures = [
        "bare-layer-with-settings", "batch-size-zero", "early-stopping-patience-zero", "epochs-not-an-integer",
        "input-shape-not-a-list", "key-not-applicable-to-kind", "learning-rate-not-a-number", "learning-rate-not-positive",
        "missing-required-key", "misspelled-dataset-kind", "misspelled-optimizer-kind", "misspelled-required-key", "negative-seed",
        "section-not-a-mapping", "unknown-key-without-suggestion", "unknown-nested-key", "unknown-top-level-key",
        "validation-fraction-out-of-range",
    ]

    /// `docs/experiment.schema.json` and `docs/sweep.schema.json` hold the generated schemas; run
    /// with `BAIFS_UPDATE_DOCS=1` to rewrite them.
    @Test(arguments: ["experiment", "sweep"])
    func committedSchemaIsUpToDate(name: String) throws {
        let path = name == "sweep" ? Self.sweepSchemaPath : Self.experimentSchemaPath
        let generated = (name == "sweep" ? SweepSchema.jsonSchema : ConfigSchema.jsonSchema).text()
        let committed = try? String(contentsOfFile: path, encoding: .utf8)
        if ProcessInfo.processInfo.environment["BAIFS_UPDATE_DOCS"] == "1", committed != generated {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(committed == generated, "\(path) is out of date; run BAIFS_UPDATE_DOCS=1 swift test --filter JSONSchemaTests")
    }

    @Test func schemaIsDraft07WithEverySection() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(ConfigSchema.jsonSchema.text().utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(schema["required"] as? [String] == ["dataset", "model"])
        #expect(schema["additionalProperties"] as? Bool == false)
        let definitions = try #require(schema["definitions"] as? [String: Any])
        #expect(Set(definitions.keys) == Set(ConfigSchema.sections.dropFirst().map { ConfigSchema.definitionName($0.path) }))
        let optimizer = try #require(definitions["optimizer"] as? [String: Any])
        let learningRate = try #require((optimizer["properties"] as? [String: Any])?["learning_rate"] as? [String: Any])
        #expect(learningRate["exclusiveMinimum"] as? Int == 0)
        #expect((learningRate["description"] as? String)?.contains("Default: 0.1 (sgd), 0.001 (adam), 0.001 (adamw).") == true)
        let kind = try #require((optimizer["properties"] as? [String: Any])?["kind"] as? [String: Any])
        #expect(kind["enum"] as? [String] == ["sgd", "adam", "adamw"])
        #expect(kind["default"] as? String == "sgd")
    }

    @Test(arguments: validPaths)
    func acceptsEveryValidFile(path: String) throws {
        let validator = try JSONSchemaValidator(schemaText: ConfigSchema.jsonSchema.text())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let problems = validator.problems(of: try yamlValue(text))
        #expect(problems == [], "\(path)")
        // The resolved config.yaml of a run, every default written out, too.
        let resolved = try ExperimentLoader.load(contentsOf: path).config.yaml
        let resolvedProblems = validator.problems(of: try yamlValue(resolved))
        #expect(resolvedProblems == [], "\(path) resolved")
    }

    @Test(arguments: rejectedFixtures)
    func rejectsWhatTheLoaderRejects(name: String) throws {
        let path = "\(Fixtures.brokenFolder)/\(name).yaml"
        #expect(!Fixtures.diagnostics(yaml: try String(contentsOfFile: path, encoding: .utf8), path: path).isEmpty)
        let validator = try JSONSchemaValidator(schemaText: ConfigSchema.jsonSchema.text())
        #expect(!validator.problems(of: try yamlValue(try String(contentsOfFile: path, encoding: .utf8))).isEmpty, "\(name)")
    }

    @Test func kindsDecideWhichKeysApplyAndWhichAreRequired() throws {
        let validator = try JSONSchemaValidator(schemaText: ConfigSchema.jsonSchema.text())
        func problems(_ yaml: String) throws -> [String] {
            validator.problems(of: try yamlValue(Fixtures.minimalYAML + yaml))
        }
        #expect(try problems("optimizer: {momentum: 0.9}\n") == [])            // sgd is the default kind
        #expect(try !problems("optimizer: {kind: adam, nesterov: true}\n").isEmpty)
        #expect(try problems("optimizer: {kind: adam, beta1: 0.8}\n") == [])
        #expect(try problems("clipping: norm\nschedule: cosine\n") == [])          // bare kinds
        #expect(try !problems("clipping: clip\n").isEmpty)
        #expect(try problems("training: {early_stopping: {patience: 3}}\n") == [])
        #expect(try !problems("training: {early_stopping: {min_delta: 0.1}}\n").isEmpty)
        let csv = "dataset: {kind: csv, path: data.csv, target: y}\nmodel: {kind: mlp, layers: [{type: linear, out: 1}]}\n"
        #expect(validator.problems(of: try yamlValue(csv)) == [])
        #expect(!validator.problems(of: try yamlValue("dataset: {kind: csv, path: data.csv}\nmodel: {kind: mlp, layers: [{type: linear, out: 1}]}\n")).isEmpty)
    }

    @Test func bareLayersAreTheOnesWithoutSettings() {
        let layer = ConfigSchema.section("model.layers[]")!
        #expect(ConfigSchema.bareKinds(of: layer, kindKey: "type") == LayerType.allCases.filter(\.isParameterless).map(\.rawValue))
    }

    @Test func sweepSchemaDescribesEverySweepSection() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(SweepSchema.jsonSchema.text().utf8)) as? [String: Any])
        #expect(schema["title"] as? String == "baifs sweep file")
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(SweepSchema.sections[0].keyNames))
        let validator = try JSONSchemaValidator(schemaText: SweepSchema.jsonSchema.text())
        let sweep = """
            base: experiments/mlp.yaml
            metric: val_loss
            set: {training.epochs: 5}
            grid:
              optimizer.learning_rate: [0.1, 0.01]
              model.layers.0.out: {range: {start: 8, stop: 32, step: 8}}
            random:
              trials: 4
              parameters:
                optimizer.momentum: {distribution: uniform, low: 0.5, high: 0.99}
            """
        #expect(validator.problems(of: try yamlValue(sweep)) == [])
        for path in Fixtures.sweepPaths {
            let problems = validator.problems(of: try yamlValue(try String(contentsOfFile: path, encoding: .utf8)))
            #expect(problems == [], "\(path)")
        }
        #expect(!validator.problems(of: try yamlValue("base: a.yaml\ngrid: {optimizer.learning_rate: []}\n")).isEmpty)
        #expect(!validator.problems(of: try yamlValue("base: a.yaml\ngrdi: {}\n")).isEmpty)
    }
}

/// A YAML document as a JavaScript YAML parser gives it to a JSON Schema validator: mappings as
/// `[String: Any]`, sequences as `[Any]`, scalars resolved (YAML 1.1) to `Int`, `Double`, `Bool`,
/// `String` or `NSNull`, and integers too large for `Int` as `Double`.
func yamlValue(_ text: String) throws -> Any {
    func convert(_ node: Node) -> Any {
        switch node {
        case .mapping(let mapping):
            return Dictionary(uniqueKeysWithValues: mapping.map { (($0.key.string ?? "\($0.key)"), convert($0.value)) })
        case .sequence(let sequence):
            return sequence.map(convert)
        case .scalar(let scalar):
            if let value = node.bool { return value }
            if let value = node.int { return value }
            if node.tag == Tag(.int), let value = Double(scalar.string) { return value }
            if let value = node.float { return value }
            if node.null != nil { return NSNull() }
            return scalar.string
        case .alias:
            return NSNull()
        }
    }
    guard let node = try Yams.compose(yaml: text) else { return NSNull() }
    return convert(node)
}
