import Synchronization

/// Reuses freed tensor buffers of the same size.
///
/// A training step allocates the same buffers (activations, gradients, workspaces) every
/// iteration. Buffers above the C allocator's mmap threshold would otherwise be mapped and
/// unmapped each time, paying page faults and kernel zeroing on every step. Freed buffers of at
/// least ``minimumBytes`` wait here, keyed by exact size, until a tensor of that size is made
/// again. The pool holds at most ``capacityBytes`` in total and ``perSizeLimit`` buffers of a size.
enum BufferPool {
    static let minimumBytes = 1024
    static let capacityBytes = 512 * 1024 * 1024
    static let perSizeLimit = 16

    /// A freed buffer (owned by the pool until handed out again).
    private struct Block: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

    private struct State {
        var free: [Int: [Block]] = [:]
        var heldBytes = 0
    }

    private static let state = Mutex(State())

    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount >= minimumBytes,
           let reused = state.withLock({ s -> Block? in
               guard let b = s.free[byteCount]?.popLast() else { return nil }
               s.heldBytes -= byteCount
               return b
           }) {
            return reused.pointer
        }
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    static func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= minimumBytes {
            let block = Block(pointer: pointer)
            let kept = state.withLock { s -> Bool in
                guard s.heldBytes + byteCount <= capacityBytes, (s.free[byteCount]?.count ?? 0) < perSizeLimit else { return false }
                s.free[byteCount, default: []].append(block)
                s.heldBytes += byteCount
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }
}
