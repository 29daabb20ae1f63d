/// Batches, shuffles and prefetches the samples of a ``Dataset`` (PyTorch's `DataLoader`).
///
/// ```swift
/// let loader = DataLoader(TensorDataset(x, y), batchSize: 16, shuffle: true, generator: Generator(seed: 0))
/// for epoch in 0..<epochs {
///     for (bx, by) in loader { … }        // bx (B, T, I), by (B, K)
/// }
/// ```
///
/// - Each `for` loop is one epoch and visits every sample exactly once (except the samples of a
///   final incomplete batch when `dropLast` is true). With `shuffle`, every epoch draws a new
///   permutation from the loader's ``generator``, so a seed fixes the order of every epoch; without
///   a generator the global one (``manualSeed(_:)``) is used, as PyTorch does.
/// - The last batch is smaller when the sample count is not a multiple of `batchSize`, unless
///   `dropLast` is true.
/// - With `prefetch` one background thread assembles the next batches (at most ``prefetchDepth``
///   ahead) while the caller trains on the current one. Batches and their order are identical with
///   and without prefetch. Breaking out of a loop stops the thread. Prefetch is on by default for
///   datasets read sample by sample (custom `Dataset`s, `collate`), where a sample may cost real
///   work, and off by default for ``TensorDataset``, whose batches are one copy of a few rows
///   (about 1 µs for 16 windows of 50 × 1): handing such a batch across threads costs more than
///   building it (measured +2 µs per batch without prefetch, +9 to +12 µs with it, release build,
///   2 shared cores).
///
/// Deviations from PyTorch: no worker processes (one producer thread instead of `num_workers`),
/// no `sampler`/`batch_sampler` arguments, no pinned memory (Loom runs on the CPU).
public final class DataLoader<Batch: Sendable>: Sequence {
    /// Samples per batch.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a new random order.
    public let shuffle: Bool
    /// Whether a final batch smaller than `batchSize` is skipped.
    public let dropLast: Bool
    /// Whether a background thread prepares upcoming batches.
    public var prefetch: Bool
    /// The generator the shuffle permutations come from; `nil` uses the global generator.
    /// Its state advances by one permutation per shuffled epoch (save it to resume training).
    public var generator: Generator?
    /// Number of samples in the dataset.
    public let sampleCount: Int
    /// How many finished batches the prefetch thread keeps ready at most.
    public static var prefetchDepth: Int { 2 }

    /// Called when an epoch starts; returns the function that builds a batch from sample indices.
    private let startEpoch: () -> @Sendable ([Int]) -> Batch

    /// A loader over any dataset with a custom `collate` that turns the list of samples of one
    /// batch into the batch (PyTorch's `collate_fn`). `collate` runs on the prefetch thread.
    ///
    /// - Precondition: `batchSize > 0`.
    public init<D: Dataset>(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
                            generator: Generator? = nil, prefetch: Bool = true,
                            collate: @escaping @Sendable ([D.Sample]) -> Batch) {
        precondition(batchSize > 0, "DataLoader: batchSize should be a positive integer, got \(batchSize)")
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
        self.prefetch = prefetch
        self.sampleCount = dataset.count
        let fetch: @Sendable ([Int]) -> Batch = { indices in collate(indices.map { dataset[$0] }) }
        self.startEpoch = { fetch }
    }

    /// A loader over `count` samples; each epoch builds its batches with the function returned by
    /// `startEpoch()`.
    init(count: Int, batchSize: Int, shuffle: Bool, dropLast: Bool, generator: Generator?, prefetch: Bool,
         startEpoch: @escaping () -> @Sendable ([Int]) -> Batch) {
        precondition(batchSize > 0, "DataLoader: batchSize should be a positive integer, got \(batchSize)")
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
        self.prefetch = prefetch
        self.sampleCount = count
        self.startEpoch = startEpoch
    }

    /// Number of batches per epoch (`len(loader)`).
    public var count: Int {
        dropLast ? sampleCount / batchSize : (sampleCount + batchSize - 1) / batchSize
    }

    public var underestimatedCount: Int { count }

