/// An array as read from a data file: numbers stored row-major are left packed in the file's
/// bytes (converted where they are copied out); strings and transposed arrays are decoded.
enum FileArray: Sendable {
    case packed(PackedArray)
    case decoded(NPYArray)

    /// The array's shape; `[]` for a scalar.
    var shape: [Int] {
        switch self {
        case .packed(let array): array.shape
        case .decoded(let array): array.shape
        }
    }

    /// The element type as the file names it.
    var dataType: String {
        switch self {
        case .packed(let array): array.dataType
        case .decoded(let array): array.dataType
        }
    }

    /// Whether the elements are numbers rather than strings.
    var holdsNumbers: Bool {
        switch self {
        case .packed: true
        case .decoded(let array): array.numbers != nil
        }
    }

    /// The array with every element decoded.
    var decoded: NPYArray {
        switch self {
        case .packed(let array): array.decoded
        case .decoded(let array): array
        }
    }
}
