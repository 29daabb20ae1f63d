/// Variable-length sequences packed time-major, as PyTorch's `PackedSequence`.
///
/// `data` (N, *) holds step 0 of every sequence, then step 1 of those still running, …;
/// `batchSizes[t]` is how many sequences are still running at step t (non-increasing).
/// Sequences are stored longest first; `sortedIndices[k]` is the original batch position of the
/// k-th stored sequence, `unsortedIndices` its inverse (both nil when the input was already
/// sorted with `enforceSorted: true`).
public struct PackedSequence {
    public let data: Tensor
    public let batchSizes: [Int]
    public let sortedIndices: [Int]?
    public let unsortedIndices: [Int]?

    public init(data: Tensor, batchSizes: [Int], sortedIndices: [Int]? = nil, unsortedIndices: [Int]? = nil) {
        precondition(data.rank >= 1 && data.shape[0] == batchSizes.reduce(0, +),
                     "PackedSequence: data has \(data.rank >= 1 ? data.shape[0] : 0) rows but batchSizes \(batchSizes) add up to \(batchSizes.reduce(0, +))")
        precondition(zip(batchSizes, batchSizes.dropFirst()).allSatisfy { $0 >= $1 } && (batchSizes.last ?? 1) > 0,
                     "PackedSequence: batchSizes must be positive and non-increasing, got \(batchSizes)")
        self.data = data
        self.batchSizes = batchSizes
        self.sortedIndices = sortedIndices
        self.unsortedIndices = unsortedIndices ?? sortedIndices.map { s in
            var inv = [Int](repeating: 0, count: s.count)
            for (k, b) in s.enumerated() { inv[b] = k }
            return inv
        }
    }

    /// Number of sequences.
    public var batchSize: Int { batchSizes.first ?? 0 }

    /// Lengths of the stored (sorted) sequences.
    var sortedLengths: [Int] {
        (0..<batchSize).map { k in batchSizes.reduce(0) { $0 + ($1 > k ? 1 : 0) } }
    }

    /// The same packing with different data (e.g. a layer's output).
    public func with(data newData: Tensor) -> PackedSequence {
        PackedSequence(data: newData, batchSizes: batchSizes, sortedIndices: sortedIndices, unsortedIndices: unsortedIndices)
    }
}

/// Packs a padded batch of variable-length sequences.
///
/// - Parameters:
///   - input: (T, B, *) or, with `batchFirst`, (B, T, *).
///   - lengths: the length of each of the B sequences, each in 1...T.
///   - enforceSorted: when true, `lengths` must be non-increasing (no reordering is recorded);
///     when false, sequences are sorted by decreasing length and the order is kept in
///     `sortedIndices`/`unsortedIndices`.
public func packPaddedSequence(_ input: Tensor, lengths: [Int], batchFirst: Bool = false,
                               enforceSorted: Bool = true) -> PackedSequence {
    precondition(input.rank >= 2, "packPaddedSequence: input must have at least 2 dimensions (T, B, *), got shape \(input.shape)")
    let x = batchFirst ? input.transpose(0, 1) : input
    let T = x.shape[0], B = x.shape[1]
    precondition(lengths.count == B,
                  "packPaddedSequence: expected \(B) lengths (one per sequence of the batch), got \(lengths.count)")
    for (b, l) in lengths.enumerated() {
        precondition(l > 0, "packPaddedSequence: length of sequence \(b) is \(l); every length must be at least 1")
        precondition(l <= T, "packPaddedSequence: length of sequence \(b) is \(l) but the input has only \(T) time steps")
    }
    var order = Array(0..<B)
    if enforceSorted {
        precondition(zip(lengths, lengths.dropFirst()).allSatisfy { $0 >= $1 },
                     "packPaddedSequence: lengths \(lengths) are not sorted in decreasing order; sort them or pass enforceSorted: false")
    } else {
        order.sort { lengths[$0] > lengths[$1] || (lengths[$0] == lengths[$1] && $0 < $1) }
    }
    let sortedLengths = order.map { lengths[$0] }
    let maxLen = sortedLengths.first ?? 0
    var batchSizes: [Int] = []
    var rows: [Int?] = []
    for t in 0..<maxLen {
        let n = sortedLengths.filter { $0 > t }.count
        batchSizes.append(n)
        for k in 0..<n { rows.append(t * B + order[k]) }
    }
    let flat = x.reshape([T * B] + Array(x.shape.dropFirst(2)))
    return PackedSequence(data: flat.selectRows(rows), batchSizes: batchSizes,
                          sortedIndices: enforceSorted ? nil : order)
}

/// Unpacks to a padded batch: returns (T, B, *) (or (B, T, *) with `batchFirst`) and the
/// lengths in the original batch order. `totalLength` pads to at least that many steps.
public func padPackedSequence(_ sequence: PackedSequence, batchFirst: Bool = false, paddingValue: Double = 0,
                              totalLength: Int? = nil) -> (Tensor, [Int]) {
    let B = sequence.batchSize
    let maxLen = sequence.batchSizes.count
    let T = totalLength ?? maxLen
    precondition(T >= maxLen,
                 "padPackedSequence: totalLength \(T) is shorter than the longest sequence (\(maxLen))")
    let order = sequence.sortedIndices ?? Array(0..<B)
    var rowOf = [Int?](repeating: nil, count: T * B)
    var offset = 0
    for (t, n) in sequence.batchSizes.enumerated() {
        for k in 0..<n { rowOf[t * B + order[k]] = offset + k }
        offset += n
    }
    let feature = Array(sequence.data.shape.dropFirst())
    let padded = sequence.data.selectRows(rowOf, padding: paddingValue).reshape([T, B] + feature)
    let sortedLengths = sequence.sortedLengths
    var lengths = [Int](repeating: 0, count: B)
    for (k, b) in order.enumerated() { lengths[b] = sortedLengths[k] }
    return (batchFirst ? padded.transpose(0, 1) : padded, lengths)
}

/// Pads a list of (L_i, *) tensors to (T, B, *) (or (B, T, *)), T = the longest length.
public func padSequence(_ sequences: [Tensor], batchFirst: Bool = false, paddingValue: Double = 0) -> Tensor {
    precondition(!sequences.isEmpty, "padSequence: expects at least one sequence")
    let feature = Array(sequences[0].shape.dropFirst())
    for (i, s) in sequences.enumerated() {
        precondition(s.rank >= 1 && Array(s.shape.dropFirst()) == feature,
                     "padSequence: sequence \(i) has shape \(s.shape), expected (L, \(feature.map(String.init).joined(separator: ", ")))")
    }
    let T = sequences.map { $0.shape[0] }.max() ?? 0
    let B = sequences.count
    let all = Tensor.cat(sequences, dim: 0)
    var starts: [Int] = []
    var acc = 0
    for s in sequences { starts.append(acc); acc += s.shape[0] }
    var rows = [Int?](repeating: nil, count: T * B)
    for (b, s) in sequences.enumerated() {
        for t in 0..<s.shape[0] { rows[t * B + b] = starts[b] + t }
    }
    let padded = all.selectRows(rows, padding: paddingValue).reshape([T, B] + feature)
    return batchFirst ? padded.transpose(0, 1) : padded
}

/// Packs a list of (L_i, *) tensors (PyTorch's `pack_sequence`).
public func packSequence(_ sequences: [Tensor], enforceSorted: Bool = true) -> PackedSequence {
    packPaddedSequence(padSequence(sequences), lengths: sequences.map { $0.shape[0] }, enforceSorted: enforceSorted)
}
