import Foundation

/// The learning curves of one or more runs as an SVG image: a panel for the loss (training solid,
/// validation dashed), one for the accuracy when any run has accuracies, and one for the learning
/// rate, over a shared epoch axis, with ticks at round numbers, axis labels and a legend.
///
/// One run is drawn in two colours (training, validation); several runs in one colour each, with
/// training solid and validation dashed. The image depends only on the tables and names, so the
/// same metrics always give the same bytes.
public struct CurvesPlot {
    /// One run's curves.
    public struct Run: Sendable {
        /// The name in the legend.
        public var name: String
        /// Its metrics: `epoch` and any of the metric columns.
        public var metrics: MetricsTable

        /// The curves of `metrics` (a run's `metrics.csv`), named `name` in the legend.
        public init(name: String, metrics: MetricsTable) {
            self.name = name
            self.metrics = metrics
        }
    }

    /// A panel: the columns it draws, with a dashed line for the validation ones.
    struct Panel {
        var key: String
        var label: String
        var columns: [(name: String, dashed: Bool)]
        var height: Double
    }

    /// The runs, in legend order.
    public let runs: [Run]
    /// The title above the panels.
    public let title: String

    static let width = 760.0
    static let left = 76.0
    static let right = 24.0
    /// The space below a panel's plot area: its tick labels, the axis label, and a gap.
    static let panelGap = 64.0
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// Plots `runs` under `title`.
    public init(runs: [Run], title: String) {
        self.runs = runs
        self.title = title
    }

    /// The panels that some run has data for, in order: loss, accuracy, learning rate.
    var panels: [Panel] {
        let all = [
            Panel(key: "loss", label: "loss", columns: [("train_loss", false), ("val_loss", true)], height: 220),
            Panel(key: "accuracy", label: "accuracy", columns: [("train_accuracy", false), ("val_accuracy", true)], height: 180),
            Panel(key: "learning_rate", label: "learning rate", columns: [("learning_rate", false)], height: 130),
        ]
        return all.filter { panel in
            panel.columns.contains { column in runs.contains { $0.metrics.values(of: column.name)?.contains { $0 != nil } ?? false } }
        }
    }

    /// The SVG text.
    public var svg: String {
        let plotWidth = Self.width - Self.left - Self.right
        let legend = legendEntries
        // The legend wraps into rows that fit the width.
        var legendRows: [[(label: String, color: String, dashed: Bool)]] = [[]]
        var rowWidth = 0.0
        for entry in legend {
            let entryWidth = 34 + 7 * Double(entry.label.count) + 18
            if rowWidth + entryWidth > plotWidth, !legendRows[legendRows.count - 1].isEmpty {
                legendRows.append([])
                rowWidth = 0
            }
            legendRows[legendRows.count - 1].append(entry)
            rowWidth += entryWidth
        }
        let panels = self.panels
        let headerHeight = 58 + 20 * Double(legendRows.count)
        let height = headerHeight + panels.reduce(0) { $0 + $1.height + Self.panelGap } + 12
        var document = SVGDocument(width: Self.width, height: height, title: title)
        document.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")])
        document.element("text", [("class", "title"), ("x", SVGDocument.number(Self.left)), ("y", "28"),
                                  ("font-size", "16"), ("font-weight", "bold")], text: title)

        document.beginGroup([("class", "legend")])
        for (rowIndex, row) in legendRows.enumerated() {
            var x = Self.left
            let y = 52 + 20 * Double(rowIndex)
            for entry in row {
                var line = [("x1", SVGDocument.number(x)), ("y1", SVGDocument.number(y)), ("x2", SVGDocument.number(x + 26)),
                            ("y2", SVGDocument.number(y)), ("stroke", entry.color), ("stroke-width", "2.5")]
                if entry.dashed { line.append(("stroke-dasharray", "6 4")) }
                document.element("line", line)
                document.element("text", [("x", SVGDocument.number(x + 32)), ("y", SVGDocument.number(y)),
                                          ("dominant-baseline", "middle")], text: entry.label)
                x += 34 + 7 * Double(entry.label.count) + 18
            }
        }
        document.endGroup()

        let epochs = runs.flatMap { $0.metrics.values(of: "epoch")?.compactMap { $0 } ?? [] }
        let xAxis = PlotAxis.epochs(upTo: epochs.max() ?? 1)
        var top = headerHeight
        for (panelIndex, panel) in panels.enumerated() {
            let values = runs.flatMap { run in panel.columns.flatMap { run.metrics.values(of: $0.name)?.compactMap { $0 } ?? [] } }
                .filter(\.isFinite)
            let yAxis = PlotAxis.values(values, unitInterval: panel.key == "accuracy")
            let area = (left: Self.left, top: top, width: plotWidth, height: panel.height)
            draw(panel, in: area, xAxis: xAxis, yAxis: yAxis, showEpochLabel: panelIndex == panels.count - 1, into: &document)
            top += panel.height + Self.panelGap
        }
        return document.text
    }

