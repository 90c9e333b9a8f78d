@testable import Configuration
import Foundation
import TestSupport
import Testing
import Yams

/// The JSON Schemas of experiment and sweep files: up to date in docs/, and accepting what the
/// loader accepts.
struct JSONSchemaTests {
    static let experimentSchemaPath = "\(Fixtures.docsFolder)/experiment.schema.json"

    /// Every file the loader accepts: the examples, the valid fixtures, and their canonical forms.
    static let validPaths = Fixtures.examplePaths + Fixtures.validPaths

    /// Broken fixtures whose problem the schema sees on its own (the others need the data or
    /// several keys at once: shapes, monitors, Nesterov without momentum).
    static let rejectedFixtures = [
        "bare-layer-with-settings", "batch-size-zero", "early-stopping-patience-zero", "epochs-not-an-integer",
        "input-shape-not-a-list", "key-not-applicable-to-kind", "learning-rate-not-a-number", "learning-rate-not-positive",
        "missing-required-key", "misspelled-dataset-kind", "misspelled-optimizer-kind", "misspelled-required-key", "negative-seed",
        "section-not-a-mapping", "unknown-key-without-suggestion", "unknown-nested-key", "unknown-top-level-key",
        "validation-fraction-out-of-range", "loss-unknown-reduction",
    ]

    /// `docs/experiment.schema.json` and `docs/sweep.schema.json` hold the generated schemas; run
    /// with `BAIFS_UPDATE_DOCS=1` to rewrite them.
    @Test func committedSchemaIsUpToDate() throws {
        try expectCommittedDocument(at: Self.experimentSchemaPath, equals: ConfigSchema.jsonSchema.text(), suite: "JSONSchemaTests")
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
}
