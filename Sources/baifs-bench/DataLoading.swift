import Baifs
import Foundation

/// Times loading one data file the way an experiment loads it (read, split 80/20 by a seeded
/// draw, multiply by `scale`, no normalisation), for the comparison with `pandas.read_csv` in
/// `benchmarks/loading.py`.
///
/// The kind follows the file: `.csv` (a classification target column), `.npy` (features, with the
/// labels in `labels`), or an IDX file (images, with the labels in `labels`).
struct DataLoading {
    let path: String
    let target: String
    let labels: String?
    let scale: Double

    /// Seconds, samples and values per sample of one load.
    func measure() throws -> (seconds: Double, samples: Int, featureCount: Int) {
        var generator = RandomGenerator(seed: 1)
        let start = DispatchTime.now().uptimeNanoseconds
        let training: Dataset, validation: Dataset
        if path.hasSuffix(".csv") {
            let csv = try CSVDataset(contentsOfFile: path, options: .init(target: .classes(column: target), scale: scale), generator: &generator)
            (training, validation) = (csv.training, csv.validation)
        } else {
            guard let labels else { throw DataLoadingError("--labels is needed with --load for .npy and IDX files") }
            let isNPY = path.hasSuffix(".npy") || path.hasSuffix(".npy.gz")
            let features: ArrayDataset.Source = isNPY ? try .npy(path) : try .idx(path, images: true)
            let targets: ArrayDataset.Source = isNPY ? try .npy(labels) : try .idx(labels, images: false)
            let data = try ArrayDataset(features: features, targets: targets, options: .init(scale: scale), generator: &generator)
            (training, validation) = (data.training, data.validation)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (seconds, training.count + validation.count, training.featureCount)
    }
}

struct DataLoadingError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
