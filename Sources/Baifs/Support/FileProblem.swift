import Foundation

/// Why a file operation failed, in a few words: `no such file or folder`, `permission denied`,
/// `it is a directory`. Foundation's own descriptions read "The operation could not be
/// completed", or just "NSCocoaErrorDomain error 512"; the reason is in the POSIX error beneath.
public enum FileProblem {
    /// The reason for `error`, thrown by a Foundation file operation: that of the underlying POSIX
    /// error if there is one, else of the Cocoa error code, else the error's own description.
    public static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return reason(errno: Int32(error.code)) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(errno: Int32(underlying.code))
        }
        if error.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: error.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return reason(errno: ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return reason(errno: EACCES)
            case .fileWriteOutOfSpace: return reason(errno: ENOSPC)
            case .fileWriteVolumeReadOnly: return reason(errno: EROFS)
            case .fileWriteFileExists: return reason(errno: EEXIST)
            case .fileReadTooLarge: return reason(errno: EFBIG)
            default: break
            }
        }
        return Excerpt.escapingControlCharacters(error.localizedDescription)
    }

    /// The reason for the error number `code` of a system call.
    public static func reason(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or folder"
        case EACCES, EPERM: "permission denied"
        case ENOTDIR: "a part of the path is not a folder"
        case EISDIR: "it is a directory"
        case EEXIST: "a file of that name exists"
        case ENOSPC: "no space left on the device"
        case EDQUOT: "the disk quota is exceeded"
        case EROFS: "the file system is read-only"
        case EFBIG: "the file is too large"
        case ELOOP: "the path has a loop of symbolic links"
        case ENAMETOOLONG: "the path is too long"
        default: String(cString: strerror(code))
        }
    }
}
