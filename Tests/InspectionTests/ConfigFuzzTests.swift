import Autograd
import Baifs
import Configuration
import Foundation
import Inspection
import Sweeps
import TestSupport
import Testing

/// The example experiments mutated a few hundred times with a fixed seed, the way a hostile or
/// unlucky user would change them: values (huge, negative, non-finite, wrong type), keys,
/// structure (lines dropped, doubled, swapped, re-indented), aliases and alias bombs, tags,
/// encodings and `--set` overrides. Each mutant is loaded, planned and, when it fits in a small
/// memory limit, built and trained for one step, as `check` and `run` would.
///
/// Nothing may trap (a trap would end the test process), every rejection must be a located,
/// bounded one-line error, and the whole must stay fast.
struct ConfigFuzzTests {
    static let mutantCount = 600
    static let seed: UInt64 = 20_261_130

    /// Values that have broken parsers and size computations.
    static let hostileValues = [
        "2147483647", "2147483648", "4294967296", "4611686018427387904", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "18446744073709551616", "0", "-1", "1e308", "-1e308", "1e-320", ".nan", ".inf", "-.inf",
        "0x7fffffffffffffff", "0o777", "0b101", "1_000_000", "00017", "-0", "0.5", "3.0", "true", "off", "null", "~", "''",
        "'x'", "[]", "{}", "[1, 2]", "[9223372036854775807, 1]", "{type: linear, out: 9223372036854775807}", "!foo 1",
        "!!int 0.5", "!!str 3", "!!float x", "!!seq [1]", "&a 3", "*a", "*nothing", "\"\\u202Eevil\\e[2J\"",
        "'" + String(repeating: "w", count: 5000) + "'", "\"a\\nb\\0c\"", "|\n  block\n", "[[[[[[[[[[1]]]]]]]]]]",
        "-", "?", ":", "- - -", "{a: *a}", "&b [*b]", "'ünïcödé 🎉'", "\u{FEFF}1", "2000-01-01",
    ]

    /// Ordinary values, so that many mutants stay valid and go on to be planned, built and trained.
    static let plausibleValues = ["1", "2", "3", "8", "16", "0.01", "0.5", "true", "false", "relu", "adam", "cosine", "none", "[1, 8, 8]"]

