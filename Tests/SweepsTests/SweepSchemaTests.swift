import Foundation
import Sweeps
import TestSupport
import Testing

/// The JSON Schema of sweep files: up to date in docs/, and accepting the example sweeps.
struct SweepSchemaTests {
    static let sweepSchemaPath = "\(Fixtures.docsFolder)/sweep.schema.json"

    /// `docs/sweep.schema.json` holds the generated schema; run with `BAIFS_UPDATE_DOCS=1` to rewrite it.
    @Test func committedSchemaIsUpToDate() throws {
        try expectCommittedDocument(at: Self.sweepSchemaPath, equals: SweepSchema.jsonSchema.text(), suite: "SweepSchemaTests")
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
