/// "Did you mean …?" for a misspelt key or value: the closest valid name by edit distance.
public enum NameSuggestion {
    /// The name among `candidates` closest to `name`, ignoring letter case, if it is close enough
    /// to be a likely typo: within `max(2, n/3)` edits for a name of `n` characters, and fewer
    /// edits than `n` (so that short names are not "corrected" into unrelated ones). The first
    /// such candidate on a tie.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        let limit = min(max(2, target.count / 3), target.count - 1)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            // A length that differs by more than the limit is too far; skipping it also keeps a
            // huge candidate (a 200 MB CSV header cell) from being compared character by character.
            let length = candidate.count
            guard length >= target.count - limit, length <= target.count + limit else { continue }
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance <= limit, distance < best?.distance ?? .max { best = (candidate, distance) }
        }
        return best?.name
    }

    /// `"; did you mean 'x'?"` when a candidate is close to `name`, otherwise empty.
    public static func clause(for name: String, among candidates: [String]) -> String {
        closest(to: name, among: candidates).map { "; did you mean \(Excerpt.quoted($0))?" } ?? ""
    }

    /// The optimal-string-alignment distance: the fewest insertions, deletions, substitutions and
    /// swaps of adjacent characters that turn `first` into `second`.
    public static func editDistance(_ first: [Character], _ second: [Character]) -> Int {
        guard !first.isEmpty else { return second.count }
        guard !second.isEmpty else { return first.count }
        // distances[i][j] is the distance between the first i characters of `first` and the first j of `second`.
        var distances = [[Int]](repeating: [Int](repeating: 0, count: second.count + 1), count: first.count + 1)
        for i in 0...first.count { distances[i][0] = i }
        for j in 0...second.count { distances[0][j] = j }
        for i in 1...first.count {
            for j in 1...second.count {
                let substitution = first[i - 1] == second[j - 1] ? 0 : 1
                distances[i][j] = min(distances[i - 1][j] + 1, distances[i][j - 1] + 1, distances[i - 1][j - 1] + substitution)
                if i > 1, j > 1, first[i - 1] == second[j - 2], first[i - 2] == second[j - 1] {
                    distances[i][j] = min(distances[i][j], distances[i - 2][j - 2] + 1)
                }
            }
        }
        return distances[first.count][second.count]
    }
}
