import ArgumentParser
import Foundation

extension ExitCode {
    /// Bad input (config, data, checkpoint) or a run that failed.
    static let inputOrRunFailure = ExitCode(1)
    /// Stopped by Ctrl-C after writing a checkpoint: 128 + SIGINT.
    static let interrupted = ExitCode(130)
}
