/// A vocabulary: maps tokens to indices and back (d2l's `Vocab`).
///
/// Index 0 is `<unk>` (unknown token), then the `reservedTokens` in order, then every token seen
/// at least `minFreq` times, most frequent first; tokens of equal frequency keep the order of
/// their first appearance (d2l sorts a `collections.Counter` stably by count).
///
/// ```swift
/// let vocab = Vocab(tokenize(lines, .character))
/// vocab["e"]              // 2 (index; unknown tokens give 0)
/// vocab.token(at: 2)      // "e"
/// vocab.count             // 28 for the Time Machine: <unk>, space and 26 letters
/// ```
public struct Vocab: Sendable, Equatable, Codable {
    /// The unknown token, always at index 0.
    public static let unknownToken = "<unk>"

    /// A token and the number of times it occurs in the data the vocabulary was built from.
    public struct TokenCount: Sendable, Equatable, Codable {
        public var token: String
        public var count: Int

        public init(token: String, count: Int) {
            self.token = token
            self.count = count
        }
    }

    /// The tokens by index (d2l's `idx_to_token`).
    public let tokens: [String]
    /// Every distinct token of the data with its count, most frequent first (d2l's
    /// `token_freqs`), including tokens dropped by `minFreq`.
    public let tokenFrequencies: [TokenCount]
    private let indexOfToken: [String: Int]

    /// Builds a vocabulary from a flat list of tokens.
    ///
    /// - Parameters:
    ///   - minFreq: tokens seen fewer times are left out (they map to `<unk>`); default 0.
    ///   - reservedTokens: tokens placed right after `<unk>`, e.g. `["<pad>", "<bos>", "<eos>"]`.
    public init<S: Sequence<String>>(_ tokens: S, minFreq: Int = 0, reservedTokens: [String] = []) {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for token in tokens {
            if let c = counts[token] { counts[token] = c + 1 } else { counts[token] = 1; order.append(token) }
        }
        // Stable sort by count, descending: ties keep their first-appearance order.
        let ranked = order.enumerated()
            .sorted { a, b in
                let ca = counts[a.element]!, cb = counts[b.element]!
                return ca != cb ? ca > cb : a.offset < b.offset
            }
            .map { TokenCount(token: $0.element, count: counts[$0.element]!) }
        var list: [String] = []
        var index: [String: Int] = [:]
        func add(_ token: String) {
            guard index[token] == nil else { return }
            index[token] = list.count
            list.append(token)
        }
        add(Vocab.unknownToken)
        reservedTokens.forEach(add)
        for entry in ranked where entry.count >= minFreq { add(entry.token) }
        self.tokens = list
        self.tokenFrequencies = ranked
        self.indexOfToken = index
    }

    /// Builds a vocabulary from tokenized lines (the output of ``tokenize(_:_:)``).
    public init(_ lines: [[String]], minFreq: Int = 0, reservedTokens: [String] = []) {
        self.init(lines.joined(), minFreq: minFreq, reservedTokens: reservedTokens)
    }

    /// Number of tokens, `<unk>` and reserved tokens included (`len(vocab)`).
    public var count: Int { tokens.count }

    /// The index of `<unk>`: 0.
    public var unk: Int { 0 }

    /// The index of `token`, or 0 (`<unk>`) when it is not in the vocabulary.
    public subscript(token: String) -> Int { indexOfToken[token] ?? 0 }

    /// The indices of `tokens`.
    public subscript(tokens: [String]) -> [Int] { tokens.map { self[$0] } }

    /// Whether `token` has its own index.
    public func contains(_ token: String) -> Bool { indexOfToken[token] != nil }

    /// The token at `index` (d2l's `to_tokens`).
    public func token(at index: Int) -> String {
        precondition(tokens.indices.contains(index),
                     "Vocab.token(at:): index \(index) is out of range for a vocabulary of \(tokens.count) tokens")
        return tokens[index]
    }

    /// The tokens at `indices`.
    public func tokens(at indices: [Int]) -> [String] { indices.map { token(at: $0) } }

    // MARK: - Equatable, Codable

    public static func == (a: Vocab, b: Vocab) -> Bool {
        a.tokens == b.tokens && a.tokenFrequencies == b.tokenFrequencies
    }

    private enum CodingKeys: String, CodingKey { case tokens, tokenFrequencies }

    /// Decodes a vocabulary saved with a model; checks that `<unk>` is first and tokens are unique.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let tokens = try c.decode([String].self, forKey: .tokens)
        guard tokens.first == Vocab.unknownToken else {
            throw DecodingError.dataCorruptedError(forKey: .tokens, in: c,
                debugDescription: "Vocab: the first token must be \(Vocab.unknownToken), found \(tokens.first.map { "'\($0)'" } ?? "no tokens")")
        }
        var index: [String: Int] = [:]
        for (i, token) in tokens.enumerated() {
            guard index.updateValue(i, forKey: token) == nil else {
                throw DecodingError.dataCorruptedError(forKey: .tokens, in: c,
                    debugDescription: "Vocab: token '\(token)' appears twice (index \(i))")
            }
        }
        self.tokens = tokens
        self.tokenFrequencies = try c.decodeIfPresent([TokenCount].self, forKey: .tokenFrequencies) ?? []
        self.indexOfToken = index
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(tokenFrequencies, forKey: .tokenFrequencies)
    }
}
