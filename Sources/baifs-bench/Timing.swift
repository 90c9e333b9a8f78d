import Foundation

/// Times `step` and returns the median microseconds per call over `blocks` timed blocks, after a
/// warm-up block. Each block runs enough calls to last about `blockSeconds`.
///
/// With `BAIFS_BENCH_FIXED_STEPS=N` in the environment, runs exactly `N` calls once instead, so that
/// an instruction counter (`valgrind --tool=callgrind`) sees the same work on every run.
func medianMicroseconds(blocks: Int = 7, blockSeconds: Double = 0.15, _ step: () -> Void) -> (median: Double, minimum: Double, maximum: Double) {
    if let fixed = ProcessInfo.processInfo.environment["BAIFS_BENCH_FIXED_STEPS"].flatMap(Int.init), fixed > 0 {
        let seconds = elapsedSeconds { for _ in 0..<fixed { step() } }
        let perCall = seconds / Double(fixed) * 1e6
        return (perCall, perCall, perCall)
    }
    // Warm up, and estimate how many calls fill a block.
    var calls = 1
    while true {
        let seconds = elapsedSeconds { for _ in 0..<calls { step() } }
        if seconds >= blockSeconds / 4 {
            calls = max(1, Int(Double(calls) * blockSeconds / seconds))
            break
        }
        calls *= 2
    }
    var perCall = [Double]()
    for _ in 0..<blocks {
        let seconds = elapsedSeconds { for _ in 0..<calls { step() } }
        perCall.append(seconds / Double(calls) * 1e6)
    }
    perCall.sort()
    return (perCall[perCall.count / 2], perCall.first!, perCall.last!)
}

func elapsedSeconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The peak resident set size of this process in megabytes (Linux `VmHWM`), or 0 if unknown.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

/// Resets the peak resident set size to the current one (Linux: `5` to `/proc/self/clear_refs`), so
/// that the next `peakResidentMegabytes()` is the peak since now.
func resetPeakResident() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}
