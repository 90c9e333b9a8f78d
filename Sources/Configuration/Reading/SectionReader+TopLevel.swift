import Baifs
import Foundation

extension SectionReader {
    /// The most characters a run or sweep name may have.
    package static let nameLengthLimit = 200

    /// The top-level `name` of an experiment or sweep file: the value given, or the file's name
    /// without its extension (`fallback` if that is empty). A name must not be empty or hold `/`,
    /// line breaks or other control characters, since it names a directory and is printed; `nil`
    /// after reporting one that does.
    package func readName(filePath: String, fallback: String) -> String? {
        switch string("name") {
        case .value(let name):
            guard !name.isEmpty, !name.contains("/"), !name.unicodeScalars.contains(where: Excerpt.needsEscape) else {
                let node = node("name")
                diagnostics.report(at: node?.location ?? location, "name",
                                   "a name cannot be empty or contain '/', line breaks or other control characters; got \(node?.shown ?? "''")")
                return nil
            }
            // The name becomes a folder name (one byte per character once made file-name-safe) with
            // a `-N` suffix; file systems allow 255 bytes, and mkdir's failure would come only after loading.
            guard name.count <= Self.nameLengthLimit else {
                diagnostics.report(at: node("name")?.location ?? location, "name",
                                   "a name has at most \(Self.nameLengthLimit) characters, since it names a folder; got \(name.count)")
                return nil
            }
            return name
        case .absent:
            let base = URL(fileURLWithPath: filePath).deletingPathExtension().lastPathComponent
            return base.isEmpty ? fallback : base
        case .invalid:
            return nil
        }
    }

    /// The top-level `seed`: an integer in 0...2⁶⁴−1; `nil` if absent or after reporting a wrong one.
    package func readSeed() -> UInt64? {
        read("seed") { node, keyPath -> UInt64? in
            guard let scalar = node.scalar, scalar.kind == .integer else {
                diagnostics.report(at: node.location, keyPath, "expected an integer, got \(node.shown)")
                return nil
            }
            guard let seed = scalar.unsignedInteger else {
                diagnostics.report(at: node.location, keyPath,
                                   scalar.text.hasPrefix("-") ? "must be ≥ 0; got \(scalar.text)" : "must be at most \(UInt64.max); got \(scalar.text)")
                return nil
            }
            return seed
        }.value
    }
}
