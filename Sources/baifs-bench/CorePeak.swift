import Autograd
import Foundation

/// One core's peak float64 rate, as the benchmark divides by it:
/// `2 vector FMA units × doubles per vector × 2 FLOP per FMA × clock`.
///
/// The doubles per vector follow the instruction set the kernels use (8 for AVX-512, 4 for AVX2,
/// 2 otherwise); two FMA units per core is what current x86-64 server cores have (Zen 4/5, Ice
/// Lake and later); the clock is the one `/proc/cpuinfo` reports (its "cpu MHz", which on a VM is
/// the nominal clock, not the turbo one). baifs never fuses a multiply and an add (so that results
/// do not depend on the processor), so on cores whose adds share the FMA units its own ceiling is
/// half this; on Zen, whose separate add units take the adds, it is the same.
struct CorePeak {
    var gigaflops: Double
    var derivation: String

    static func measured(override: Double?) -> CorePeak {
        if let override { return CorePeak(gigaflops: override, derivation: "given with --peak-gflops") }
        let lanes: Int
        switch FusedKernels.instructionSet {
        case .avx512: lanes = 8
        case .avx2: lanes = 4
        case .portable: lanes = 2
        }
        let megahertz = cpuMegahertz() ?? 2000
        let gigaflops = 2 * Double(lanes) * 2 * megahertz / 1000
        return CorePeak(gigaflops: gigaflops,
                        derivation: "2 FMA units × \(lanes) doubles (\(FusedKernels.instructionSet)) × 2 FLOP × "
                            + String(format: "%.2f GHz", megahertz / 1000) + (cpuMegahertz() == nil ? " (assumed)" : " (/proc/cpuinfo)"))
    }

    private static func cpuMegahertz() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("cpu MHz") {
            return line.split(separator: ":").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }
}
