/// How elementwise work over a model's parameters (adding up the chunks' gradients, an optimizer's
/// update) is shared out between threads: in blocks of at most `blockSize` consecutive elements of
/// one parameter, which the calling thread and the workers that join take in turn.
///
/// Each element is computed by one thread, with the same arithmetic whichever thread it is, so
/// the results do not depend on the sharing. `BatchGradients` offers the sharing of its last batch
/// (`elementBlocks`): several threads only when the batch itself used several.
public struct ElementBlocks: @unchecked Sendable {
    /// Elements per block: 128 KiB of doubles, large enough that taking a block costs little
    /// against its arithmetic, small enough that a parameter of a few hundred thousand elements is
    /// shared out evenly.
    public static let blockSize = 16_384

    /// Every block on the calling thread, in order.
    public static let serial = ElementBlocks(pool: nil, threads: 1)

    /// The workers besides the calling thread, or `nil` for the calling thread alone.
    let pool: WorkerPool?
    /// The most threads (the caller's included) that take blocks.
    let threads: Int

    /// Calls `body(parameter, elements)` for every block of elements of every parameter, where
    /// parameter `i` has `counts[i]` elements: blocks of `blockSize` elements from the start, the last
    /// one shorter.
    ///
    /// On several threads, `body` runs for different blocks at once: it must write only the given
    /// elements of the given parameter's buffers (and read nothing that another block writes).
    public func forEachBlock(counts: [Int], _ body: (_ parameter: Int, _ elements: Range<Int>) -> Void) {
        var blocks: [(parameter: Int, elements: Range<Int>)] = []
        for (parameter, count) in counts.enumerated() {
            for start in stride(from: 0, to: count, by: Self.blockSize) {
                blocks.append((parameter, start..<min(count, start + Self.blockSize)))
            }
        }
        guard let pool, threads > 1, blocks.count > 1 else {
            for block in blocks { body(block.parameter, block.elements) }
            return
        }
        // The pool returns only once every thread that joined has finished, so `body` does not
        // outlive this call.
        withoutActuallyEscaping(body) { body in
            let job = SharedBlocks(blocks: blocks, body: body)
            let claims = ClaimCounter()
            defer { claims.deallocate() }
            pool.run(participantCount: threads) { _ in
                while true {
                    let block = claims.take()
                    guard block < job.blocks.count else { break }
                    job.run(block)
                }
            }
        }
    }
}

/// The blocks of one `forEachBlock` call and its body, shared by the threads that take blocks.
private struct SharedBlocks: @unchecked Sendable {
    let blocks: [(parameter: Int, elements: Range<Int>)]
    let body: (Int, Range<Int>) -> Void

    func run(_ block: Int) { body(blocks[block].parameter, blocks[block].elements) }
}
