/// `text` as one word for a POSIX shell: unchanged if it holds only characters no shell treats
/// specially, otherwise in single quotes (a single quote inside written as `'\''`).
public func shellQuoted(_ text: String) -> String {
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%")
    if !text.isEmpty && text.allSatisfy(plain.contains) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
