import Configuration
import Foundation

/// One vertical axis of a sweep report's parallel-coordinates plot: a swept key path or the
/// ranking metric, with the values the trials take on it.
///
/// An axis whose values are all numbers is numeric, from the smallest value to the largest; it is
/// logarithmic when every value is positive and the largest is at least ten times the smallest
/// (learning rates, losses), linear otherwise. An axis with any other value (`sgd`, `true`) is
/// categorical: one evenly spaced position per distinct value, in the order the trials first
/// take them (the sweep's grid order).
public struct ParallelAxis: Sendable, Equatable {
    /// How the page places values on the axis.
    public enum Scale: Sendable, Equatable {
        /// `y = (v − minimum) / (maximum − minimum)`.
        case linear(minimum: Double, maximum: Double)
        /// `y = (log v − log minimum) / (log maximum − log minimum)`.
        case logarithmic(minimum: Double, maximum: Double)
        /// The position of a value is its index among `categories`.
        case categorical(categories: [String])
    }

    /// The key path (`optimizer.learning_rate`) or the metric (`val_accuracy`).
    public let key: String
    /// The axis title: the key path, or `best val_accuracy` for the metric.
    public let label: String
    /// How values are placed: linear, logarithmic or categorical (see the type's description).
    let scale: Scale
    /// Whether this is the ranking metric's axis.
    public let isMetric: Bool

    /// The axis of a swept key path for the values the trials give it (`nil` where a trial gives
    /// none); `nil` if no trial gives it a value.
    public init?(key: String, label: String, values: [String?]) {
        let present = values.compactMap { $0 }
        let numbers = present.compactMap(Double.init).filter(\.isFinite)
        if numbers.count == present.count {
            self.init(key: key, label: label, numbers: numbers, isMetric: false)
        } else {
            var categories: [String] = []
            for value in present where !categories.contains(value) { categories.append(value) }
            self.init(key: key, label: label, scale: .categorical(categories: categories), isMetric: false)
        }
    }

    /// A numeric axis for `numbers` (non-finite ones left out); `nil` if there are none.
    public init?(key: String, label: String, numbers: [Double], isMetric: Bool) {
        let finite = numbers.filter(\.isFinite)
        guard let minimum = finite.min(), let maximum = finite.max() else { return nil }
        let scale: Scale = minimum > 0 && maximum >= 10 * minimum
            ? .logarithmic(minimum: minimum, maximum: maximum) : .linear(minimum: minimum, maximum: maximum)
        self.init(key: key, label: label, scale: scale, isMetric: isMetric)
    }

    private init?(key: String, label: String, scale: Scale, isMetric: Bool) {
        if case .categorical(let categories) = scale, categories.isEmpty { return nil }
        self.key = key
        self.label = label
        self.scale = scale
        self.isMetric = isMetric
    }

    /// Where `value` sits on the axis, from 0 (bottom) to 1 (top); `nil` for no value or one the
    /// axis does not hold. A numeric axis whose values are all equal puts them at ½.
    public func position(of value: String?) -> Double? {
        guard let value else { return nil }
        switch scale {
        case .linear, .logarithmic:
            return Double(value).flatMap(position(of:))
        case .categorical(let categories):
            guard let index = categories.firstIndex(of: value) else { return nil }
            return categories.count == 1 ? 0.5 : Double(index) / Double(categories.count - 1)
        }
    }

    /// Where the number `value` sits on a numeric axis, from 0 to 1; `nil` if it is not finite,
    /// outside the axis, or the axis is categorical.
    public func position(of value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let (low, high, point): (Double, Double, Double)
        switch scale {
        case .linear(let minimum, let maximum):
            (low, high, point) = (minimum, maximum, value)
        case .logarithmic(let minimum, let maximum):
            guard value > 0 else { return nil }
            (low, high, point) = (log10(minimum), log10(maximum), log10(value))
        case .categorical:
            return nil
        }
        guard point >= low && point <= high else { return nil }
        return high == low ? 0.5 : (point - low) / (high - low)
    }

    /// The axis as the page reads it: `{"key", "label", "metric", "kind": "linear" | "log" |
    /// "categorical", "min", "max"}` or `{…, "categories": […]}`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("key", .string(key)), ("label", .string(label)), ("metric", .bool(isMetric))]
        switch scale {
        case .linear(let minimum, let maximum):
            members += [("kind", .string("linear")), ("min", .number(minimum)), ("max", .number(maximum))]
        case .logarithmic(let minimum, let maximum):
            members += [("kind", .string("log")), ("min", .number(minimum)), ("max", .number(maximum))]
        case .categorical(let categories):
            members += [("kind", .string("categorical")), ("categories", .array(categories.map(JSONValue.string)))]
        }
        return .object(members)
    }
}