    /// Starts an epoch: draws the sample order (a new permutation when shuffling) and, with
    /// prefetch, starts the producer thread.
    public func makeIterator() -> Iterator {
        let order: [Int]
        if shuffle {
            if generator != nil {
                order = generator!.permutation(sampleCount)
            } else {
                order = DefaultGenerator.withGenerator { $0.permutation(sampleCount) }
            }
        } else {
            order = Array(0..<sampleCount)
        }
        return Iterator(order: order, batchSize: batchSize, batchCount: count, fetch: startEpoch(), prefetch: prefetch)
    }

    /// One epoch of batches. Single-pass: copies of an iterator share its prefetch thread.
    public struct Iterator: IteratorProtocol {
        private let order: [Int]
        private let batchSize: Int
        private let batchCount: Int
        private let fetch: @Sendable ([Int]) -> Batch
        private let prefetcher: BatchPrefetcher<Batch>?
        private var nextIndex = 0

        init(order: [Int], batchSize: Int, batchCount: Int, fetch: @escaping @Sendable ([Int]) -> Batch,
             prefetch: Bool) {
            self.order = order
            self.batchSize = batchSize
            self.batchCount = batchCount
            self.fetch = fetch
            if prefetch && batchCount > 0 {
                prefetcher = BatchPrefetcher(count: batchCount, depth: DataLoader.prefetchDepth) { b in
                    fetch(Iterator.indices(ofBatch: b, order: order, batchSize: batchSize))
                }
            } else {
                prefetcher = nil
            }
        }

        /// The sample indices of batch `b`: `order[b·B ..< min((b+1)·B, N)]`.
        static func indices(ofBatch b: Int, order: [Int], batchSize: Int) -> [Int] {
            Array(order[(b * batchSize)..<Swift.min((b + 1) * batchSize, order.count)])
        }

        public mutating func next() -> Batch? {
            guard nextIndex < batchCount else { return nil }
            defer { nextIndex += 1 }
            if let prefetcher { return prefetcher.next() }
            return fetch(Iterator.indices(ofBatch: nextIndex, order: order, batchSize: batchSize))
        }
    }
}

extension DataLoader where Batch == (Tensor, Tensor) {
    /// A loader over `(input, target)` samples, stacked into `(inputs (B, …), targets (B, …))`.
    public convenience init<D: Dataset>(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false,
                                        dropLast: Bool = false, generator: Generator? = nil,
                                        prefetch: Bool = true) where D.Sample == (Tensor, Tensor) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator,
                  prefetch: prefetch, collate: defaultCollate)
    }

    /// A loader over a ``TensorDataset``: batches `(x[indices], y[indices])`, shapes (B, …) and
    /// (B, …), copied in one pass per tensor instead of sample by sample.
    ///
    /// The tensors' values are read when each epoch starts (one copy of the data per epoch), so
    /// in-place changes to `x` or `y` show from the next epoch on. Tensors that require grad are
    /// sliced with recorded ops instead, so gradients flow back to them. `prefetch` is off by
    /// default here: building a batch is a copy of B rows, cheaper than a thread handoff.
    public convenience init(_ dataset: TensorDataset, batchSize: Int = 1, shuffle: Bool = false,
                            dropLast: Bool = false, generator: Generator? = nil, prefetch: Bool = false) {
        self.init(count: dataset.count, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast,
                  generator: generator, prefetch: prefetch) {
            if dataset.x.requiresGrad || dataset.y.requiresGrad {
                return { dataset.batch(at: $0) }
            }
            let xs = TensorRows(dataset.x), ys = TensorRows(dataset.y)
            return { (xs.rows($0), ys.rows($0)) }
        }
    }
}

extension DataLoader where Batch == Tensor {
    /// A loader over single-tensor samples of shape (…), stacked into batches (B, …).
    public convenience init<D: Dataset>(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false,
                                        dropLast: Bool = false, generator: Generator? = nil,
                                        prefetch: Bool = true) where D.Sample == Tensor {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator,
                  prefetch: prefetch, collate: defaultCollate)
    }
}
