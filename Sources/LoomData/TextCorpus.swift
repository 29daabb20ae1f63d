import Foundation

/// A text read for a language model: its lines, tokens, vocabulary and the whole text as one
/// list of token indices (d2l's `load_corpus_time_machine`).
///
/// ```swift
/// // d2l's character-level Time Machine corpus: letters only, lowercased, one token per char.
/// let corpus = try TextCorpus(contentsOf: url, tokens: .character, preprocessing: .lettersOnly)
/// corpus.vocab.count          // 28
/// corpus.indices.count        // 170580 for d2l's copy of the book
/// ```
///
/// Lines are concatenated without separators, as in d2l; pass `lineBreaks: true` to put a `"\n"`
/// token after every line (character models of verse or code).
public struct TextCorpus: Sendable {
    /// The lines after preprocessing (empty lines included).
    public let lines: [String]
    /// The tokens of each line.
    public let tokens: [[String]]
    /// The vocabulary built from all tokens.
    public let vocab: Vocab
    /// The index of every token of the text, in order (d2l's `corpus`).
    public let indices: [Int]

    /// Reads a UTF-8 text file (a byte order mark is skipped).
    ///
    /// - Parameters:
    ///   - maxTokens: keep only the first `maxTokens` indices (the vocabulary still covers the
    ///     whole text, as in d2l); `nil` keeps all.
    /// - Throws: ``TextError`` when the file cannot be read, is empty, is not UTF-8 or has no
    ///   tokens.
    public init(contentsOf url: URL, tokens kind: TokenKind = .character, preprocessing: TextPreprocessing = .none,
                minFreq: Int = 0, reservedTokens: [String] = [], lineBreaks: Bool = false,
                maxTokens: Int? = nil) throws(TextError) {
        let text = try TextCorpus.readText(contentsOf: url)
        try self.init(text: text, fileName: url.lastPathComponent, tokens: kind, preprocessing: preprocessing,
                      minFreq: minFreq, reservedTokens: reservedTokens, lineBreaks: lineBreaks, maxTokens: maxTokens)
    }

    /// Builds a corpus from text in memory; see ``init(contentsOf:tokens:preprocessing:minFreq:reservedTokens:lineBreaks:maxTokens:)``.
    public init(text: String, fileName: String = "<text>", tokens kind: TokenKind = .character,
                preprocessing: TextPreprocessing = .none, minFreq: Int = 0, reservedTokens: [String] = [],
                lineBreaks: Bool = false, maxTokens: Int? = nil) throws(TextError) {
        guard !text.isEmpty else { throw .empty(file: fileName) }
        lines = TextCorpus.lines(of: text).map(preprocessing.apply)
        var tokens = tokenize(lines, kind)
        if lineBreaks { tokens = tokens.map { $0 + ["\n"] } }
        guard tokens.contains(where: { !$0.isEmpty }) else { throw .noTokens(file: fileName) }
        self.tokens = tokens
        let vocab = Vocab(tokens, minFreq: minFreq, reservedTokens: reservedTokens)
        let all = tokens.joined().map { vocab[$0] }
        self.vocab = vocab
        indices = maxTokens.map { Array(all.prefix(Swift.max($0, 0))) } ?? all
    }

    /// Splits text into lines at `\n`, `\r\n` and `\r` without the line breaks, as Python's
    /// `readlines()` in text mode (no empty last line after a final line break).
    public static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && afterCR { afterCR = false; continue }
            afterCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// The contents of a UTF-8 text file, without a byte order mark.
    ///
    /// - Throws: ``TextError`` when the file cannot be read, is empty or is not valid UTF-8
    ///   (naming the line and byte of the first invalid sequence).
    public static func readText(contentsOf url: URL) throws(TextError) -> String {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: name, reason: CSVTable.reason(error))
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard !bytes.isEmpty else { throw .empty(file: name) }
        let text = String(decoding: bytes, as: UTF8.self)
        // Decoding replaces invalid sequences with U+FFFD, so a lossless round trip proves validity.
        guard text.utf8.elementsEqual(bytes) else {
            let (line, offset) = firstInvalidUTF8(bytes)
            throw .invalidUTF8(file: name, line: line, offset: offset + (data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0))
        }
        return text
    }

    /// The line (from 1) and byte offset (from 0) of the first invalid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, offset: Int) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0, line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1 }
            case .emptyInput:
                return (line, offset)
            case .error:
                return (line, offset)
            }
        }
    }
}
