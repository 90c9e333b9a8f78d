import Foundation

extension Fixtures {
    /// The path of the fixture `name`, relative to `Tests/Fixtures`.
    public static func path(_ name: String) -> String {
        "\(folder)/\(name)"
    }

    /// The bytes of the fixture `name`, relative to `Tests/Fixtures`.
    public static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }
}
