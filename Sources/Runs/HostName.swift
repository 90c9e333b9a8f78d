import Foundation

/// This machine's host name, as `gethostname` gives it (for temporary file names and
/// `timing.json`), read once. Foundation's `ProcessInfo.hostName` also looks the name up through
/// the resolver, which takes a fifth of a millisecond: a noticeable share of a small run.
let hostName: String = {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
    return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}()
