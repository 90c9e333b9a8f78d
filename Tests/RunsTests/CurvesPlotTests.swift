import Baifs
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Runs

/// `CurvesPlot`: well-formed SVG whose lines are the CSV's numbers through the axes' ticks.
struct CurvesPlotTests {
    static let classificationCSV = """
        epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,grad_norm
        1,15,0.9123,0.52,0.8,0.55,0.1,1.5
        2,30,0.5,0.81,0.61,0.77,0.1,1.2
        3,45,0.31,0.9,0.35,0.88,0.05,0.8
        4,60,0.2,0.95,0.3,0.91,0.025,0.5

        """
    static let regressionCSV = """
        epoch,step,train_loss,learning_rate,grad_norm
        1,10,2.5,0.001,3
        2,20,1.25,0.001,2
        3,30,0.75,0.001,1

        """

    func table(_ text: String) throws -> MetricsTable {
        try MetricsTable(csv: text, path: "metrics.csv")
    }

    @Test func svgIsWellFormedXML() throws {
        let svg = CurvesPlot(runs: [.init(name: "moons", metrics: try table(Self.classificationCSV))], title: "a \"title\" & <more>").svg
        let document = try SVGParse(svg)
        #expect(document.root == "svg")
        #expect(document.elements.first { $0.name == "title" }?.text == "a \"title\" & <more>")
        #expect(svg.contains("a &quot;title&quot; &amp; &lt;more&gt;"))
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func plottedPointsAreTheCSVValuesThroughTheAxisTicks() throws {
        let metrics = try table(Self.classificationCSV)
        let svg = CurvesPlot(runs: [.init(name: "run", metrics: metrics)], title: "run").svg
        let document = try SVGParse(svg)
        #expect(document.panels.map(\.key) == ["loss", "accuracy", "learning_rate"])
        var checked = 0
        for panel in document.panels {
            let x = try panel.axis("x-tick"), y = try panel.axis("y-tick")
            for line in panel.lines {
                let epochs = try #require(metrics.values(of: "epoch")).compactMap { $0 }
                let values = try #require(metrics.values(of: line.metric)).compactMap { $0 }
                #expect(line.points.count == values.count, "\(line.metric)")
                for (point, (epoch, value)) in zip(line.points, zip(epochs, values)) {
                    // Coordinates have two decimals: a hundredth of a pixel, and as much again from the ticks.
                    #expect(abs(x.value(at: point.x) - epoch) <= 0.03 * x.unitsPerPixel.magnitude, "\(line.metric) epoch \(epoch)")
                    #expect(abs(y.value(at: point.y) - value) <= 0.03 * y.unitsPerPixel.magnitude, "\(line.metric): \(value)")
                    checked += 1
                }
            }
        }
        // train and val loss, train and val accuracy, learning rate: 5 lines of 4 epochs.
        #expect(checked == 20)
    }

    @Test func ticksAreRoundNumbersCoveringTheData() throws {
        let document = try SVGParse(CurvesPlot(runs: [.init(name: "run", metrics: try table(Self.regressionCSV))], title: "t").svg)
        #expect(document.panels.map(\.key) == ["loss", "learning_rate"])  // no accuracy for regression
        let loss = try #require(document.panels.first)
        let labels = loss.texts("y-tick").map(\.text)
        #expect(labels == ["0.5", "1.0", "1.5", "2.0", "2.5"])
        #expect(loss.texts("x-tick").map(\.text) == ["0", "1", "2", "3"])
        // A constant learning rate sits in the middle of its panel.
        let rate = document.panels[1]
        #expect(rate.texts("y-tick").map(\.text).first == "0.0000")
        #expect(rate.texts("y-tick").map(\.text).last == "0.0020")
    }

    @Test func severalRunsOverlayWithOneColourEach() throws {
        let runs = [CurvesPlot.Run(name: "lr-0.1", metrics: try table(Self.classificationCSV)),
                    CurvesPlot.Run(name: "lr-0.01", metrics: try table(Self.regressionCSV))]
        let svg = CurvesPlot(runs: runs, title: "sweep").svg
        let document = try SVGParse(svg)
        let lossLines = try #require(document.panels.first).lines
        #expect(Set(lossLines.map(\.run)) == ["lr-0.1", "lr-0.01"])
        let colours = Dictionary(grouping: lossLines, by: \.run).mapValues { Set($0.map(\.stroke)) }
        #expect(colours["lr-0.1"]?.count == 1 && colours["lr-0.01"]?.count == 1 && colours["lr-0.1"] != colours["lr-0.01"])
        let validationLines = lossLines.filter { $0.metric == "val_loss" }
        #expect(validationLines.allSatisfy { $0.dashed })
        #expect(svg.contains(">lr-0.1</text>") && svg.contains(">lr-0.01</text>"))
        // Only the first run has accuracies; the accuracy panel is there for it.
        #expect(document.panels.map(\.key) == ["loss", "accuracy", "learning_rate"])
    }

    @Test func sameMetricsGiveTheSameBytes() throws {
        let history = [
            EpochMetrics(epoch: 1, step: 4, trainLoss: 0.7, trainAccuracy: 0.5, validationLoss: nil, validationAccuracy: nil,
                         learningRate: 0.1, gradientNorm: 1),
            EpochMetrics(epoch: 2, step: 8, trainLoss: 0.3, trainAccuracy: 0.75, validationLoss: nil, validationAccuracy: nil,
                         learningRate: 0.1, gradientNorm: 1),
        ]
        let columns = RunDirectory.metricColumns(classification: true, validation: false)
        let fromHistory = CurvesPlot(runs: [.init(name: "a", metrics: MetricsTable(history: history, columns: columns))], title: "a").svg
        let csv = "epoch,step,train_loss,train_accuracy,learning_rate,grad_norm\n1,4,0.7,0.5,0.1,1.0\n2,8,0.3,0.75,0.1,1.0\n"
        let fromCSV = CurvesPlot(runs: [.init(name: "a", metrics: try table(csv))], title: "a").svg
        #expect(fromHistory == fromCSV)
        #expect(!fromHistory.contains("val_"))
    }

    @Test func aSingleEpochIsADot() throws {
        let csv = "epoch,step,train_loss,learning_rate,grad_norm\n1,3,0.5,0.1,1\n"
        let document = try SVGParse(CurvesPlot(runs: [.init(name: "a", metrics: try table(csv))], title: "a").svg)
        let loss = try #require(document.panels.first)
        #expect(loss.lines.isEmpty)
        #expect(loss.elements.contains { $0.name == "circle" && $0.attributes["data-metric"] == "train_loss" })
    }

    @Test func malformedMetricsAreLocated() {
        #expect(throws: RunStoreError("metrics.csv:2:3: error: 'abc' is not a number")) {
            try MetricsTable(csv: "epoch,train_loss\n1,abc\n", path: "metrics.csv")
        }
        #expect(throws: RunStoreError("metrics.csv:2:1: error: 3 cells, but the header has 2 columns")) {
            try MetricsTable(csv: "epoch,train_loss\n1,0.5,3\n", path: "metrics.csv")
        }
    }
}

