import Foundation

/// Small two-dimensional (and one-dimensional) problems for multilayer perceptrons, generated from
/// an explicitly passed generator so that the same seed always gives the same samples.
///
/// Classification sets are balanced: sample `i` has label `i % classCount`, and its point is then
/// drawn for that label.
extension Dataset {
    /// Two interleaving half circles, as scikit-learn's `make_moons`.
    ///
    /// With `t` uniform in `[0, π]`, class 0 (the outer moon) is `(cos t, sin t)` and class 1 (the
    /// inner moon) is `(1 − cos t, 1 − sin t − 0.5)`; each coordinate then gets Gaussian noise of
    /// standard deviation `noise`. Features have shape `[2]`.
    ///
    /// - Parameters:
    ///   - count: The number of samples, at least 1.
    ///   - noise: The standard deviation of the Gaussian noise added to each coordinate, at least 0;
    ///     0.1 by default.
    ///   - generator: The source of every random draw.
    public static func twoMoons(count: Int, noise: Double = 0.1, generator: inout RandomGenerator) -> Dataset {
        precondition(count > 0, "A dataset needs at least one sample; got count \(count).")
        precondition(noise >= 0, "The noise is a standard deviation and cannot be negative; got \(noise).")
        var features = [Double]()
        features.reserveCapacity(2 * count)
        var labels = [Int]()
        labels.reserveCapacity(count)
        for index in 0..<count {
            let label = index % 2
            let angle = generator.uniform(0, Double.pi)
            let x = label == 0 ? cos(angle) : 1 - cos(angle)
            let y = label == 0 ? sin(angle) : 1 - sin(angle) - 0.5
            features.append(x + generator.normal(standardDeviation: noise))
            features.append(y + generator.normal(standardDeviation: noise))
            labels.append(label)
        }
        return Dataset(sampleShape: [2], features: features, targets: .classes(labels: labels, classCount: 2))
    }

    /// Two concentric circles: class 0 on the circle of radius 1, class 1 on the circle of radius
    /// `factor`, at an angle uniform in `[0, 2π)`, plus Gaussian noise on each coordinate.
    /// Features have shape `[2]`.
    ///
    /// - Parameters:
    ///   - count: The number of samples, at least 1.
    ///   - noise: The standard deviation of the Gaussian noise added to each coordinate, at least 0;
    ///     0.05 by default.
    ///   - factor: The radius of the inner circle, in `(0, 1)`; 0.5 by default.
    ///   - generator: The source of every random draw.
    public static func concentricCircles(count: Int, noise: Double = 0.05, factor: Double = 0.5,
                                         generator: inout RandomGenerator) -> Dataset {
        precondition(count > 0, "A dataset needs at least one sample; got count \(count).")
        precondition(noise >= 0, "The noise is a standard deviation and cannot be negative; got \(noise).")
        precondition(factor > 0 && factor < 1, "The inner circle's radius factor lies in (0, 1); got \(factor).")
        var features = [Double]()
        features.reserveCapacity(2 * count)
        var labels = [Int]()
        labels.reserveCapacity(count)
        for index in 0..<count {
            let label = index % 2
            let radius = label == 0 ? 1 : factor
            let angle = generator.uniform(0, 2 * Double.pi)
            features.append(radius * cos(angle) + generator.normal(standardDeviation: noise))
            features.append(radius * sin(angle) + generator.normal(standardDeviation: noise))
            labels.append(label)
        }
        return Dataset(sampleShape: [2], features: features, targets: .classes(labels: labels, classCount: 2))
    }

