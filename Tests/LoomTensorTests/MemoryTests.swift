import Testing
@testable import LoomTensor

@Suite("Memory: buffer reuse and gradient ownership")
struct MemoryTests {
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

    /// A leaf keeps the gradient tensor it receives when nothing else refers to it (no copy);
    /// a gradient shared with another leaf, or a view of a shared buffer, is copied, so editing
    /// one leaf's gradient never changes another's.
    @Test func gradientsOfDifferentLeavesNeverShareMemory() {
        let a = Tensor([1, 2, 3] as [Float]).requiringGrad(), b = Tensor([4, 5, 6] as [Float]).requiringGrad()
        (a + b).sum().backward()                      // add hands the same gradient to a and b
        #expect(a.grad!.storage !== b.grad!.storage)
        a.grad!.storage.pointer(Float.self)[0] = 100
        #expect(b.grad!.scalars == [1, 1, 1])
        // Views: c's gradient is a reshape (same buffer) of the upstream gradient that d also gets.
        let c = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4] as [Float]).requiringGrad()
        let d = Tensor([1, 1, 1, 1] as [Float]).requiringGrad()
        (c.reshape([4]) * d).sum().backward()
        #expect(c.grad!.storage !== d.grad!.storage)
        #expect(c.grad!.scalars == [1, 1, 1, 1] && d.grad!.scalars == [1, 2, 3, 4])
        // Accumulation into an existing gradient still adds.
        (c.reshape([4]) * d).sum().backward()
        #expect(c.grad!.scalars == [2, 2, 2, 2])
    }
}
