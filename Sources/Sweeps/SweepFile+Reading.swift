import Baifs
import Configuration
import Foundation

extension SweepFile {
    /// Reads the composed sweep file `root` (from `path`), reporting every problem to
    /// `diagnostics`; `nil` if anything was reported.
    static func read(_ root: ConfigNode, path: String, diagnostics: ConfigDiagnostics) -> SweepFile? {
        guard let top = SectionReader(SweepSchema.topLevel, node: root, keyPath: "", parentLocation: root.location,
                                      diagnostics: diagnostics) else { return nil }
        let reader = SweepFileReader(path: path, top: top, diagnostics: diagnostics)
        let name = top.readName(filePath: path, fallback: "sweep")
        let base = reader.readBase()
        let seed = top.readSeed()
        let metric = top.choice("metric").value.flatMap(Metric.init(rawValue:))
        let goal = top.choice("goal").value.flatMap(SweepGoal.init(rawValue:))
        let use = top.choice("use").value.flatMap(SweepRow.init(rawValue:))
        let fixed = reader.readFixed()
        let grid = reader.readGrid()
        let random = reader.readRandom()
        reader.checkKeyPathsAreUnique()

        if top.node("grid") == nil && top.node("random") == nil {
            diagnostics.report(at: top.location, "", "a sweep needs a grid or a random section (or both)")
        }
        guard diagnostics.errors.isEmpty, let name, let base, let seed, let use, let fixed, let grid, let random else {
            return nil
        }
        let file = SweepFile(path: path, name: name, basePath: base, seed: seed, metric: metric,
                             metricLocation: top.node("metric")?.location ?? top.location, goal: goal, use: use,
                             fixed: fixed, grid: grid, randomTrials: random.trials, random: random.parameters)
        guard file.trialCount <= maximumTrials else {
            let location = top.entry("grid")?.keyLocation ?? top.entry("random")?.keyLocation ?? top.location
            let count = file.trialCount == .max ? "more than \(Int.max)" : String(file.trialCount)
            diagnostics.report(at: location, "", "the sweep has \(count) trials; at most \(maximumTrials) are allowed")
            return nil
        }
        return file
    }
}

/// Reads the parts of a sweep file's top level that need more than a key's type and range.
private struct SweepFileReader {
    let path: String
    let top: SectionReader
    let diagnostics: ConfigDiagnostics

