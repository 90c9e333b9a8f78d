import Foundation
import Testing

/// Expects the committed file at `path` to hold `generated`; with `BAIFS_UPDATE_DOCS=1` in the
/// environment, rewrites the file instead, so that generated documentation never goes stale.
public func expectCommittedDocument(at path: String, equals generated: String, suite: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let committed = try? String(contentsOfFile: path, encoding: .utf8)
    if ProcessInfo.processInfo.environment["BAIFS_UPDATE_DOCS"] == "1", committed != generated {
        try generated.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    #expect(committed == generated, "\(path) is out of date; run BAIFS_UPDATE_DOCS=1 swift test --filter \(suite)",
            sourceLocation: sourceLocation)
}