// MARK: - Reading the SVG back

/// The elements of an SVG document, read with Foundation's `XMLParser` (which fails on malformed XML).
struct SVGParse {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// The `data-panel` of the enclosing panel group, if any.
        var panel: String?
    }

    /// A polyline of one series.
    struct Line {
        var run: String
        var metric: String
        var stroke: String
        var dashed: Bool
        var points: [(x: Double, y: Double)]
    }

    /// The linear map from pixels to values that two ticks define.
    struct PixelAxis {
        var pixel0: Double, value0: Double, unitsPerPixel: Double
        func value(at pixel: Double) -> Double { value0 + (pixel - pixel0) * unitsPerPixel }
    }

    struct Panel {
        var key: String
        var elements: [Element]

        var lines: [Line] {
            elements.filter { $0.name == "polyline" && $0.attributes["class"] == "series" }.map { element in
                let points = (element.attributes["points"] ?? "").split(separator: " ").map { pair -> (x: Double, y: Double) in
                    let parts = pair.split(separator: ",")
                    return (Double(parts[0]) ?? .nan, Double(parts[1]) ?? .nan)
                }
                return Line(run: element.attributes["data-run"] ?? "", metric: element.attributes["data-metric"] ?? "",
                            stroke: element.attributes["stroke"] ?? "", dashed: element.attributes["stroke-dasharray"] != nil, points: points)
            }
        }

        func texts(_ cssClass: String) -> [Element] {
            elements.filter { $0.name == "text" && $0.attributes["class"] == cssClass }
        }

        /// The axis of the `x-tick` or `y-tick` labels: their value (parsed from the label) at their position.
        func axis(_ cssClass: String) throws -> PixelAxis {
            let coordinate = cssClass == "x-tick" ? "x" : "y"
            let ticks = texts(cssClass).map { (pixel: Double($0.attributes[coordinate] ?? "") ?? .nan, value: Double($0.text) ?? .nan) }
            let first = try #require(ticks.first), last = try #require(ticks.last)
            try #require(ticks.count >= 2 && first.pixel != last.pixel)
            return PixelAxis(pixel0: first.pixel, value0: first.value, unitsPerPixel: (last.value - first.value) / (last.pixel - first.pixel))
        }
    }

    var root = ""
    var elements: [Element] = []

    var panels: [Panel] {
        var keys: [String] = []
        for element in elements { if let panel = element.panel, !keys.contains(panel) { keys.append(panel) } }
        return keys.map { key in Panel(key: key, elements: elements.filter { $0.panel == key }) }
    }

    init(_ svg: String) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw SVGParseError(message: "malformed SVG at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "")")
        }
        root = delegate.root
        elements = delegate.elements
    }

    struct SVGParseError: Error { var message: String }

    final class Delegate: NSObject, XMLParserDelegate {
        var root = ""
        var elements: [Element] = []
        var open: [Int] = []
        var panels: [String?] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root.isEmpty { root = name }
            let panel = attributes["class"] == "panel" ? attributes["data-panel"] : panels.last ?? nil
            panels.append(panel)
            elements.append(Element(name: name, attributes: attributes, text: "", panel: panel))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { elements[last].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
            panels.removeLast()
        }
    }
}
