import Baifs

extension RunDirectory {
    /// `curves.svg`: the run's learning curves.
    public var curvesPath: String { file("curves.svg") }

    /// Writes `curves.svg` for `history`: the curves of the same numbers as `metrics.csv`, titled
    /// with the run's `name` (not its directory, so that two runs of one config give the same bytes).
    public func writeCurves(_ history: [EpochMetrics], columns: [String], name: String) throws(RunStoreError) {
        let plot = CurvesPlot(runs: [CurvesPlot.Run(name: name, metrics: MetricsTable(history: history, columns: columns))],
                              title: "\(name): learning curves")
        try writeFile(plot.svg, to: curvesPath)
    }
}
