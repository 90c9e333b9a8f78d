#if canImport(Glibc)
import Glibc
#endif

/// Memory advice for large arrays that are about to be filled.
enum LargeBuffer {
    /// An empty array with room for `capacity` doubles, its memory advised as `adviseHugePages` does.
    static func emptyArray(capacity: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            adviseHugePages(buffer)
            initialized = 0
        }
    }

    /// Arrays of `counts` doubles, their memory advised as `adviseHugePages` does, whose elements
    /// `fill` writes, every one of them, through the buffers it is given (one per array, in order).
    static func arrays<Failure: Error>(counts: ArraySlice<Int>, buffers: [UnsafeMutableBufferPointer<Double>] = [],
                                       fill: ([UnsafeMutableBufferPointer<Double>]) throws(Failure) -> Void) throws(Failure) -> [[Double]] {
        guard let count = counts.first else {
            try fill(buffers)
            return []
        }
        var rest: [[Double]] = [], failure: Failure?
        let first = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            adviseHugePages(buffer)
            do throws(Failure) {
                rest = try arrays(counts: counts.dropFirst(), buffers: buffers + [buffer], fill: fill)
                initialized = count
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return [first] + rest
    }

    /// Asks Linux to back the whole 2 MiB pages inside `buffer` with transparent huge pages, as
    /// NumPy does for its large arrays: filling hundreds of megabytes then takes a few hundred page
    /// faults instead of tens of thousands. Only speed changes; elsewhere, and for buffers under
    /// 4 MiB, it does nothing.
    static func adviseHugePages<Element>(_ buffer: UnsafeMutableBufferPointer<Element>) {
        #if os(Linux)
        let byteCount = buffer.count * MemoryLayout<Element>.stride
        guard byteCount >= 4 << 20, let base = buffer.baseAddress else { return }
        let page = 2 << 20
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + byteCount) / page * page
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, end - start, 14)  // MADV_HUGEPAGE
        #endif
    }
}
