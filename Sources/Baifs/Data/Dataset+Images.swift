/// Small synthetic image problems for convolutional models: one-channel 8×8 images (sample shape
/// `[1, 8, 8]`), generated from an explicitly passed generator so that the same seed always gives
/// the same images.
///
/// A clean image is 1 on the figure and 0 elsewhere; every pixel then gets Gaussian noise. Classes
/// are balanced: image `i` has label `i % classCount`, and its figure is then drawn for that label
/// at a random size and position where it fits.
extension Dataset {
    /// The side of the toy images, in pixels.
    public static let toyImageSide = 8

    /// The names of the classes of `bars`, by label.
    public static let barClassNames = ["horizontal", "vertical", "diagonal", "antidiagonal"]

    /// The names of the classes of `shapes`, by label.
    public static let shapeClassNames = ["square outline", "filled square", "plus", "cross"]

    /// Images of one straight bar each, in four classes by direction (see `barClassNames`):
    /// 0 horizontal, 1 vertical, 2 diagonal (from top left to bottom right), 3 antidiagonal (from
    /// top right to bottom left).
    ///
    /// A bar is 5 to 8 pixels long (uniformly), at a position uniform among those where it fits.
    ///
    /// - Parameters:
    ///   - count: The number of images, at least 1.
    ///   - noise: The standard deviation of the Gaussian noise added to every pixel, at least 0;
    ///     0.15 by default.
    ///   - generator: The source of every random draw.
    public static func bars(count: Int, noise: Double = 0.15, generator: inout RandomGenerator) -> Dataset {
        toyImages(count: count, classCount: barClassNames.count, noise: noise, generator: &generator) { label, generator in
            let side = toyImageSide
            let length = 5 + generator.nextInt(below: 4)
            var pixels = [(row: Int, column: Int)]()
            switch label {
            case 0:
                let row = generator.nextInt(below: side)
                let start = generator.nextInt(below: side - length + 1)
                for step in 0..<length { pixels.append((row, start + step)) }
            case 1:
                let column = generator.nextInt(below: side)
                let start = generator.nextInt(below: side - length + 1)
                for step in 0..<length { pixels.append((start + step, column)) }
            default:
                let top = generator.nextInt(below: side - length + 1)
                let left = generator.nextInt(below: side - length + 1)
                for step in 0..<length {
                    pixels.append(label == 2 ? (top + step, left + step) : (top + step, left + length - 1 - step))
                }
            }
            return pixels
        }
    }

    /// Images of one figure each, in four classes (see `shapeClassNames`): 0 the outline of a square
    /// with sides of 4 to 7 pixels, 1 a filled square with sides of 3 to 6 pixels, 2 a plus (a
    /// horizontal and a vertical stroke crossing at their middles) 3, 5 or 7 pixels across, 3 a
    /// cross (the two diagonals of a square) 3, 5 or 7 pixels across.
    ///
    /// The size is uniform among those listed and the position uniform among those where the figure fits.
    ///
    /// - Parameters:
    ///   - count: The number of images, at least 1.
    ///   - noise: The standard deviation of the Gaussian noise added to every pixel, at least 0;
    ///     0.15 by default.
    ///   - generator: The source of every random draw.
    public static func shapes(count: Int, noise: Double = 0.15, generator: inout RandomGenerator) -> Dataset {
        toyImages(count: count, classCount: shapeClassNames.count, noise: noise, generator: &generator) { label, generator in
            let side = toyImageSide
            var pixels = [(row: Int, column: Int)]()
            switch label {
            case 0, 1:
                let size = label == 0 ? 4 + generator.nextInt(below: 4) : 3 + generator.nextInt(below: 4)
                let top = generator.nextInt(below: side - size + 1)
                let left = generator.nextInt(below: side - size + 1)
                for row in 0..<size {
                    for column in 0..<size {
                        let onEdge = row == 0 || column == 0 || row == size - 1 || column == size - 1
                        if label == 1 || onEdge { pixels.append((top + row, left + column)) }
                    }
                }
            default:
                let size = 3 + 2 * generator.nextInt(below: 3)
                let top = generator.nextInt(below: side - size + 1)
                let left = generator.nextInt(below: side - size + 1)
                let middle = size / 2
                for step in 0..<size {
                    if label == 2 {
                        pixels.append((top + middle, left + step))
                        if step != middle { pixels.append((top + step, left + middle)) }
                    } else {
                        pixels.append((top + step, left + step))
                        if step != middle { pixels.append((top + step, left + size - 1 - step)) }
                    }
                }
            }
            return pixels
        }
    }

    /// Draws `count` balanced one-channel images: the figure `figure(label, &generator)` set to 1 on a
    /// background of 0, then Gaussian noise of standard deviation `noise` on every pixel.
    private static func toyImages(count: Int, classCount: Int, noise: Double, generator: inout RandomGenerator,
                                  figure: (Int, inout RandomGenerator) -> [(row: Int, column: Int)]) -> Dataset {
        precondition(count > 0, "A dataset needs at least one sample; got count \(count).")
        precondition(noise >= 0, "The noise is a standard deviation and cannot be negative; got \(noise).")
        let side = toyImageSide
        var features = [Double]()
        features.reserveCapacity(count * side * side)
        var labels = [Int]()
        labels.reserveCapacity(count)
        for index in 0..<count {
            let label = index % classCount
            var image = [Double](repeating: 0, count: side * side)
            for pixel in figure(label, &generator) { image[pixel.row * side + pixel.column] = 1 }
            for position in image.indices { image[position] += generator.normal(standardDeviation: noise) }
            features.append(contentsOf: image)
            labels.append(label)
        }
        return Dataset(sampleShape: [1, side, side], features: features,
                       targets: .classes(labels: labels, classCount: classCount))
    }
}
