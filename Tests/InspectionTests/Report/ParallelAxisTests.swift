import Foundation
@testable import Inspection
import Testing

/// `ParallelAxis`: which values make a linear, logarithmic or categorical axis, and where each
/// value sits on it.
struct ParallelAxisTests {
    @Test func numbersSpanningLessThanTenTimesMakeALinearAxis() throws {
        let axis = try #require(ParallelAxis(key: "training.batch_size", label: "training.batch_size", values: ["8", "16", nil, "32", "16"]))
        #expect(axis.scale == .linear(minimum: 8, maximum: 32))
        #expect(axis.position(of: "8") == 0)
        #expect(axis.position(of: "16") == 8.0 / 24.0)
        #expect(axis.position(of: "32") == 1)
        #expect(axis.position(of: nil) == nil)
        #expect(axis.position(of: "64") == nil, "a value outside the axis has no position")
        #expect(!axis.isMetric)
    }

    @Test func positiveNumbersSpanningTenTimesOrMoreMakeALogarithmicAxis() throws {
        let axis = try #require(ParallelAxis(key: "optimizer.learning_rate", label: "optimizer.learning_rate", values: ["0.001", "0.01", "0.1"]))
        #expect(axis.scale == .logarithmic(minimum: 0.001, maximum: 0.1))
        #expect(axis.position(of: "0.001") == 0)
        #expect(axis.position(of: "0.1") == 1)
        let middle = try #require(axis.position(of: "0.01"))
        #expect(abs(middle - 0.5) < 1e-12)
        #expect(axis.position(of: 0.0) == nil, "zero has no place on a log axis")

        // Just under ten times: linear; with zero or a negative value: linear.
        #expect(ParallelAxis(key: "k", label: "k", values: ["0.011", "0.1"])?.scale == .linear(minimum: 0.011, maximum: 0.1))
        #expect(ParallelAxis(key: "k", label: "k", values: ["0", "0.1", "1"])?.scale == .linear(minimum: 0, maximum: 1))
        #expect(ParallelAxis(key: "k", label: "k", values: ["-1", "10"])?.scale == .linear(minimum: -1, maximum: 10))
    }

    @Test func anyValueThatIsNotAFiniteNumberMakesACategoricalAxisInFirstSeenOrder() throws {
        let axis = try #require(ParallelAxis(key: "optimizer.kind", label: "optimizer.kind", values: ["sgd", "adam", nil, "sgd", "adamw"]))
        #expect(axis.scale == .categorical(categories: ["sgd", "adam", "adamw"]))
        #expect(axis.position(of: "sgd") == 0)
        #expect(axis.position(of: "adam") == 0.5)
        #expect(axis.position(of: "adamw") == 1)
        #expect(axis.position(of: "rmsprop") == nil)
        #expect(ParallelAxis(key: "k", label: "k", values: ["1", "inf"])?.scale == .categorical(categories: ["1", "inf"]))
        #expect(ParallelAxis(key: "k", label: "k", values: ["true"])?.position(of: "true") == 0.5)
    }

    @Test func equalValuesSitInTheMiddleAndNoValuesMakeNoAxis() throws {
        let axis = try #require(ParallelAxis(key: "k", label: "k", values: ["0.5", "0.5"]))
        #expect(axis.scale == .linear(minimum: 0.5, maximum: 0.5))
        #expect(axis.position(of: "0.5") == 0.5)
        #expect(ParallelAxis(key: "k", label: "k", values: [nil, nil]) == nil)
        #expect(ParallelAxis(key: "k", label: "k", numbers: [.nan, .infinity], isMetric: true) == nil)
    }

    @Test func aMetricAxisLeavesOutValuesThatAreNotFinite() throws {
        let axis = try #require(ParallelAxis(key: "val_loss", label: "best val_loss", numbers: [0.5, .nan, 0.02], isMetric: true))
        #expect(axis.isMetric)
        #expect(axis.scale == .logarithmic(minimum: 0.02, maximum: 0.5))
        #expect(axis.position(of: Double.nan) == nil)
    }

    @Test func theJSONNamesTheKindAndTheDomain() throws {
        let linear = try #require(ParallelAxis(key: "training.batch_size", label: "training.batch_size", values: ["8", "32"]))
        #expect(linear.json.text() == """
            {
              "key": "training.batch_size",
              "label": "training.batch_size",
              "metric": false,
              "kind": "linear",
              "min": 8.0,
              "max": 32.0
            }

            """)
        let categorical = try #require(ParallelAxis(key: "optimizer.kind", label: "optimizer.kind", values: ["sgd", "adam"]))
        #expect(categorical.json.text().contains("\"kind\": \"categorical\",\n  \"categories\": [\"sgd\", \"adam\"]"))
        let log = try #require(ParallelAxis(key: "val_loss", label: "best val_loss", numbers: [0.01, 0.2], isMetric: true))
        #expect(log.json.text().contains("\"metric\": true,\n  \"kind\": \"log\",\n  \"min\": 0.01,\n  \"max\": 0.2"))
    }
}
