import Autograd
import Baifs
import Foundation

/// A traced computation graph in Graphviz's DOT language, drawn as micrograd's `draw_dot` draws
/// it: every node a record `{ data … | grad … }` (leaves that stand for an input or a parameter
/// named too), every operation an oval between its inputs and its result, left to right, the nodes
/// of each part of the model (input, layers, loss) in a cluster labelled with the part.
///
/// A drawing of more than `maximumNodes` nodes would be unreadable, so it collapses: each part
/// becomes one box with its node counts by operation and the range of its gradients, and the
/// edges between parts carry the number of connections. Render with `dot -Tsvg graph.dot > graph.svg`.
public struct GraphDrawing {
    /// The default largest number of nodes drawn one by one.
    public static let defaultMaximumNodes = 500

    /// The traced graph.
    public let trace: GraphTrace
    /// The parts drawn: one, or all of them.
    public let parts: [GraphTrace.Part]
    /// The largest number of nodes drawn one by one.
    public let maximumNodes: Int

    /// Draws the part named `partName` (`layers.2`, `2`, `input`, `loss`), or the whole graph.
    ///
    /// - Throws: `GraphDrawingError` if no part has that name.
    public init(trace: GraphTrace, partName: String? = nil, maximumNodes: Int = defaultMaximumNodes) throws(GraphDrawingError) {
        self.trace = trace
        self.maximumNodes = maximumNodes
        guard let partName else {
            parts = trace.parts
            return
        }
        let wanted = Int(partName).map { "layers.\($0)" } ?? partName
        guard let part = trace.parts.first(where: { $0.name == wanted }) else {
            throw GraphDrawingError(requested: partName, available: trace.parts.map(\.name))
        }
        parts = [part]
    }

    /// The nodes drawn: those of the parts, and (for a single part) the nodes outside it that it uses.
    public var nodeCount: Int { drawnNodes.count }

    /// Whether the drawing shows per-part boxes instead of single nodes.
    public var isCollapsed: Bool { nodeCount > maximumNodes }

    /// The DOT text.
    public var dot: String {
        isCollapsed ? collapsedDOT : fullDOT
    }

    // MARK: - Every node

    /// The nodes of the drawn parts, then the outside nodes they use, in tape order.
    private var drawnNodes: [Int] {
        let inside = parts.flatMap { Array($0.nodes) }
        guard parts.count == 1 else { return inside }
        let range = parts[0].nodes
        var outside = Set<Int>()
        for index in range {
            let node = trace.graph.node(at: index)
            for input in node.inputs + (node.bias.map { [$0] } ?? []) where !range.contains(input) { outside.insert(input) }
        }
        return outside.sorted() + inside
    }

    private var fullDOT: String {
        var lines = header(shape: "record")
        let insideParts = Set(parts.map(\.name))
        var edges: [String] = []
        var outsideLines: [String] = []
        for part in trace.parts where !insideParts.contains(part.name) {
            // Outside nodes a single drawn part uses, dashed, named by where they come from.
            let used = drawnNodes.filter { part.nodes.contains($0) }
            for index in used {
                outsideLines.append("  \(record(trace.graph.node(at: index), from: part.name))")
            }
        }
        lines += outsideLines
        for (clusterIndex, part) in trace.parts.enumerated() where insideParts.contains(part.name) {
            lines.append("  subgraph cluster_\(clusterIndex) {")
            lines.append("    label=\(quoted("\(part.name): \(part.summary)")); style=rounded; color=gray60; fontcolor=gray30;")
            for index in part.nodes {
                let node = trace.graph.node(at: index)
                lines.append("    \(record(node, from: nil))")
                guard node.operation != .leaf else { continue }
                lines.append("    n\(index)_op [shape=ellipse, label=\(quoted(Self.operationLabel(node)))];")
                lines.append("    n\(index)_op -> n\(index);")
                var seen = Set<Int>()
                for input in node.inputs + (node.bias.map { [$0] } ?? []) where seen.insert(input).inserted {
                    edges.append("  n\(input) -> n\(index)_op;")
                }
            }
            lines.append("  }")
        }
        return (lines + edges + ["}"]).joined(separator: "\n") + "\n"
    }

    /// A node's record: its name if it has one, its value and its gradient.
    private func record(_ node: GraphNode, from outsidePart: String?) -> String {
        var fields: [String] = []
        if let name = trace.leafNames[node.index] { fields.append(Self.escapedRecordText(name)) }
        if let outsidePart { fields.append(Self.escapedRecordText("from \(outsidePart)")) }
        fields.append("data \(Self.format(node.value))")
        fields.append("grad \(Self.format(node.gradient))")
        var attributes = "label=\(quoted("{ " + fields.joined(separator: " | ") + " }"))"
        if node.index == trace.root { attributes += ", penwidth=2" }
        if outsidePart != nil { attributes += ", style=dashed, color=gray50" }
        return "n\(node.index) [\(attributes)];"
    }

    /// `+`, `tanh`, `dot (16)` for a dot product of 16 pairs, `sum (4)`, `pow`.
    static func operationLabel(_ node: GraphNode) -> String {
        switch node.operation {
        case .stridedDot, .gatheredDot, .convolutionDot:
            return "\(node.operation.symbol) (\(node.pairCount)\(node.bias == nil ? "" : " + bias"))"
        case .sum, .maximum:
            return "\(node.operation.symbol) (\(node.inputs.count))"
        case .leaf, .add, .multiply, .power, .exp, .log, .tanh, .relu, .sigmoid:
            return node.operation.symbol
        }
    }

