import Foundation

/// The processor cores this process may use, read once: on Linux, `activeProcessorCount` reads
/// two cgroup files on every call, which costs more than a small batch's arithmetic.
public let processorCount = ProcessInfo.processInfo.activeProcessorCount
