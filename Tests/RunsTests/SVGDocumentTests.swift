import Baifs
import Foundation
import Runs
import Testing

struct SVGDocumentTests {
    /// printf's "%.2f" with the trailing zeros trimmed, as `number(_:)` promises.
    static func printfText(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    @Test func numbersAreHundredthsWithoutTrailingZeros() {
        #expect(SVGDocument.number(12) == "12")
        #expect(SVGDocument.number(3.5) == "3.5")
        #expect(SVGDocument.number(-0.25) == "-0.25")
        #expect(SVGDocument.number(0.05) == "0.05")
        #expect(SVGDocument.number(-0.001) == "0")
        #expect(SVGDocument.number(-0.0) == "0")
        #expect(SVGDocument.number(1e15) == "1000000000000000")
    }

    @Test func numbersArePrintfsHundredthsTrimmed() {
        var generator = RandomGenerator(seed: 7)
        for _ in 0..<2_000 {
            let value = Double.random(in: -1e4...1e4, using: &generator)
            #expect(SVGDocument.number(value) == Self.printfText(value), "\(value)")
        }
    }
}
