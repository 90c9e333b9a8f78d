import Baifs
import Configuration
import Foundation

extension SweepFile {
    /// Every trial's assignments, in trial order: the grid's points with the first key path
    /// varying slowest (as nested loops in the order of the file), and for each point
    /// `randomTrials` draws of the random parameters. Each trial's assignments are `set` first,
    /// then the grid's, then the random ones, so that later ones win.
    ///
    /// The draws come from one `RandomGenerator(seed: seed)`, taken in trial order and, within a
    /// trial, in the order of `random.parameters`: the same file always gives the same trials.
    func expandedTrials() -> [[Assignment]] {
        var points: [[Assignment]] = [[]]
        for parameter in grid {
            points = points.flatMap { point in
                parameter.values.map { value in
                    point + [Assignment(keyPath: parameter.keyPath, value: value.text, keyLocation: parameter.keyLocation,
                                        valueLocation: value.location)]
                }
            }
        }
        var generator = RandomGenerator(seed: seed)
        var trials: [[Assignment]] = []
        for point in points {
            for _ in 0..<max(1, randomTrials) {
                let draws = random.map { parameter in
                    Assignment(keyPath: parameter.keyPath, value: Self.draw(parameter, generator: &generator),
                               keyLocation: parameter.keyLocation, valueLocation: parameter.location)
                }
                trials.append(fixed + point + draws)
            }
        }
        return trials
    }

    /// One value of `parameter`'s distribution, as the text of an override's value.
    ///
    /// - `uniform`: low + (high − low)·u for u uniform in [0, 1);
    /// - `log_uniform`: exp(ln low + (ln high − ln low)·u);
    /// - `integer`: low + k for k uniform in 0…(high − low).
    static func draw(_ parameter: RandomParameter, generator: inout RandomGenerator) -> String {
        switch parameter.distribution {
        case .uniform:
            return formatNumber(generator.uniform(parameter.low, parameter.high))
        case .logUniform:
            return formatNumber(exp(generator.uniform(log(parameter.low), log(parameter.high))))
        case .integer:
            let low = Int(parameter.low), high = Int(parameter.high)
            return String(low + generator.nextInt(below: high - low + 1))
        }
    }

    /// The id of the trial at 1-based `index`: `trial-0001`, … (more digits past 9999).
    static func trialID(_ index: Int) -> String {
        String(format: "trial-%04d", index)
    }
}
