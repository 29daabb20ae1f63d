import Testing
@testable import LoomTensor

@Suite("Buffer pool")
struct BufferPoolTests {
    /// A released buffer comes back for a request of the same rounded size (here 987,000 and
    /// 987,001 bytes both round to 987,008), large enough for it; sizes below the minimum are not
    /// kept. (Sizes no other test uses: tests run concurrently and share the pool.)
    @Test func reusesBuffersOfTheSameRoundedSize() {
        let a = BufferPool.allocate(byteCount: 987_000)
        a.initializeMemory(as: UInt8.self, repeating: 7, count: 987_000)
        BufferPool.release(a, byteCount: 987_000)
        let b = BufferPool.allocate(byteCount: 987_001)
        #expect(b == a)
        b.initializeMemory(as: UInt8.self, repeating: 1, count: 987_001)     // the whole request fits
        #expect(Int(bitPattern: b) % 64 == 0)
        BufferPool.release(b, byteCount: 987_001)
        // A different rounded size does not take it.
        let c = BufferPool.allocate(byteCount: 987_100)
        #expect(c != a)
        BufferPool.release(c, byteCount: 987_100)
        // Small buffers go straight back to malloc (16-byte aligned).
        let s = BufferPool.allocate(byteCount: 100)
        #expect(Int(bitPattern: s) % 16 == 0)
        BufferPool.release(s, byteCount: 100)
        // Above the bucketed range, sizes are matched exactly.
        let big = BufferPool.allocate(byteCount: 3_000_004)
        BufferPool.release(big, byteCount: 3_000_004)
        let again = BufferPool.allocate(byteCount: 3_000_004)
        #expect(again == big)
        BufferPool.release(again, byteCount: 3_000_004)
    }
}
