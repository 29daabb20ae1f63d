import Foundation

/// Produces batches `0..<count` in order on one background thread, keeping at most `depth`
/// finished batches ready; ``next()`` hands them out in order and blocks while the next one is
/// still being built. The producer refills the queue when the consumer has emptied it, so the
/// two threads wake each other once per `depth` batches.
///
/// Lifetime: the producer thread holds only the shared ``Channel``. When the prefetcher is
/// released (the loop finished or was left with `break`), its `deinit` cancels the channel and the
/// thread exits after at most the batch it is building.
final class BatchPrefetcher<Batch: Sendable> {
    private let channel: Channel

    init(count: Int, depth: Int, produce: @escaping @Sendable (Int) -> Batch) {
        precondition(depth > 0, "BatchPrefetcher: depth must be positive, got \(depth)")
        let channel = Channel(depth: depth)
        self.channel = channel
        let thread = Thread {
            for b in 0..<count {
                guard channel.waitForRoom() else { return }
                channel.put(produce(b))
            }
            channel.finish()
        }
        thread.name = "loom.DataLoader.prefetch"
        thread.start()
    }

    deinit { channel.cancel() }

    /// The next batch in order, or `nil` when all were handed out.
    func next() -> Batch? { channel.take() }

    /// The bounded queue between the producer thread and the consumer. Every mutable field is
    /// guarded by `condition`.
    private final class Channel: @unchecked Sendable {
        private let condition = NSCondition()
        private let depth: Int
        private var ready: [Batch] = []
        private var head = 0
        private var finished = false
        private var cancelled = false

        init(depth: Int) { self.depth = depth }

        /// Blocks until the queue has room; false when the consumer went away. Once the queue is
        /// full, the producer sleeps until the consumer has taken every ready batch, then refills
        /// it: one wake-up per `depth` batches instead of one per batch. (The consumer still has a
        /// whole training step to wait before it needs the next batch.)
        func waitForRoom() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            if ready.count - head >= depth {
                while head < ready.count && !cancelled { condition.wait() }
            }
            return !cancelled
        }

        func put(_ batch: Batch) {
            condition.lock()
            defer { condition.unlock() }
            if cancelled { return }
            if head > 0 && head == ready.count { ready.removeAll(keepingCapacity: true); head = 0 }
            ready.append(batch)
            condition.broadcast()
        }

        func finish() {
            condition.lock()
            defer { condition.unlock() }
            finished = true
            condition.broadcast()
        }

        func take() -> Batch? {
            condition.lock()
            defer { condition.unlock() }
            while head == ready.count && !finished { condition.wait() }
            guard head < ready.count else { return nil }
            let batch = ready[head]
            head += 1
            if head == ready.count {
                ready.removeAll(keepingCapacity: true)
                head = 0
                condition.broadcast()
            }
            return batch
        }

        func cancel() {
            condition.lock()
            defer { condition.unlock() }
            cancelled = true
            ready.removeAll()
            head = 0
            condition.broadcast()
        }
    }
}
