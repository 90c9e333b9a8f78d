import Configuration
import TestSupport
import Testing

/// Every error is one line of bounded length, whatever the file holds: what the user wrote is
/// quoted as an excerpt with its control characters escaped.
struct ConfigErrorTests {
    static let huge = String(repeating: "abcdefghij", count: 100_000)  // 1 MB

    @Test func aHugeValueIsQuotedAsAnExcerpt() {
        let errors = Fixtures.diagnostics(yaml: Fixtures.minimalYAML + "loss: \(Self.huge)\n")
        #expect(errors == [
            "experiment.yaml:9:7: error: loss: unknown value '\(String(repeating: "abcdefghij", count: 8))…' (choices: mse, cross_entropy)",
        ])
    }

    @Test func aHugeKeyIsQuotedAsAnExcerpt() {
        // YAML keys have at most 1024 characters; a longer one is malformed YAML.
        let key = String(Self.huge.prefix(1000))
        let errors = Fixtures.diagnostics(yaml: Fixtures.minimalYAML + "\(key): 1\n")
        #expect(errors.count == 1)
        #expect(errors[0].hasPrefix("experiment.yaml:9:1: error: \(String(repeating: "abcdefghij", count: 8))…: unknown key '\(String(repeating: "abcdefghij", count: 8))…' (valid keys: "))
        #expect(errors[0].count < 400)
        #expect(Fixtures.diagnostics(yaml: Fixtures.minimalYAML + "\(Self.huge): 1\n") == [
            "experiment.yaml:9:1000001: error: malformed YAML: could not find expected ':' (while scanning a simple key at line 9, column 1)",
        ])
    }

    @Test func lineBreaksAndEscapeSequencesInValuesAreEscaped() {
        let yaml = Fixtures.minimalYAML + "name: \"evil\\n\\e[31mred\\u202Eeulb\"\n"
        #expect(Fixtures.diagnostics(yaml: yaml) == [
            "experiment.yaml:9:7: error: name: a name cannot be empty or contain '/', line breaks or other control characters; got 'evil\\n\\u{1B}[31mred\\u{202E}eulb'",
        ])
        let override = Fixtures.diagnostics(yaml: Fixtures.minimalYAML, overrides: ["optimizer.kind=\"a\\nb\""])
        #expect(override == ["--set:1:16: error: optimizer.kind: unknown value 'a\\nb' (choices: sgd, adam, adamw)"])
    }

    @Test func aMultiLineMalformedOverrideIsOneLine() {
        let errors = Fixtures.diagnostics(yaml: Fixtures.minimalYAML, overrides: [String(repeating: "no equals sign\n", count: 1000)])
        #expect(errors == ["--set:1:1: error: malformed override '\(String(repeating: "no equals sign\\n", count: 5))no eq…'; expected KEY.PATH=VALUE, such as optimizer.learning_rate=0.01"])
    }

    @Test func theDescriptionEscapesWhatAMessageMightHoldAndBoundsIt() {
        let error = ConfigError(file: "a\nb.yaml", line: 1, column: 1, keyPath: "x", message: String(repeating: "m", count: 5000))
        let shown = error.description
        #expect(shown.hasPrefix("a\\nb.yaml:1:1: error: x: mmm"))
        #expect(shown.hasSuffix("m…"))
        #expect(!shown.contains("\n"))
        #expect(shown.count < 1_100)
    }

    @Test func aFileWithThousandsOfErrorsListsFiftyAndCountsTheRest() {
        let keys = (0..<1000).map { "unknown\($0): 1" }.joined(separator: "\n")
        do {
            _ = try ExperimentLoader.load(yaml: Fixtures.minimalYAML + keys + "\n", path: "experiment.yaml")
            Issue.record("The file loaded.")
        } catch {
            #expect(error.errors.count == 1000)
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == ConfigErrors.shownLimit + 1)
            #expect(lines.last == "experiment.yaml: note: 950 more errors not shown")
        }
    }
}
