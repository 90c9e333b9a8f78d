import Foundation

/// A linear axis from `lower` to `upper` with ticks at round numbers (1, 2 or 5 times a power of ten).
struct PlotAxis {
    var lower: Double
    var upper: Double
    var ticks: [(value: Double, label: String)]

    /// Where `value` lies between `lower` (0) and `upper` (1).
    func fraction(_ value: Double) -> Double {
        upper > lower ? (value - lower) / (upper - lower) : 0.5
    }

    /// An epoch axis from 0 with whole-number ticks.
    static func epochs(upTo last: Double) -> PlotAxis {
        let step = max(1, niceNumber(max(last, 1) / 5, round: true))
        let upper = (max(last, 1) / step).rounded(.up) * step
        return PlotAxis(lower: 0, upper: upper, step: step)
    }

    /// An axis around `values`, widened to round numbers; a constant is centred. With
    /// `unitInterval`, it stays within [0, 1] (accuracies).
    static func values(_ values: [Double], unitInterval: Bool) -> PlotAxis {
        guard var low = values.min(), var high = values.max() else { return PlotAxis(lower: 0, upper: 1, step: 0.2) }
        if low == high {
            if unitInterval { (low, high) = (max(0, low - 0.1), min(1, high + 0.1)) }
            else if low == 0 { (low, high) = (0, 1) }
            else { (low, high) = low > 0 ? (0, 2 * low) : (2 * low, 0) }
        }
        let step = niceNumber(niceNumber(high - low, round: false) / 4, round: true)
        var lower = (low / step).rounded(.down) * step
        var upper = (high / step).rounded(.up) * step
        if unitInterval { (lower, upper) = (max(0, lower), min(1, upper)) }
        return PlotAxis(lower: lower, upper: upper, step: step)
    }

    private init(lower: Double, upper: Double, ticks: [(value: Double, label: String)]) {
        self.lower = lower
        self.upper = upper
        self.ticks = ticks
    }

    private init(lower: Double, upper: Double, step: Double) {
        let exponent = Int((log10(step) + 1e-9).rounded(.down))
        let decimals = max(0, -exponent)
        let count = Int(((upper - lower) / step).rounded())
        let ticks = (0...count).map { index -> (value: Double, label: String) in
            let value = lower + Double(index) * step
            var label: String
            if decimals <= 6 {
                label = fixedPointText(value, decimals: decimals)
            } else {
                // n·10^exponent in scientific notation with every digit of n, so that the label is exact.
                let digits = String(Int((abs(value) / pow(10, Double(exponent))).rounded())).count
                label = printfText("%.\(max(0, digits - 1))e", value)
            }
            if Double(label) == 0 && label.hasPrefix("-") { label.removeFirst() }
            return (value, label)
        }
        self.init(lower: lower, upper: upper, ticks: ticks)
    }

    /// 1, 2, 5 or 10 times a power of ten near `value`: the nearest (`round`) or the next one up.
    static func niceNumber(_ value: Double, round: Bool) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let exponent = log10(value).rounded(.down)
        let power = pow(10, exponent)
        let fraction = value / power
        let nice: Double = round
            ? (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10)
            : (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10)
        return nice * power
    }
}