    /// The exclusive-or problem: four Gaussian clusters of standard deviation `noise` centred at
    /// `(±1, ±1)`. Class 0 holds the clusters where both coordinates have the same sign, `(1, 1)` and
    /// `(−1, −1)`; class 1 those with opposite signs, `(1, −1)` and `(−1, 1)`. Sample `i` comes from
    /// cluster `i % 4`, so all four clusters are equally full. Features have shape `[2]`.
    ///
    /// - Parameters:
    ///   - count: The number of samples, at least 1.
    ///   - noise: The standard deviation of each cluster, at least 0; 0.3 by default.
    ///   - generator: The source of every random draw.
    public static func xor(count: Int, noise: Double = 0.3, generator: inout RandomGenerator) -> Dataset {
        precondition(count > 0, "A dataset needs at least one sample; got count \(count).")
        precondition(noise >= 0, "The noise is a standard deviation and cannot be negative; got \(noise).")
        // Cluster k's centre; its label is k % 2, so that sample i has label i % 2.
        let centres: [(x: Double, y: Double)] = [(1, 1), (1, -1), (-1, -1), (-1, 1)]
        var features = [Double]()
        features.reserveCapacity(2 * count)
        var labels = [Int]()
        labels.reserveCapacity(count)
        for index in 0..<count {
            let centre = centres[index % 4]
            features.append(centre.x + generator.normal(standardDeviation: noise))
            features.append(centre.y + generator.normal(standardDeviation: noise))
            labels.append(index % 2)
        }
        return Dataset(sampleShape: [2], features: features, targets: .classes(labels: labels, classCount: 2))
    }

    /// Interleaved spiral arms, one per class.
    ///
    /// A point of class `k` out of `K` has radius `r` uniform in `[0, 1)` and angle
    /// `θ = 2πk/K + 4r + noise · n` with `n` standard normal, and lies at `(r cos θ, r sin θ)`:
    /// every arm turns through 4 radians from the centre to the unit circle, and the arms start
    /// evenly spaced. Features have shape `[2]`.
    ///
    /// - Parameters:
    ///   - count: The number of samples, at least 1.
    ///   - classes: The number of arms and of classes, at least 2; 3 by default.
    ///   - noise: The standard deviation of the Gaussian noise on the angle, in radians, at least 0;
    ///     0.2 by default.
    ///   - generator: The source of every random draw.
    public static func spirals(count: Int, classes: Int = 3, noise: Double = 0.2,
                               generator: inout RandomGenerator) -> Dataset {
        precondition(count > 0, "A dataset needs at least one sample; got count \(count).")
        precondition(classes >= 2, "Spirals need at least two arms; got \(classes) classes.")
        precondition(noise >= 0, "The noise is a standard deviation and cannot be negative; got \(noise).")
        var features = [Double]()
        features.reserveCapacity(2 * count)
        var labels = [Int]()
        labels.reserveCapacity(count)
        for index in 0..<count {
            let label = index % classes
            let radius = generator.nextUnit()
            let angle = 2 * Double.pi * Double(label) / Double(classes) + 4 * radius
                + generator.normal(standardDeviation: noise)
            features.append(radius * cos(angle))
            features.append(radius * sin(angle))
            labels.append(label)
        }
        return Dataset(sampleShape: [2], features: features, targets: .classes(labels: labels, classCount: classes))
    }

    /// One-dimensional regression of a sine: `x` uniform in `[−π, π)` and target `y = sin x + noise · n`
    /// with `n` standard normal. Features have shape `[1]`; targets are `.values(width: 1)`.
    ///
    /// - Parameters:
    ///   - count: The number of samples, at least 1.
    ///   - noise: The standard deviation of the Gaussian noise added to the target, at least 0;
    ///     0.1 by default.
    ///   - generator: The source of every random draw.
    public static func sine(count: Int, noise: Double = 0.1, generator: inout RandomGenerator) -> Dataset {
        precondition(count > 0, "A dataset needs at least one sample; got count \(count).")
        precondition(noise >= 0, "The noise is a standard deviation and cannot be negative; got \(noise).")
        var inputs = [Double]()
        inputs.reserveCapacity(count)
        var values = [Double]()
        values.reserveCapacity(count)
        for _ in 0..<count {
            let x = generator.uniform(-Double.pi, Double.pi)
            inputs.append(x)
            values.append(sin(x) + generator.normal(standardDeviation: noise))
        }
        return Dataset(sampleShape: [1], features: inputs, targets: .values(values, width: 1))
    }
}
