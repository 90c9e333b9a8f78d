import Configuration
import TestSupport
import Testing

/// Composing YAML with aliases resolved within limits, so that a few hundred bytes cannot expand
/// into hundreds of millions of nodes (a "billion laughs" alias bomb).
struct ConfigComposerTests {
    /// Levels of `width` aliases of the level before, the first a list of `width` scalars: `width^levels` nodes.
    static func bomb(levels: Int, width: Int, use: String) -> String {
        var lines = ["a0: &a0 [\(Array(repeating: "lol", count: width).joined(separator: ", "))]"]
        for level in 1..<levels {
            lines.append("a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n") + "\n" + use.replacingOccurrences(of: "LAST", with: "a\(levels - 1)") + "\n"
    }

    @Test func anAliasBombIsRefusedAtTheAliasThatCrossesTheLimit() {
        // Nine levels of nine: 387 million nodes from 400 bytes.
        let yaml = Self.bomb(levels: 9, width: 9, use: "dataset: *LAST")
        #expect(yaml.utf8.count < 500)
        #expect(Fixtures.diagnostics(yaml: yaml) == [
            "experiment.yaml:6:10: error: a5.0: aliases expand the document by more than 100000 nodes (this alias of 'a4' adds 66430); expand fewer aliases or nest them less",
        ])
    }

    @Test func anAliasBombAsAMappingKeyIsRefusedBeforeItIsHashed() {
        // Yams hashes every mapping key in full to find duplicates: an aliased key would be expanded there.
        let small = Self.bomb(levels: 2, width: 3, use: "? *LAST\n: 1")
        #expect(Fixtures.diagnostics(yaml: small) == ["experiment.yaml:3:3: error: mapping keys must be names, not aliases"])
        let flow = Self.bomb(levels: 2, width: 3, use: "{[*LAST]: 1}: 2")
        #expect(Fixtures.diagnostics(yaml: flow) == ["experiment.yaml:3:1: error: mapping keys must be names, not mappings"])
        let huge = Self.bomb(levels: 9, width: 9, use: "? *LAST\n: 1")
        #expect(Fixtures.diagnostics(yaml: huge).first?.contains("aliases expand the document by more than 100000 nodes") == true)
    }

    @Test func anAliasBombInAnOverrideIsRefusedToo() {
        var value = "[&a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"
        for level in 1..<6 { value += ", &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]" }
        value += "]"
        let errors = Fixtures.diagnostics(yaml: Fixtures.minimalYAML, overrides: ["model.input_shape=\(value)"])
        #expect(errors.count == 1)
        #expect(errors[0].hasPrefix("--set:1:") && errors[0].contains("error: model.input_shape.") && errors[0].contains(": aliases expand the document by more than 100000 nodes"))
    }

    @Test func deepNestingIsRefused() {
        let deep = "model: " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "\n"
        #expect(Fixtures.diagnostics(yaml: deep) == [
            "experiment.yaml:1:107: error: model\(String(repeating: ".0", count: 37)).…: the document nests more than 100 collections deep here (counting what aliases expand to)",
        ])
        // Aliases can nest deeper than the text: each level here adds ten.
        var lines = ["a0: &a0 " + String(repeating: "[", count: 10) + String(repeating: "]", count: 10)]
        for level in 1..<12 { lines.append("a\(level): &a\(level) " + String(repeating: "[", count: 9) + "*a\(level - 1)" + String(repeating: "]", count: 9)) }
        let errors = Fixtures.diagnostics(yaml: lines.joined(separator: "\n") + "\n")
        #expect(errors == ["experiment.yaml:11:20: error: a10\(String(repeating: ".0", count: 9)): the document nests more than 100 collections deep here (counting what aliases expand to)"])
    }

    @Test func ordinaryAliasesResolveAsYAMLDefinesThem() throws {
        let yaml = """
            dataset: {kind: two_moons, samples: &count 200}
            model:
              kind: mlp
              layers: &layers
                - &hidden {type: linear, out: 8}
                - tanh
                - *hidden
                - tanh
                - {type: linear, out: 1}
            training: {batch_size: *count, epochs: 3}
            name: "a*b"
            seed: &seed 5
            """
        let experiment = try ExperimentLoader.load(yaml: yaml, path: "experiment.yaml")
        #expect(experiment.config.training.batchSize == 200)
        #expect(experiment.config.model.layers.count == 5)
        #expect(experiment.config.name == "a*b")
        #expect(experiment.config.seed == 5)
        // An alias names the anchor defined last before it; anchors may be redefined.
        let redefined = Fixtures.minimalYAML + "seed: &n 1\ntraining: {epochs: &n 4, batch_size: *n}\n"
        #expect(try ExperimentLoader.load(yaml: redefined, path: "experiment.yaml").config.training.batchSize == 4)
    }

    @Test func starsAndPrivateUseCharactersInTextAreKept() throws {
        let yaml = Fixtures.minimalYAML + "name: run*\u{E000}*x # a *comment\n"
        #expect(try ExperimentLoader.load(yaml: yaml, path: "experiment.yaml").config.name == "run*\u{E000}*x")
        let quoted = Fixtures.minimalYAML + "name: '*x'\n"
        #expect(try ExperimentLoader.load(yaml: quoted, path: "experiment.yaml").config.name == "*x")
    }

    @Test func anUndefinedAliasIsLocated() {
        #expect(Fixtures.diagnostics(yaml: Fixtures.minimalYAML + "seed: *nothing\n") == [
            "experiment.yaml:9:7: error: seed: undefined alias 'nothing'; an alias must follow its anchor (&nothing)",
        ])
    }

    @Test func anUnknownTagIsNamedRatherThanMakingTheValueAString() {
        // Before, `!foo 0.1` was the string '0.1': "expected a number, got '0.1'".
        #expect(Fixtures.diagnostics(yaml: Fixtures.minimalYAML, overrides: ["optimizer.learning_rate=!foo 0.1"]) == [
            "--set:1:25: error: optimizer.learning_rate: unknown tag '!foo'; experiment files use no tags but the standard !!str, !!int, !!float, !!bool and !!null (remove it)",
        ])
        #expect(Fixtures.diagnostics(yaml: Fixtures.minimalYAML + "training: {epochs: !!int 0.5}\n") == [
            "experiment.yaml:9:20: error: training.epochs: '0.5' is not a valid !!int value",
        ])
        let tagged = Fixtures.minimalYAML + "name: !!str 5\ntraining: {epochs: !!int 3, shuffle: !!bool false}\noptimizer: {learning_rate: !!float 1}\n"
        let config = try? ExperimentLoader.load(yaml: tagged, path: "experiment.yaml").config
        #expect(config?.name == "5")
        #expect(config?.training.epochs == 3)
        #expect(config?.optimizer.learningRate == 1)
    }
}
