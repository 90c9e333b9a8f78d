import Autograd
import Baifs
import Configuration
import Foundation
import Inspection
import TestSupport
import Testing

/// Every integer key of the experiment schema, set to values around 2³¹, 2³², 2⁶² and 2⁶³: a
/// located error for each value outside the key's documented range, and for the values inside it
/// a loaded experiment whose plan, memory check and model can be computed without a trap.
///
/// The keys are taken from `ConfigSchema`, so that a new integer key is covered without a change
/// here; each is set with `--set` in an example experiment where it applies.
struct IntegerBoundsTests {
    /// An integer key and where to set it.
    struct Case: CustomTestStringConvertible, Sendable {
        /// The example experiment.
        var file: String
        /// Overrides that make the key apply (a section's kind).
        var setup: [String]
        /// The key path to set, such as `model.layers.0.out`.
        var keyPath: String
        /// Whether the key is a list of integers (set to a list of one).
        var isList: Bool
        var bound: ConfigSchema.Bound?

        var testDescription: String { keyPath }
    }

    static let values = ["2147483647", "2147483648", "4294967296", "4611686018427387904",
                         "9223372036854775807", "9223372036854775808", "-2147483648", "-9223372036854775808"]

    static let cases: [Case] = {
        var cases: [Case] = []
        for section in ConfigSchema.sections {
            for key in section.keys where key.type == .integer || key.type == .list(.integer) {
                // A key without a place is caught by `everyIntegerKeyIsCovered`.
                guard let found = place(key, of: section) else { continue }
                cases.append(Case(file: found.file, setup: found.setup, keyPath: found.keyPath,
                                  isList: key.type == .list(.integer), bound: key.bound))
            }
        }
        return cases
    }()

    /// An example file, overrides and the key path at which `key` of `section` applies.
    static func place(_ key: ConfigSchema.Key, of section: ConfigSchema.Section) -> (file: String, setup: [String], keyPath: String)? {
        let examples = Fixtures.examplePaths
        if section.path.hasSuffix("[]") {
            // A list item: the first item in an example whose kind the key applies to.
            let listPath = String(section.path.dropLast(2))
            for file in examples {
                guard let experiment = try? ExperimentLoader.load(contentsOf: file) else { continue }
                let types = experiment.config.model.layers.map(\.type.rawValue)
                if let index = types.firstIndex(where: { key.applies(to: $0) }) {
                    return (file, [], "\(listPath).\(index).\(key.name)")
                }
            }
            return nil
        }
        let keyPath = section.path.isEmpty ? key.name : "\(section.path).\(key.name)"
        guard let kinds = key.kinds, let kindKey = section.kindKey else { return (examples[0], [], keyPath) }
        // A section of a kind the key applies to: an example that has one, or one set by an override.
        for file in examples {
            guard let experiment = try? ExperimentLoader.load(contentsOf: file) else { continue }
            if section.path == "dataset", kinds.contains(experiment.config.dataset.kind.rawValue) { return (file, [], keyPath) }
        }
        return (examples.first { $0.hasSuffix("mlp.yaml") } ?? examples[0], ["\(section.path).\(kindKey)=\(kinds[0])"], keyPath)
    }

    @Test func everyIntegerKeyIsCovered() {
        let covered = Set(Self.cases.map { $0.keyPath.split(separator: ".").last.map(String.init) ?? "" })
        for section in ConfigSchema.sections {
            for key in section.keys where key.type == .integer || key.type == .list(.integer) {
                #expect(covered.contains(key.name), "\(section.path).\(key.name)")
            }
        }
        #expect(Self.cases.count >= 15)
    }

    @Test(arguments: cases)
    func hugeValuesAreLocatedErrorsOrWork(_ integerKey: Case) throws {
        for value in Self.values {
            let written = integerKey.isList ? "[\(value)]" : value
            let override = "\(integerKey.keyPath)=\(written)"
            let valueColumn = integerKey.keyPath.count + 2 + (integerKey.isList ? 1 : 0)
            let itemPath = integerKey.isList ? "\(integerKey.keyPath).0" : integerKey.keyPath
            let fitsInt = Int(value) != nil
            let inRange = integerKey.keyPath == "seed" ? UInt64(value) != nil
                : fitsInt && (integerKey.bound?.contains(Double(value)!) ?? true)
            do {
                let experiment = try ExperimentLoader.load(contentsOf: integerKey.file, overrides: integerKey.setup + [override])
                #expect(inRange, "\(override) loaded")
                try Self.planAndBuild(experiment)
            } catch let errors as ConfigErrors {
                let messages = errors.errors.map(\.description)
                #expect(!inRange || integerKey.keyPath != "seed", "\(override): \(messages)")
                let expected = integerKey.keyPath == "seed" && value.hasPrefix("-") ? "must be ≥ 0; got \(value)"
                    : integerKey.bound.map { "must be \($0.description); got \(value)" } ?? "\(value) does not fit in a 64-bit integer"
                #expect(messages.contains("--set:1:\(valueColumn): error: \(itemPath): \(expected)"), "\(override): \(messages)")
                for message in messages { #expect(Self.isLocated(message), "\(message)") }
            }
        }
    }

    /// Each key at the largest value its range allows, valid as an integer but perhaps impossible
    /// to run: it loads or is a located error, and its plan and memory check compute.
    @Test(arguments: cases.filter { $0.bound.flatMap(Self.upperLimit) != nil })
    func theDocumentedMaximumLoadsOrIsALocatedError(_ integerKey: Case) throws {
        let maximum = Int(Self.upperLimit(integerKey.bound!)!)
        let override = "\(integerKey.keyPath)=\(integerKey.isList ? "[\(maximum)]" : String(maximum))"
        do {
            let experiment = try ExperimentLoader.load(contentsOf: integerKey.file, overrides: integerKey.setup + [override])
            try Self.planAndBuild(experiment)
        } catch let errors as ConfigErrors {
            for error in errors.errors { #expect(Self.isLocated(error.description), "\(error)") }
        }
    }

    /// Plans `experiment`, checks its memory against 256 MB, and builds its model when it fits.
    static func planAndBuild(_ experiment: Experiment) throws {
        let plan = ModelPlan(experiment: experiment)
        #expect(plan.memoryBytes > 0)
        do {
            try plan.checkMemory(limit: 1 << 28, limitSource: "a test's limit")
            let model = experiment.makeInitialModel()
            #expect(model.parameterCount == plan.parameterCount)
        } catch {
            #expect(error.needed > error.limit)
        }
    }

    static func upperLimit(_ bound: ConfigSchema.Bound) -> Double? {
        switch bound {
        case .closed(_, let upper): upper
        case .atLeast, .greaterThan, .closedOpen, .open: nil
        }
    }

    /// Whether `message` starts with `FILE:LINE:COLUMN: error: `, or (for a binary data file)
    /// `FILE: error: byte N`.
    static func isLocated(_ message: String) -> Bool {
        message.range(of: #"^[^\n]+(:[0-9]+:[0-9]+: error: |: error: byte [0-9]+)"#, options: .regularExpression) != nil
    }
}