    /// Colours and dashes: by metric for one run, by run (and a dash key) for several.
    private var legendEntries: [(label: String, color: String, dashed: Bool)] {
        if runs.count == 1 {
            return [("train", Self.palette[0], false), ("validation", Self.palette[1], true)].filter { entry in
                runs[0].metrics.columns.contains { $0.hasPrefix(entry.0 == "train" ? "train_" : "val_") }
            }
        }
        return runs.enumerated().map { ($0.element.name, color(run: $0.offset, dashed: false), false) }
            + [("train", "#444444", false), ("validation", "#444444", true)]
    }

    private func color(run: Int, dashed: Bool) -> String {
        runs.count == 1 ? Self.palette[dashed ? 1 : 0] : Self.palette[run % Self.palette.count]
    }

    private func draw(_ panel: Panel, in area: (left: Double, top: Double, width: Double, height: Double),
                      xAxis: PlotAxis, yAxis: PlotAxis, showEpochLabel: Bool, into document: inout SVGDocument) {
        func x(_ epoch: Double) -> Double { area.left + xAxis.fraction(epoch) * area.width }
        func y(_ value: Double) -> Double { area.top + area.height - yAxis.fraction(value) * area.height }
        let bottom = area.top + area.height
        document.beginGroup([("class", "panel"), ("data-panel", panel.key)])
        for tick in yAxis.ticks {
            let position = SVGDocument.number(y(tick.value))
            document.element("line", [("class", "grid"), ("x1", SVGDocument.number(area.left)), ("y1", position),
                                      ("x2", SVGDocument.number(area.left + area.width)), ("y2", position),
                                      ("stroke", "#e6e6e6"), ("stroke-width", "1")])
            document.element("text", [("class", "y-tick"), ("x", SVGDocument.number(area.left - 8)), ("y", position),
                                      ("text-anchor", "end"), ("dominant-baseline", "middle"), ("fill", "#333333")], text: tick.label)
        }
        for tick in xAxis.ticks {
            let position = SVGDocument.number(x(tick.value))
            document.element("line", [("class", "grid"), ("x1", position), ("y1", SVGDocument.number(area.top)),
                                      ("x2", position), ("y2", SVGDocument.number(bottom)),
                                      ("stroke", "#e6e6e6"), ("stroke-width", "1")])
            document.element("line", [("class", "tick-mark"), ("x1", position), ("y1", SVGDocument.number(bottom)),
                                      ("x2", position), ("y2", SVGDocument.number(bottom + 5)), ("stroke", "#666666")])
            document.element("text", [("class", "x-tick"), ("x", position), ("y", SVGDocument.number(bottom + 18)),
                                      ("text-anchor", "middle"), ("fill", "#333333")], text: tick.label)
        }
        document.element("rect", [("class", "plot-area"), ("x", SVGDocument.number(area.left)), ("y", SVGDocument.number(area.top)),
                                  ("width", SVGDocument.number(area.width)), ("height", SVGDocument.number(area.height)),
                                  ("fill", "none"), ("stroke", "#888888")])
        let middle = SVGDocument.number(area.top + area.height / 2)
        document.element("text", [("class", "axis-label"), ("transform", "translate(22 \(middle)) rotate(-90)"),
                                  ("text-anchor", "middle"), ("font-size", "13")], text: panel.label)
        if showEpochLabel {
            document.element("text", [("class", "axis-label"), ("x", SVGDocument.number(area.left + area.width / 2)),
                                      ("y", SVGDocument.number(bottom + 38)), ("text-anchor", "middle"), ("font-size", "13")],
                             text: "epoch")
        }
        for (runIndex, run) in runs.enumerated() {
            guard let epochs = run.metrics.values(of: "epoch") else { continue }
            for column in panel.columns {
                guard let values = run.metrics.values(of: column.name) else { continue }
                let stroke = runs.count == 1 && panel.key == "learning_rate" ? Self.palette[2] : color(run: runIndex, dashed: column.dashed)
                // Consecutive epochs with a value form one line; an isolated one is a dot.
                var segment: [(Double, Double)] = []
                func flush() {
                    defer { segment = [] }
                    guard !segment.isEmpty else { return }
                    let identity = [("data-run", run.name), ("data-metric", column.name)]
                    if segment.count == 1 {
                        document.element("circle", [("class", "point")] + identity + [
                            ("cx", SVGDocument.number(x(segment[0].0))), ("cy", SVGDocument.number(y(segment[0].1))),
                            ("r", "3"), ("fill", stroke)])
                        return
                    }
                    let points = segment.map { "\(SVGDocument.number(x($0.0))),\(SVGDocument.number(y($0.1)))" }.joined(separator: " ")
                    var attributes = [("class", "series")] + identity + [("points", points), ("fill", "none"), ("stroke", stroke),
                                                                         ("stroke-width", "2"), ("stroke-linejoin", "round")]
                    if column.dashed { attributes.append(("stroke-dasharray", "6 4")) }
                    document.element("polyline", attributes)
                }
                for (epoch, value) in zip(epochs, values) {
                    if let epoch, let value, value.isFinite { segment.append((epoch, value)) } else { flush() }
                }
                flush()
            }
        }
        document.endGroup()
    }
}
