/// The classes of a classification task: class indices `0..<count` as written in the data, or
/// class names, whose index is their position in the sorted list of distinct names of the
/// training samples.
public enum ClassList: Sendable, Equatable, Hashable {
    /// Labels were integers, used as class indices `0..<count`.
    case indices(count: Int)
    /// Labels were names; the class index of `names[i]` is `i`, and `names` is sorted.
    case names([String])

    /// The number of classes.
    public var count: Int {
        switch self {
        case .indices(let count): count
        case .names(let names): names.count
        }
    }

    /// The label as written in the data for class `index`: its name, or the index itself.
    public func label(of index: Int) -> String {
        switch self {
        case .indices: String(index)
        case .names(let names): names[index]
        }
    }
}
