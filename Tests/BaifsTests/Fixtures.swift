import Foundation

/// Paths of the files in `Tests/BaifsTests/Fixtures`.
enum Fixtures {
    /// The fixtures folder.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The path of `name` inside the fixtures folder.
    static func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    /// The bytes of the fixture `name`.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}
