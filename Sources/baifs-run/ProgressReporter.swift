import Baifs
import Configuration
import Foundation
import Runs

/// Shows training progress on standard error: a progress bar on a terminal, one plain line per
/// epoch otherwise, nothing with `--quiet`.
final class ProgressReporter: RunObserver {
    enum Style { case bar, lines, quiet }

    private let style: Style
    private var totalEpochs = 0
    private var firstEpoch = 1
    private var started = Date()
    private var lastDrawn = Date.distantPast

    init(quiet: Bool) {
        style = quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
    }

    func runStarted(directory: RunDirectory, experiment: Experiment, model: any Module, resumedEpochs: Int) {
        totalEpochs = experiment.config.training.epochs
        firstEpoch = resumedEpochs + 1
        started = Date()
        guard style != .quiet else { return }
        let verb = resumedEpochs > 0 ? "resuming \(experiment.config.name) after epoch \(resumedEpochs)" : "training \(experiment.config.name)"
        printError("baifs-run: \(verb): \(model.summary), \(model.parameterCount) parameters, "
                   + "\(experiment.training.count) training and \(experiment.validation.count) validation samples → \(directory.path)")
    }

    func stepEnded(epoch: Int, batch: Int, batches: Int, loss: Double) {
        guard style == .bar else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) > 0.1 || batch == batches else { return }
        lastDrawn = now
        let done = Double(epoch - firstEpoch) + Double(batch) / Double(batches)
        let total = Double(totalEpochs - firstEpoch + 1)
        let fraction = min(1, done / total)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = now.timeIntervalSince(started)
        let remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let line = "\repoch \(epoch)/\(totalEpochs) \(bar) loss \(loss.formatted("%.4f"))  \(duration(remaining)) left "
        FileHandle.standardError.write(Data(line.utf8))
    }

    func epochEnded(_ metrics: EpochMetrics, isBest: Bool, totalEpochs: Int) {
        switch style {
        case .quiet:
            return
        case .bar:
            // Keep the bar on one line; print a line per epoch only every tenth epoch and at the end.
            guard metrics.epoch == totalEpochs || metrics.epoch % 10 == 0 else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            printError(summary(metrics, isBest: isBest))
        case .lines:
            printError(summary(metrics, isBest: isBest))
        }
    }

    private func summary(_ metrics: EpochMetrics, isBest: Bool) -> String {
        var parts = ["epoch \(metrics.epoch)/\(totalEpochs)", "train_loss \(metrics.trainLoss.formatted("%.5f"))"]
        if let accuracy = metrics.trainAccuracy { parts.append("train_accuracy \(accuracy.formatted("%.4f"))") }
        if let loss = metrics.validationLoss { parts.append("val_loss \(loss.formatted("%.5f"))") }
        if let accuracy = metrics.validationAccuracy { parts.append("val_accuracy \(accuracy.formatted("%.4f"))") }
        parts.append("lr \(metrics.learningRate.formatted("%.4g"))")
        return parts.joined(separator: "  ") + (isBest ? "  (best)" : "")
    }

    private func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