    // MARK: - One box per part

    private var collapsedDOT: String {
        var lines = header(shape: "box")
        let drawnParts = drawnPartsForCollapse
        for (clusterIndex, part) in trace.parts.enumerated() where drawnParts.contains(part.name) {
            let nodes = part.nodes.map { trace.graph.node(at: $0) }
            var counts: [String: Int] = [:]
            for node in nodes { counts[Self.operationName(node.operation), default: 0] += 1 }
            var names: [String] = []
            for operation in Autograd.Operation.allCases where !names.contains(Self.operationName(operation)) {
                names.append(Self.operationName(operation))
            }
            let byOperation = names.compactMap { name in counts[name].map { "\($0) \(name)" } }
            var label = ["\(part.name): \(part.summary)", "\(nodes.count) nodes" + (byOperation.isEmpty ? "" : ": " + byOperation.joined(separator: ", "))]
            if let largest = nodes.map({ abs($0.gradient) }).max() {
                label.append("largest |grad| \(Self.format(largest))")
            }
            if part.nodes.contains(trace.root) {
                label.append("loss \(Self.format(trace.graph.node(at: trace.root).value))")
            }
            lines.append("  subgraph cluster_\(clusterIndex) {")
            lines.append("    label=\(quoted(part.name)); style=rounded; color=gray60; fontcolor=gray30;")
            lines.append("    part_\(clusterIndex) [label=\(quoted(label.joined(separator: "\n")))];")
            lines.append("  }")
        }
        // Edges: the connections from each part into each later part.
        let indexByName = Dictionary(uniqueKeysWithValues: trace.parts.enumerated().map { ($0.element.name, $0.offset) })
        for (targetIndex, target) in trace.parts.enumerated() where drawnParts.contains(target.name) {
            var connections: [Int: Int] = [:]
            for index in target.nodes {
                let node = trace.graph.node(at: index)
                for input in Set(node.inputs + (node.bias.map { [$0] } ?? [])) where !target.nodes.contains(input) {
                    if let source = trace.part(of: input), let sourceIndex = indexByName[source.name] {
                        connections[sourceIndex, default: 0] += 1
                    }
                }
            }
            for sourceIndex in connections.keys.sorted() where drawnParts.contains(trace.parts[sourceIndex].name) {
                let count = connections[sourceIndex]!
                lines.append("  part_\(sourceIndex) -> part_\(targetIndex) [label=\(quoted("\(count) edge\(count == 1 ? "" : "s")"))];")
            }
        }
        // A part without nodes (a flatten only reshapes) sits between its neighbours, dashed.
        for (index, part) in trace.parts.enumerated() where part.nodes.isEmpty && drawnParts.contains(part.name) {
            if index > 0, drawnParts.contains(trace.parts[index - 1].name) {
                lines.append("  part_\(index - 1) -> part_\(index) [style=dashed];")
            }
            if index + 1 < trace.parts.count, drawnParts.contains(trace.parts[index + 1].name) {
                lines.append("  part_\(index) -> part_\(index + 1) [style=dashed];")
            }
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }

    /// The parts shown collapsed: all, or the drawn part and the parts it uses.
    private var drawnPartsForCollapse: Set<String> {
        guard parts.count == 1 else { return Set(trace.parts.map(\.name)) }
        var names: Set<String> = [parts[0].name]
        for index in drawnNodes { if let part = trace.part(of: index) { names.insert(part.name) } }
        return names
    }

    static func operationName(_ operation: Autograd.Operation) -> String {
        switch operation {
        case .leaf: "leaf"
        case .add: "add"
        case .multiply: "multiply"
        case .stridedDot, .gatheredDot, .convolutionDot: "dot"
        case .power, .exp, .log, .tanh, .relu, .sigmoid, .sum, .maximum: operation.symbol
        }
    }

    // MARK: - Text

    private func header(shape: String) -> [String] {
        [
            "digraph baifs {",
            "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11];",
            "  node [shape=\(shape), fontname=\"Helvetica\", fontsize=10];",
            "  edge [color=gray40, fontname=\"Helvetica\", fontsize=9];",
        ]
    }

    /// A value as micrograd shows it: four decimals.
    static func format(_ value: Double) -> String {
        value.formatted("%.4f")
    }

    /// Text for a record field: the characters that structure records escaped.
    static func escapedRecordText(_ text: String) -> String {
        var result = ""
        for character in text {
            if "{}|<>".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

/// A DOT string literal. Backslashes are kept as they are: in labels they escape record
/// structure (`\{`) or mean a line break (`\n`).
private func quoted(_ text: String) -> String {
    var result = "\""
    for character in text {
        switch character {
        case "\"": result += "\\\""
        case "\n": result += "\\n"
        default: result.append(character)
        }
    }
    return result + "\""
}

/// A part name that the trace does not have.
public struct GraphDrawingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The name asked for.
    public var requested: String
    /// The parts there are.
    public var available: [String]

    /// The error as printed: the name asked for and the parts to choose from.
    public var description: String {
        "no layer \(Excerpt.quoted(requested)) in this model; choose one of \(available.joined(separator: ", ")) (or a layer's index)"
    }
}
