import Configuration
import Foundation
import TestSupport
import Testing

/// `ConfigSchema` is consistent, documents what the loader accepts, and is what the docs show.
struct ConfigSchemaTests {
    static let markers = ("<!-- BEGIN GENERATED: ConfigSchema.markdownReference -->\n",
                          "<!-- END GENERATED: ConfigSchema.markdownReference -->")

    /// `docs/experiment-files.md` holds the generated reference; run with `BAIFS_UPDATE_DOCS=1` to rewrite it.
    @Test func documentationHoldsTheGeneratedReference() throws {
        let path = "\(Fixtures.docsFolder)/experiment-files.md"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let (begin, end) = Self.markers
        let start = try #require(text.range(of: begin))
        let stop = try #require(text.range(of: end))
        let current = String(text[start.upperBound..<stop.lowerBound])
        if ProcessInfo.processInfo.environment["BAIFS_UPDATE_DOCS"] == "1", current != ConfigSchema.markdownReference {
            let updated = String(text[..<start.upperBound]) + ConfigSchema.markdownReference + String(text[stop.lowerBound...])
            try updated.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == ConfigSchema.markdownReference,
                "docs/experiment-files.md is out of date; run BAIFS_UPDATE_DOCS=1 swift test --filter ConfigSchemaTests")
    }

    @Test func keysAreSnakeCaseAndUniquePerKind() {
        for section in ConfigSchema.sections {
            for name in section.keyNames {
                // A name may stand for different keys for different kinds, never two for one kind.
                let kinds = section.keys(named: name).map { $0.kinds ?? ["every kind"] }
                #expect(kinds.count == 1 || Set(kinds.joined()).count == kinds.joined().count, "\(section.path).\(name)")
            }
            for key in section.keyNames {
                #expect(key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(section.path).\(key)")
            }
        }
    }

    @Test func kindsAndNestedSectionsExist() throws {
        for section in ConfigSchema.sections {
            var kinds: [String]?
            if let kindKey = section.kindKey, case .choice(let choices) = section.key(kindKey)?.type { kinds = choices }
            for key in section.keys {
                if let keyKinds = key.kinds {
                    let validKinds = try #require(kinds, "\(section.path).\(key.name) names kinds but the section has none")
                    #expect(Set(keyKinds).isSubset(of: validKinds), "\(section.path).\(key.name)")
                }
                if case .perKind(let defaults) = key.defaultValue {
                    #expect(Set(defaults.map(\.kind)).isSubset(of: kinds ?? []), "\(section.path).\(key.name)")
                }
                switch key.type {
                case .section(let path), .list(.section(let path)):
                    #expect(ConfigSchema.section(path) != nil, "\(section.path).\(key.name) → \(path)")
                default:
                    break
                }
            }
        }
    }

    @Test(arguments: ConfigSchema.sections.map(\.path))
    func sectionExampleLoads(path: String) throws {
        let example = try #require(ConfigSchema.section(path)).example
        let isImage = example.contains("micro_resnet")
        var parts = [
            "dataset": isImage ? "dataset:\n  kind: bars" : "dataset:\n  kind: two_moons",
            "model": "model:\n  kind: mlp\n  layers:\n    - {type: linear, out: 1}",
        ]
        let exampleKeys = example.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { $0.prefix { $0 != ":" } }
        for key in exampleKeys { parts[String(key)] = nil }
        let yaml = example + "\n" + parts.keys.sorted().compactMap { parts[$0] }.joined(separator: "\n") + "\n"
        #expect(Fixtures.diagnostics(yaml: yaml) == [], "\(yaml)")
    }

    @Test func suggestionsFindLikelyTypos() {
        func closest(_ name: String, _ candidates: [String]) -> String? {
            let diagnostics = Fixtures.diagnostics(yaml: Fixtures.minimalYAML + "\(name): 1\n")
            return diagnostics.first.flatMap { line in candidates.first { line.contains("did you mean '\($0)'") } }
        }
        let topLevel = ConfigSchema.section("")?.keyNames ?? []
        #expect(closest("sead", topLevel) == "seed")
        #expect(closest("Loss", topLevel) == "loss")
        #expect(closest("trainig", topLevel) == "training")
        #expect(closest("init", topLevel) == nil)
        #expect(closest("xy", topLevel) == nil)
    }
}
