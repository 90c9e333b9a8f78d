import ArgumentParser
import Foundation

extension ExitCode {
    /// Bad input (config, data, checkpoint) or a run that failed.
    static let inputOrRunFailure = ExitCode(1)
    /// Stopped by Ctrl-C after writing a checkpoint: 128 + SIGINT.
    static let interrupted = ExitCode(130)
}

/// Writes `message` to standard error, with a newline.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}
