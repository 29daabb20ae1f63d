import Synchronization

/// Reuses freed tensor buffers of the same size.
///
/// A training step allocates the same buffers (activations, gradients, workspaces) every
/// iteration. Buffers above the C allocator's mmap threshold would otherwise be mapped and
/// unmapped each time, paying page faults and kernel zeroing on every step. Freed buffers of at
/// least ``minimumBytes`` wait here until a buffer of that size is asked for again. The pool
/// holds at most ``capacityBytes`` in total and ``perSizeLimit`` buffers of a size.
///
/// Sizes up to ``bucketedBytes`` are rounded up to a multiple of ``granule`` and kept in an array
/// indexed by that multiple (no hashing: a tensor's allocation and release each cost one
/// uncontended lock and an array access); larger ones are keyed by exact size in a dictionary.
enum BufferPool {
    static let minimumBytes = 1024
    static let capacityBytes = 512 * 1024 * 1024
    static let perSizeLimit = 16
    static let granule = 64
    static let bucketedBytes = 1 << 20

    /// A freed buffer (owned by the pool until handed out again).
    private struct Block: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

    private struct State {
        var buckets = [[Block]](repeating: [], count: bucketedBytes / granule + 1)
        var large: [Int: [Block]] = [:]
        var heldBytes = 0
    }

    private static let state = Mutex(State())

    /// The size actually allocated for a request (pooled sizes are rounded to the bucket).
    @inline(__always)
    private static func roundedSize(_ byteCount: Int) -> Int {
        byteCount >= minimumBytes && byteCount <= bucketedBytes ? (byteCount + granule - 1) / granule * granule : byteCount
    }

    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = roundedSize(byteCount)
        if size >= minimumBytes,
           let reused = state.withLock({ s -> Block? in
               let block = size <= bucketedBytes ? s.buckets[size / granule].popLast() : s.large[size]?.popLast()
               if block != nil { s.heldBytes -= size }
               return block
           }) {
            return reused.pointer
        }
        // Cache-line alignment for buffers the pool keeps; small ones take malloc's own 16-byte
        // alignment (every kernel loads unaligned), which skips the slower aligned allocator:
        // a tiny model's training step spent ~5% of its time in memalign and the fragmentation
        // it caused.
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: size >= minimumBytes ? 64 : 16)
    }

    static func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let size = roundedSize(byteCount)
        if size >= minimumBytes {
            let block = Block(pointer: pointer)
            let kept = state.withLock { s -> Bool in
                guard s.heldBytes + size <= capacityBytes else { return false }
                if size <= bucketedBytes {
                    let i = size / granule
                    guard s.buckets[i].count < perSizeLimit else { return false }
                    s.buckets[i].append(block)
                } else {
                    guard (s.large[size]?.count ?? 0) < perSizeLimit else { return false }
                    s.large[size, default: []].append(block)
                }
                s.heldBytes += size
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }
}
