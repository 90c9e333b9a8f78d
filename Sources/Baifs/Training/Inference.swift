import Autograd

/// Returns the model's output for one sample of features shaped `sampleShape`, on a private graph.
public func infer(_ model: any Module, input: [Double], sampleShape: [Int]) -> [Double] {
    predict(model, features: input, sampleShape: sampleShape).first ?? []
}

/// Returns the model's outputs for every sample of `features` (row-major, `sampleShape` each),
/// one row per sample, evaluated `batchSize` samples at a time on a private graph.
public func predict(_ model: any Module, features: [Double], sampleShape: [Int], batchSize: Int = 256) -> [[Double]] {
    let width = sampleShape.reduce(1, *)
    precondition(width > 0 && features.count % width == 0, "Features of shape \(sampleShape) come in groups of \(width); got \(features.count) values.")
    let count = features.count / width
    let graph = Graph()
    var rows: [[Double]] = []
    rows.reserveCapacity(count)
    var start = 0
    while start < count {
        let end = min(count, start + batchSize)
        graph.reset()
        let input = tensor(shape: [end - start] + sampleShape, values: Array(features[(start * width)..<(end * width)]), in: graph)
        let output = model(input)
        let values = output.values
        let outputWidth = values.count / (end - start)
        for sample in 0..<(end - start) {
            rows.append(Array(values[(sample * outputWidth)..<((sample + 1) * outputWidth)]))
        }
        start = end
    }
    return rows
}

/// Returns the predicted class of every sample of `dataset` (see `predictedClass(_:)`).
public func predictClasses(_ model: any Module, dataset: Dataset, batchSize: Int = 256) -> [Int] {
    predict(model, features: dataset.features, sampleShape: dataset.sampleShape, batchSize: batchSize).map { predictedClass($0[...]) }
}