    /// The base experiment's path relative to the current folder; it must be a file.
    func readBase() -> String? {
        guard let given = top.string("base").value, let node = top.node("base") else { return nil }
        let resolved = ExperimentLoader.resolve(dataPath: given, relativeTo: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue {
            return resolved
        }
        var message = isDirectory.boolValue ? "\(resolved) is a directory, not an experiment file"
                                            : "no such experiment file: \(resolved)"
        let folder = URL(fileURLWithPath: resolved).deletingLastPathComponent().path
        let siblings = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        let givenName = URL(fileURLWithPath: given).lastPathComponent
        if let suggestion = NameSuggestion.closest(to: givenName, among: siblings) {
            message += "; did you mean \(Excerpt.quoted(given.dropLast(givenName.count) + suggestion))?"
        }
        diagnostics.report(at: node.location, "base", message + " (relative to the sweep file's folder)")
        return nil
    }

    // MARK: - set

    func readFixed() -> [SweepFile.Assignment]? {
        guard let entries = keyPathEntries("set") else { return nil }
        var assignments: [SweepFile.Assignment] = []
        var valid = true
        for entry in entries {
            guard checkSweepable(entry, section: "set") else { valid = false; continue }
            assignments.append(SweepFile.Assignment(keyPath: entry.key, value: entry.value.flowText,
                                                    keyLocation: entry.keyLocation, valueLocation: entry.value.location))
        }
        return valid ? assignments : nil
    }

    // MARK: - grid

    func readGrid() -> [SweepFile.GridParameter]? {
        guard let entries = keyPathEntries("grid") else { return nil }
        var parameters: [SweepFile.GridParameter] = []
        var valid = true
        for entry in entries {
            guard checkSweepable(entry, section: "grid") else { valid = false; continue }
            let keyPath = "grid.\(entry.key)"
            let expected = "a non-empty list of values or {range: {start, stop, step}}"
            switch entry.value.content {
            case .sequence(let items) where !items.isEmpty:
                parameters.append(SweepFile.GridParameter(keyPath: entry.key, keyLocation: entry.keyLocation,
                                                          values: items.map { ($0.flowText, $0.location) }))
            case .mapping(let rangeEntries):
                guard let values = readRange(rangeEntries, node: entry.value, keyPath: keyPath) else { valid = false; continue }
                parameters.append(SweepFile.GridParameter(keyPath: entry.key, keyLocation: entry.keyLocation, values: values))
            case .scalar where !entry.value.isNull:
                diagnostics.report(at: entry.value.location, keyPath,
                                   "expected \(expected), got \(entry.value.shown); a single value for every trial belongs in set")
                valid = false
            default:
                diagnostics.report(at: entry.value.location, keyPath, "expected \(expected), got \(entry.value.shown)")
                valid = false
            }
        }
        return valid ? parameters : nil
    }

    /// The values of `{range: {start, stop, step}}`.
    private func readRange(_ entries: [ConfigEntry], node: ConfigNode, keyPath: String) -> [(text: String, location: ConfigLocation)]? {
        var rangeNode: ConfigNode?
        for entry in entries {
            guard entry.key == "range" else {
                diagnostics.report(at: entry.keyLocation, "\(keyPath).\(entry.key)",
                                   "unknown key \(Excerpt.quoted(entry.key))\(NameSuggestion.clause(for: entry.key, among: ["range"])) (valid keys: range)")
                return nil
            }
            rangeNode = entry.value
        }
        guard let rangeNode else {
            diagnostics.report(at: node.location, keyPath, "expected a non-empty list of values or {range: {start, stop, step}}, got an empty mapping")
            return nil
        }
        let rangePath = "\(keyPath).range"
        guard let range = SectionReader(SweepSchema.range, node: rangeNode, keyPath: rangePath, parentLocation: node.location,
                                        diagnostics: diagnostics),
              let start = range.number("start").value, let stop = range.number("stop").value, let step = range.number("step").value
        else { return nil }
        let stepLocation = range.node("step")?.location ?? rangeNode.location
        guard step != 0 else {
            diagnostics.report(at: stepLocation, "\(rangePath).step", "must not be 0")
            return nil
        }
        guard (stop - start) * step >= 0 else {
            let written = ["start", "step", "stop"].map { range.node($0)?.scalar?.text ?? "" }
            diagnostics.report(at: stepLocation, "\(rangePath).step",
                               "must have the sign of stop − start; steps of \(written[1]) from \(written[0]) never reach \(written[2])")
            return nil
        }
        let texts = ["start", "stop", "step"].compactMap { range.node($0)?.scalar }
        let integral = texts.count == 3 && texts.allSatisfy { $0.kind == .integer }
        if integral {
            return readIntegerRange(texts, node: rangeNode, keyPath: rangePath)
        }
        // Counted in doubles, so that a range of 1e300 values is refused rather than converted.
        let steps = ((stop - start) / step * (1 + 1e-12)).rounded(.down)
        guard steps < Double(SweepFile.maximumTrials) else {
            let count = steps < 1e15 ? String(Int(steps) + 1) : "more than \(SweepFile.maximumTrials)"
            diagnostics.report(at: rangeNode.location, rangePath, "has \(count) values; at most \(SweepFile.maximumTrials) are allowed")
            return nil
        }
        let count = Int(steps) + 1
        // Round to the decimals written, so that 0.1 + 2 × 0.1 is 0.3 rather than 0.30000000000000004.
        let decimals = texts.map { Self.decimals(in: $0.text) }.reduce(0) { max($0, $1 ?? 17) }
        return (0..<count).map { index in
            let value = start + Double(index) * step
            let text: String
            if decimals <= 15 {
                let scale = pow(10, Double(decimals))
                text = formatNumber((value * scale).rounded() / scale)
            } else {
                text = formatNumber(value)
            }
            return (text, rangeNode.location)
        }
    }

    /// The values of a range whose start, stop and step are all integers, computed exactly in
    /// integers (doubles would round seeds near 2⁶³ and could not be converted back).
    private func readIntegerRange(_ scalars: [ConfigScalar], node: ConfigNode,
                                  keyPath: String) -> [(text: String, location: ConfigLocation)]? {
        let values = scalars.map(\.integer)
        guard let start = values[0], let stop = values[1], let step = values[2] else {
            let keys = ["start", "stop", "step"]
            let index = values.firstIndex { $0 == nil } ?? 0
            diagnostics.report(at: node.location, "\(keyPath).\(keys[index])",
                               "must lie in [\(Int.min), \(Int.max)] for integer values; got \(Excerpt.plain(scalars[index].text))")
            return nil
        }
        // stop − start has the sign of step (checked), so the count is the quotient plus one,
        // unless the difference itself overflows.
        let (difference, overflow) = stop.subtractingReportingOverflow(start)
        let quotient = overflow ? Int.max : difference / step
        guard quotient < SweepFile.maximumTrials else {
            let count = overflow || quotient == .max ? "more than \(SweepFile.maximumTrials)" : String(quotient + 1)
            diagnostics.report(at: node.location, keyPath, "has \(count) values; at most \(SweepFile.maximumTrials) are allowed")
            return nil
        }
        return (0...quotient).map { index in (String(start + index * step), node.location) }
    }

    /// The digits after the decimal point of a number written without an exponent.
    private static func decimals(in text: String) -> Int? {
        guard !text.lowercased().contains("e") else { return nil }
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }

    // MARK: - random

    func readRandom() -> (trials: Int, parameters: [SweepFile.RandomParameter])? {
        guard let node = top.node("random") else { return (0, []) }
        guard let random = SectionReader(SweepSchema.random, node: node, keyPath: "random", parentLocation: top.location,
                                         diagnostics: diagnostics) else { return nil }
        let trials = random.integer("trials")
        guard let parametersEntry = random.entry("parameters") else {
            random.reportMissing("parameters")
            return nil
        }
        guard case .mapping(let entries) = parametersEntry.value.content, !entries.isEmpty else {
            diagnostics.report(at: parametersEntry.value.location, "random.parameters",
                               "expected a mapping of key paths to distributions, such as optimizer.learning_rate: {distribution: log_uniform, low: 0.001, high: 0.1}; got \(parametersEntry.value.shown)")
            return nil
        }
        var parameters: [SweepFile.RandomParameter] = []
        var valid = true
        for entry in entries {
            guard checkSweepable(entry, section: "random.parameters") else { valid = false; continue }
            guard let parameter = readDistribution(entry) else { valid = false; continue }
            parameters.append(parameter)
        }
        guard valid, let count = trials.value else { return nil }
        return (count, parameters)
    }

    private func readDistribution(_ entry: ConfigEntry) -> SweepFile.RandomParameter? {
        let keyPath = "random.parameters.\(entry.key)"
        guard var reader = SectionReader(SweepSchema.distribution, node: entry.value, keyPath: keyPath,
                                         parentLocation: entry.keyLocation, diagnostics: diagnostics) else { return nil }
        let distribution = reader.readKind().flatMap(SweepDistribution.init(rawValue:))
        guard let distribution, let low = reader.number("low").value, let high = reader.number("high").value else { return nil }
        let lowNode = reader.node("low"), highNode = reader.node("high")
        switch distribution {
        case .integer:
            for (key, node) in [("low", lowNode), ("high", highNode)] where node?.scalar?.kind != .integer {
                diagnostics.report(at: node?.location ?? entry.value.location, "\(keyPath).\(key)",
                                   "expected an integer for an integer distribution, got \(node?.shown ?? "null")")
                return nil
            }
            // Bounds a double holds exactly, so that every integer between them can be drawn.
            let limit = 9_007_199_254_740_992.0  // 2⁵³
            for (key, value, node) in [("low", low, lowNode), ("high", high, highNode)] where abs(value) > limit {
                diagnostics.report(at: node?.location ?? entry.value.location, "\(keyPath).\(key)",
                                   "must lie in [-2^53, 2^53] for an integer distribution; got \(node?.scalar?.text ?? "")")
                return nil
            }
            guard high >= low else {
                diagnostics.report(at: highNode?.location ?? entry.value.location, "\(keyPath).high",
                                   "must be ≥ low (\(formatInteger(low))); got \(highNode?.scalar?.text ?? "")")
                return nil
            }
        case .uniform, .logUniform:
            if distribution == .logUniform && low <= 0 {
                diagnostics.report(at: lowNode?.location ?? entry.value.location, "\(keyPath).low",
                                   "must be > 0 for a log_uniform distribution; got \(lowNode?.scalar?.text ?? "")")
                return nil
            }
            guard high > low else {
                diagnostics.report(at: highNode?.location ?? entry.value.location, "\(keyPath).high",
                                   "must be > low (\(lowNode?.scalar?.text ?? formatNumber(low))); got \(highNode?.scalar?.text ?? "")")
                return nil
            }
        }
        return SweepFile.RandomParameter(keyPath: entry.key, keyLocation: entry.keyLocation, location: entry.value.location,
                                         distribution: distribution, low: low, high: high)
    }

    private func formatInteger(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : formatNumber(value)
    }

    // MARK: - Key paths

    /// The entries of a mapping of key paths (`set`, `grid`), empty when absent; `nil` if it
    /// is not a mapping (reported).
    private func keyPathEntries(_ key: String) -> [ConfigEntry]? {
        guard let node = top.node(key) else { return [] }
        guard case .mapping(let entries) = node.content, !entries.isEmpty else {
            diagnostics.report(at: node.location, key,
                               "expected a mapping of key paths of the base experiment, such as optimizer.learning_rate; got \(node.shown)")
            return nil
        }
        return entries
    }

    /// Whether `entry`'s key path may be given by a sweep: not `name`, which the sweep sets per
    /// trial (reported).
    private func checkSweepable(_ entry: ConfigEntry, section: String) -> Bool {
        guard entry.key != "name" else {
            diagnostics.report(at: entry.keyLocation, "\(section).name",
                               "the sweep names each trial (trial-0001, trial-0002, …); name cannot be set or swept")
            return false
        }
        return true
    }

    /// Reports a key path given in more than one of `set`, `grid` and `random.parameters`.
    func checkKeyPathsAreUnique() {
        let parameters = top.node("random")?.entries?.first { $0.key == "parameters" }?.value
        let sections = [("set", top.node("set")), ("grid", top.node("grid")), ("random.parameters", parameters)]
        var seen: [String: (section: String, line: Int)] = [:]
        for (section, node) in sections {
            for entry in node?.entries ?? [] {
                if let first = seen[entry.key] {
                    diagnostics.report(at: entry.keyLocation, "\(section).\(entry.key)",
                                       "\(entry.key) is also given in \(first.section) (line \(first.line)); give each key path in one of set, grid and random only")
                } else {
                    seen[entry.key] = (section, entry.keyLocation.line)
                }
            }
        }
    }
}
