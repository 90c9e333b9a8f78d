import Foundation

/// Writes `message` to standard error, with a newline. A standard error that cannot be written
/// (a terminal that hung up, a closed pipe) is ignored rather than fatal, so that a run still
/// writes its checkpoint.
func printError(_ message: String) {
    let text = Array((message.hasSuffix("\n") ? message : message + "\n").utf8)
    var offset = 0
    while offset < text.count {
        let written = text.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, text.count - offset) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}
