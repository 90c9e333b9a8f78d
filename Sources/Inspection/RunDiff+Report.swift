import Configuration
import Runs
extension RunDiff {
    /// The comparison as text, Markdown or JSON.
    public func report(_ format: ReportFormat) -> String {
        switch format {
        case .text: text
        case .markdown: markdown
        case .json: json.text()
        }
    }

    private func runLine(_ label: String, _ run: RunRecord) -> String {
        "\(label): \(run.path) (\(run.name), \(run.status ?? "no summary"))"
    }

    private var configTable: TextTable {
        var table = TextTable(headers: ["key", "a", "b"])
        table.rows = config.map { [$0.keyPath, $0.a ?? "—", $0.b ?? "—"] }
        return table
    }

    private var metricTable: TextTable {
        var table = TextTable(headers: ["metric", "a", "b", "b − a"], alignments: [.left, .right, .right, .right])
        table.rows = metrics.map { ["\($0.row) \($0.metric)", reportNumber($0.a), reportNumber($0.b), reportDelta($0.delta)] }
        return table
    }

    private var parameterTable: TextTable {
        var table = TextTable(headers: ["parameter", "shape", "max |a − b|", "L2 ‖a − b‖"], alignments: [.left, .left, .right, .right])
        table.rows = parameters.map { distance in
            let shape: String
            switch (distance.shapeA, distance.shapeB) {
            case let (a?, b?) where a == b: shape = "\(a)"
            case let (a?, b?): shape = "\(a) vs \(b)"
            case let (a?, nil): shape = "\(a), only in a"
            case let (nil, b?): shape = "\(b), only in b"
            case (nil, nil): shape = ""
            }
            return [distance.name, shape, reportNumber(distance.maximumAbsoluteDifference), reportNumber(distance.l2Distance)]
        }
        return table
    }

    private var divergenceText: String {
        guard let divergence else { return "none: metrics.csv is identical" }
        return "epoch \(divergence.epoch) (\(divergence.columns.joined(separator: ", ")))"
    }

    private var verdict: String {
        isEqual ? "The runs are equal." : "The runs differ."
    }

    private var text: String {
        var output = runLine("a", a) + "\n" + runLine("b", b) + "\n\n"
        output += config.isEmpty ? "config: identical (name aside)\n" : "config: \(config.count) key\(config.count == 1 ? "" : "s") differ\(config.count == 1 ? "s" : "")\n" + configTable.text(indent: "  ")
        output += "\n"
        if !metrics.isEmpty { output += "metrics:\n" + metricTable.text(indent: "  ") + "\n" }
        output += "first divergence: \(divergenceText)\n\n"
        if !parameters.isEmpty { output += "parameters of checkpoints/last.json:\n" + parameterTable.text(indent: "  ") + "\n" }
        for note in notes { output += "note: \(note)\n" }
        return output + verdict + "\n"
    }

    private var markdown: String {
        var output = "## \(a.path) vs \(b.path)\n\n"
        output += "- a: `\(a.path)` (\(a.name), \(a.status ?? "no summary"))\n- b: `\(b.path)` (\(b.name), \(b.status ?? "no summary"))\n\n"
        output += "### Config\n\n" + (config.isEmpty ? "Identical (name aside).\n" : configTable.markdown) + "\n"
        if !metrics.isEmpty { output += "### Metrics\n\n" + metricTable.markdown + "\n" }
        output += "### First divergence\n\n" + (divergence.map { "Epoch \($0.epoch): \($0.columns.map { "`\($0)`" }.joined(separator: ", ")).\n" }
                                              ?? "None: `metrics.csv` is identical.\n") + "\n"
        if !parameters.isEmpty { output += "### Parameters (`checkpoints/last.json`)\n\n" + parameterTable.markdown + "\n" }
        for note in notes { output += "> \(note)\n" }
        return output + (notes.isEmpty ? "" : "\n") + "**\(verdict)**\n"
    }

    /// The comparison as one JSON document, numbers exact.
    public var json: JSONValue {
        func run(_ record: RunRecord) -> JSONValue {
            .object([("path", .string(record.path)), ("name", .string(record.name)), ("status", record.status.map(JSONValue.string) ?? .null)])
        }
        func optionalString(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return .object([
            ("a", run(a)),
            ("b", run(b)),
            ("equal", .bool(isEqual)),
            ("config", .array(config.map { .object([("key", .string($0.keyPath)), ("a", optionalString($0.a)), ("b", optionalString($0.b))]) })),
            ("metrics", .array(metrics.map {
                .object([("row", .string($0.row)), ("metric", .string($0.metric)), ("a", .optional($0.a)), ("b", .optional($0.b)),
                         ("delta", .optional($0.delta))])
            })),
            ("first_divergence", divergence.map {
                .object([("epoch", .integer(Int64($0.epoch))), ("columns", .array($0.columns.map(JSONValue.string)))])
            } ?? .null),
            ("parameters", .array(parameters.map {
                .object([("name", .string($0.name)), ("shape_a", $0.shapeA.map(JSONValue.integers) ?? .null),
                         ("shape_b", $0.shapeB.map(JSONValue.integers) ?? .null),
                         ("max_abs_difference", .optional($0.maximumAbsoluteDifference)), ("l2_distance", .optional($0.l2Distance))])
            })),
            ("notes", .array(notes.map(JSONValue.string))),
        ])
    }
}
