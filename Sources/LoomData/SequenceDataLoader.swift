/// How ``SequenceDataLoader`` cuts a token corpus into minibatches (d2l §8.3).
public enum SequenceSampling: String, Sendable, Codable {
    /// `seq_data_iter_random`: drop a random prefix of 0…T−1 tokens, cut the rest into
    /// non-overlapping subsequences of T tokens, shuffle them, and batch B at a time. Batches are
    /// unrelated to each other: reset the hidden state for every batch.
    case random
    /// `seq_data_iter_sequential`: drop a random prefix of 0…T tokens, lay the rest out as B
    /// rows of equal length, and walk along the rows T columns at a time. Row b of a batch
    /// continues row b of the previous batch: carry the hidden state (detached) across batches.
    case sequential
}

/// Minibatches `(X, Y)` of a token corpus for language models (d2l's `SeqDataLoader`).
///
/// X and Y have shape (B, T) and hold token indices as Float32 values; `Y` is `X` shifted one
/// token ahead (the next-token targets). Each `for` loop is one epoch and draws its random offset
/// (and, for ``SequenceSampling/random``, its order) from the loader's ``generator``, so a seed
/// fixes every epoch. Tokens that do not fill a whole batch are left out, as in d2l.
///
/// ```swift
/// let loader = SequenceDataLoader(corpus.indices, batchSize: 32, numSteps: 35,
///                                 sampling: .sequential, generator: Generator(seed: 0))
/// for (x, y) in loader {
///     let inputs = Tensor.oneHot(timeMajor: x, numClasses: corpus.vocab.count)   // (T, B, V)
///     …
/// }
/// ```
///
/// Deviation from d2l: the random numbers come from Loom's generator, not Python's `random`, so
/// the offsets and orders differ for the same seed; the batching rules are d2l's.
public final class SequenceDataLoader: Sequence {
    /// The token indices.
    public let corpus: [Int]
    /// Rows per batch (B).
    public let batchSize: Int
    /// Tokens per row (T).
    public let numSteps: Int
    /// Random sampling or sequential partitioning.
    public let sampling: SequenceSampling
    /// The generator offsets and orders come from; `nil` uses the global generator.
    public var generator: Generator?

    /// - Precondition: `batchSize > 0` and `numSteps > 0`.
    public init(_ corpus: [Int], batchSize: Int, numSteps: Int, sampling: SequenceSampling = .random,
                generator: Generator? = nil) {
        precondition(batchSize > 0, "SequenceDataLoader: batchSize must be positive, got \(batchSize)")
        precondition(numSteps > 0, "SequenceDataLoader: numSteps must be positive, got \(numSteps)")
        self.corpus = corpus
        self.batchSize = batchSize
        self.numSteps = numSteps
        self.sampling = sampling
        self.generator = generator
    }

    /// Starts an epoch: draws the offset (and order) and returns the batches.
    public func makeIterator() -> Iterator {
        let starts: [[Int]]
        switch sampling {
        case .random:
            let offset = draw { $0.nextInt(below: numSteps) }
            let subsequences = Swift.max(corpus.count - offset - 1, 0) / numSteps
            let order = draw { $0.permutation(subsequences) }
            starts = SequenceDataLoader.randomStarts(corpusCount: corpus.count, batchSize: batchSize,
                                                     numSteps: numSteps, offset: offset, order: order)
        case .sequential:
            let offset = draw { $0.nextInt(below: numSteps + 1) }
            starts = SequenceDataLoader.sequentialStarts(corpusCount: corpus.count, batchSize: batchSize,
                                                         numSteps: numSteps, offset: offset)
        }
        return Iterator(corpus: corpus, numSteps: numSteps, starts: starts)
    }

    private func draw<R>(_ body: (inout Generator) -> R) -> R {
        if generator != nil { return body(&generator!) }
        return DefaultGenerator.withGenerator(body)
    }

    /// The start positions in `corpus` of the B rows of each batch for random sampling:
    /// subsequence k starts at `offset + k·T`; `order` is a permutation of the subsequences.
    static func randomStarts(corpusCount: Int, batchSize: Int, numSteps: Int, offset: Int, order: [Int]) -> [[Int]] {
        let subsequences = Swift.max(corpusCount - offset - 1, 0) / numSteps
        precondition(order.count == subsequences, "randomStarts: order has \(order.count) entries for \(subsequences) subsequences")
        let batches = subsequences / batchSize
        return (0..<batches).map { i in
            order[(i * batchSize)..<((i + 1) * batchSize)].map { offset + $0 * numSteps }
        }
    }

    /// The start positions of the B rows of each batch for sequential partitioning: the tokens
    /// from `offset` are laid out as B rows of `columns` tokens; batch i takes columns
    /// `i·T ..< (i+1)·T` of every row.
    static func sequentialStarts(corpusCount: Int, batchSize: Int, numSteps: Int, offset: Int) -> [[Int]] {
        let usable = Swift.max(corpusCount - offset - 1, 0) / batchSize * batchSize
        let columns = usable / batchSize
        let batches = columns / numSteps
        return (0..<batches).map { i in
            (0..<batchSize).map { b in offset + b * columns + i * numSteps }
        }
    }

    /// One epoch of `(X, Y)` batches, each (B, T).
    public struct Iterator: IteratorProtocol {
        let corpus: [Int]
        let numSteps: Int
        let starts: [[Int]]
        var position = 0

        /// Number of batches left.
        public var remaining: Int { starts.count - position }

        public mutating func next() -> (Tensor, Tensor)? {
            guard position < starts.count else { return nil }
            defer { position += 1 }
            let rows = starts[position]
            var x = [Float](), y = [Float]()
            x.reserveCapacity(rows.count * numSteps)
            y.reserveCapacity(rows.count * numSteps)
            for s in rows {
                for t in s..<(s + numSteps) {
                    x.append(Float(corpus[t]))
                    y.append(Float(corpus[t + 1]))
                }
            }
            return (Tensor(shape: [rows.count, numSteps], scalars: x), Tensor(shape: [rows.count, numSteps], scalars: y))
        }
    }
}