    /// Alias bombs to append: small ones within the limits, larger ones past them.
    static func bomb(levels: Int, width: Int) -> String {
        var lines = ["bomb0: &bomb0 [" + Array(repeating: "x", count: width).joined(separator: ", ") + "]"]
        for level in 1..<levels {
            lines.append("bomb\(level): &bomb\(level) [" + Array(repeating: "*bomb\(level - 1)", count: width).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Outcome {
        var loaded = 0
        var trained = 0
        var rejected = 0
    }

    @Test func mutatedExamplesNeverCrashAndEveryRejectionIsLocated() throws {
        let examples = try Fixtures.examplePaths.map { ($0, try String(contentsOfFile: $0, encoding: .utf8)) }
        var generator = RandomGenerator(seed: Self.seed)
        var outcome = Outcome()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for index in 0..<Self.mutantCount {
            let (path, text) = examples[generator.nextInt(below: examples.count)]
            var mutant = text
            var overrides: [String] = []
            var encoded: Data?
            for _ in 0..<(1 + generator.nextInt(below: 2)) {
                switch generator.nextInt(below: 10) {
                case 0, 1, 2: mutant = Self.replaceValue(in: mutant, generator: &generator)
                case 3: mutant = Self.mutateKey(in: mutant, generator: &generator)
                case 4: mutant = Self.mutateStructure(in: mutant, generator: &generator)
                case 5: mutant = Self.addAliases(to: mutant, generator: &generator)
                case 6, 7: overrides.append(Self.override(for: mutant, generator: &generator))
                case 8: mutant = Self.tag(in: mutant, generator: &generator)
                default: encoded = Self.encode(mutant, generator: &generator)
                }
            }
            // The mutant as the file beside its data (CSV paths are relative to the file's folder).
            let mutantPath = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("fuzz-\(index).yaml").path
            let check: () throws(ConfigErrors) -> Experiment
            if let encoded {
                let file = folder.appendingPathComponent("fuzz-\(index).yaml").path
                try encoded.write(to: URL(fileURLWithPath: file))
                check = { () throws(ConfigErrors) in try ExperimentLoader.load(contentsOf: file, overrides: overrides) }
            } else {
                check = { () throws(ConfigErrors) in try ExperimentLoader.load(yaml: mutant, path: mutantPath, overrides: overrides) }
            }
            do {
                let experiment = try check()
                outcome.loaded += 1
                if try Self.planBuildAndStep(experiment) { outcome.trained += 1 }
            } catch let errors as ConfigErrors {
                outcome.rejected += 1
                for error in errors.errors {
                    let shown = error.description
                    #expect(Self.isLocated(shown), "mutant \(index): \(shown)")
                    #expect(!shown.contains("\n") && shown.count < 2_200, "mutant \(index): \(shown.prefix(300))")
                    #expect(error.line >= 1 && error.column >= 1, "mutant \(index): \(shown)")
                }
                #expect(!errors.description.isEmpty)
            } catch {
                Issue.record("mutant \(index): \(error)")
            }
        }
        // The mutations must exercise both sides.
        #expect(outcome.rejected > Self.mutantCount / 4)
        #expect(outcome.loaded > Self.mutantCount / 20, "\(outcome)")
        #expect(outcome.trained > 0)
    }

    /// The example sweep files mutated the same way (and with ranges and distributions of hostile
    /// numbers); each mutant is validated, every trial included, as `sweep` and `check` do.
    @Test func mutatedSweepsNeverCrashAndEveryRejectionIsLocated() throws {
        let sweeps = try Fixtures.sweepPaths.map { ($0, try String(contentsOfFile: $0, encoding: .utf8)) }
        var generator = RandomGenerator(seed: Self.seed + 1)
        var rejected = 0
        for index in 0..<Self.sweepMutantCount {
            let (path, text) = sweeps[generator.nextInt(below: sweeps.count)]
            var mutant = text
            switch generator.nextInt(below: 6) {
            case 0, 1: mutant = Self.replaceValue(in: mutant, generator: &generator)
            case 2: mutant = Self.mutateKey(in: mutant, generator: &generator)
            case 3: mutant = Self.mutateStructure(in: mutant, generator: &generator)
            case 4: mutant = Self.addAliases(to: mutant, generator: &generator)
            default:
                let number = Self.hostileValues[generator.nextInt(below: 20)]
                let range = ["{range: {start: \(number), stop: 9223372036854775807, step: 1}}",
                             "{range: {start: 0, stop: \(number), step: 1e-300}}",
                             "{range: {start: -9223372036854775808, stop: \(number), step: 3}}"]
                mutant += "  seed: \(range[generator.nextInt(below: range.count)])\n"
                if generator.nextInt(below: 2) == 0 {
                    mutant += "random:\n  trials: \(number)\n  parameters:\n    dataset.samples: {distribution: integer, low: 2, high: \(number)}\n"
                }
            }
            do {
                _ = try SweepLoader.load(yaml: mutant, path: path)
            } catch {
                rejected += 1
                for problem in error.errors {
                    #expect(Self.isLocated(problem.description), "sweep mutant \(index): \(problem.description.prefix(300))")
                    #expect(!problem.description.contains("\n") && problem.description.count < 2_200)
                }
            }
        }
        #expect(rejected > Self.sweepMutantCount / 4)
    }

    static let sweepMutantCount = 60

    /// Plans `experiment`, and if it fits in 64 MB builds it and trains one step of two samples,
    /// with the configured optimizer, clipping and schedule. Whether it trained.
    static func planBuildAndStep(_ experiment: Experiment) throws -> Bool {
        let plan = ModelPlan(experiment: experiment)
        do {
            try plan.checkMemory(limit: 64 << 20, limitSource: "the fuzz test")
        } catch {
            return false
        }
        let model = experiment.makeInitialModel()
        #expect(model.parameterCount == plan.parameterCount)
        guard experiment.training.count > 0 else { return false }
        let config = experiment.config
        let solver = Solver(
            model: model, loss: config.loss, optimizer: config.optimizer.makeOptimizer(), clipping: config.clipping.gradientClipping,
            schedule: config.schedule.learningRateSchedule(epochs: config.training.epochs),
            configuration: TrainingConfiguration(epochs: 1, batchSize: 2, shuffle: config.training.shuffle,
                                                 monitor: config.training.monitor),
            generator: RandomStream.shuffling.generator(seed: config.seed))
        let samples = experiment.training.subset(Array(0..<min(2, experiment.training.count)))
        let validation = experiment.validation.count > 0 ? experiment.validation.subset(Array(0..<min(2, experiment.validation.count))) : nil
        do {
            _ = try solver.train(training: samples, validation: validation)
        } catch {
            // A diverging step is a training error, reported as such; anything else is a bug.
            if case .incompatibleData(let message) = error { Issue.record("incompatible data: \(message)") }
        }
        return true
    }

    // MARK: - Mutations

    /// The lines of `text` that hold `key: value`, with the value's range.
    static func valueRanges(in text: String) -> [Range<String.Index>] {
        // The lines are substrings of `text`, so their indices are the text's.
        text.split(separator: "\n").compactMap { line in
            guard !line.trimmingCharacters(in: .whitespaces).hasPrefix("#"), let colon = line.range(of: ": "),
                  colon.upperBound < line.endIndex else { return nil }
            return colon.upperBound..<line.endIndex
        }
    }

    static func replaceValue(in text: String, generator: inout RandomGenerator) -> String {
        let ranges = valueRanges(in: text)
        guard !ranges.isEmpty else { return text }
        var mutant = text
        let pool = generator.nextInt(below: 2) == 0 ? plausibleValues : hostileValues
        mutant.replaceSubrange(ranges[generator.nextInt(below: ranges.count)], with: pool[generator.nextInt(below: pool.count)])
        return mutant
    }

    static func mutateKey(in text: String, generator: inout RandomGenerator) -> String {
        var lines = text.components(separatedBy: "\n")
        let candidates = lines.indices.filter { lines[$0].contains(":") && !lines[$0].hasPrefix("#") }
        guard !candidates.isEmpty else { return text }
        let index = candidates[generator.nextInt(below: candidates.count)]
        let line = lines[index]
        guard let colon = line.firstIndex(of: ":") else { return text }
        let indent = line.prefix { $0 == " " || $0 == "-" || $0 == "{" }
        let key = line[line.index(line.startIndex, offsetBy: indent.count)..<colon]
        let replacements: [String] = [key.uppercased(), String(key.dropLast()), String(key + key), "", "\u{0}", String(repeating: "k", count: 2000),
                            "[a, b]", "{a: 1}", "*a", "? x", "epochs", "layers", "kind", "\"\\n\""]
        lines[index] = String(indent) + replacements[generator.nextInt(below: replacements.count)] + line[colon...]
        return lines.joined(separator: "\n")
    }

    static func mutateStructure(in text: String, generator: inout RandomGenerator) -> String {
        var lines = text.components(separatedBy: "\n")
        guard lines.count > 2 else { return text }
        let index = generator.nextInt(below: lines.count)
        switch generator.nextInt(below: 6) {
        case 0: lines.remove(at: index)
        case 1: lines.insert(lines[index], at: index)
        case 2: lines.swapAt(index, generator.nextInt(below: lines.count))
        case 3: lines[index] = "  " + lines[index]
        case 4: lines[index] = String(lines[index].drop { $0 == " " })
        default: lines[index] = "- " + lines[index]
        }
        return lines.joined(separator: "\n")
    }

    static func addAliases(to text: String, generator: inout RandomGenerator) -> String {
        switch generator.nextInt(below: 4) {
        case 0: return text + bomb(levels: 3, width: 3)
        case 1: return text + bomb(levels: 8, width: 8)
        case 2:
            // An anchor on one value, aliased on another.
            var ranges = valueRanges(in: text)
            guard ranges.count >= 2 else { return text }
            var mutant = text
            let first = generator.nextInt(below: ranges.count - 1)
            let second = first + 1 + generator.nextInt(below: ranges.count - first - 1)
            mutant.replaceSubrange(ranges[second], with: "*fuzz")
            ranges = valueRanges(in: mutant)
            mutant.insert(contentsOf: "&fuzz ", at: ranges[first].lowerBound)
            return mutant
        default: return text + "x: " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "\n"
        }
    }

    static func tag(in text: String, generator: inout RandomGenerator) -> String {
        let ranges = valueRanges(in: text)
        guard !ranges.isEmpty else { return text }
        var mutant = text
        let tags = ["!foo ", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!map ", "!!seq ", "!<tag:x> ", "! "]
        mutant.insert(contentsOf: tags[generator.nextInt(below: tags.count)], at: ranges[generator.nextInt(below: ranges.count)].lowerBound)
        return mutant
    }

    static func override(for text: String, generator: inout RandomGenerator) -> String {
        let keyPaths = ["seed", "name", "training.epochs", "training.batch_size", "model.layers.0.out", "model.layers.0",
                        "model.layers.9.out", "model.input_shape", "dataset.samples", "dataset.kind", "schedule.warmup_epochs",
                        "schedule", "optimizer.learning_rate", "training.early_stopping.patience", "init_from", "x.y", "", ".."]
        let key = keyPaths[generator.nextInt(below: keyPaths.count)]
        let pool = generator.nextInt(below: 2) == 0 ? plausibleValues : hostileValues
        let value = pool[generator.nextInt(below: pool.count)]
        return generator.nextInt(below: 10) == 0 ? key : "\(key)=\(value)"
    }

    /// The text in another encoding, or damaged bytes.
    static func encode(_ text: String, generator: inout RandomGenerator) -> Data {
        switch generator.nextInt(below: 6) {
        case 0: return text.data(using: .utf16) ?? Data()
        case 1: return Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
        case 2: return Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        case 3: return Data(text.utf8.prefix(text.utf8.count / 2)) + Data([0xFF, 0xFE, 0x00])
        case 4: return Data(text.utf8.map { $0 == UInt8(ascii: " ") ? 0 : $0 })
        default: return text.data(using: .isoLatin1, allowLossyConversion: true) ?? Data()
        }
    }

    /// Whether `message` starts with `FILE:LINE:COLUMN: error: `, or (for a binary data file)
    /// `FILE: error: byte N`.
    static func isLocated(_ message: String) -> Bool {
        message.range(of: #"^[^\n]*(:[0-9]+:[0-9]+: error: |: error: byte [0-9]+)"#, options: .regularExpression) != nil
    }
}
