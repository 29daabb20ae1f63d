import Foundation
import LoomData
import LoomTensor
import Testing

@Suite("Text corpora and Vocab")
struct TextCorpusTests {
    @Test func linesSplitLikePythonReadlines() {
        #expect(TextCorpus.lines(of: "a\nb\r\nc\rd\n") == ["a", "b", "c", "d"])
        #expect(TextCorpus.lines(of: "a\n\nb") == ["a", "", "b"])
        #expect(TextCorpus.lines(of: "\n") == [""])
        #expect(TextCorpus.lines(of: "") == [])
    }

    /// d2l: `re.sub('[^A-Za-z]+', ' ', line).strip().lower()`.
    @Test(arguments: [
        ("The Time Machine, by H. G. Wells [1898]", "the time machine by h g wells"),
        ("  --I--  ", "i"),
        ("It's 3 o'clock; café!", "it s o clock caf"),
        ("...", ""),
        ("", ""),
    ])
    func lettersOnlyPreprocessing(_ line: String, _ expected: String) {
        #expect(TextPreprocessing.lettersOnly.apply(line) == expected)
        #expect(TextPreprocessing.none.apply(line) == line)
    }

    @Test func tokenizeCharactersAndWords() {
        #expect(tokenize(["ab c", ""], .character) == [["a", "b", " ", "c"], []])
        #expect(tokenize(["the  time\tmachine ", ""], .word) == [["the", "time", "machine"], []])
        // Characters are Unicode scalars, like Python's list(str): "e" + combining acute is two.
        #expect(tokenize(["e\u{301}"], .character) == [["e", "\u{301}"]])
    }

    /// d2l's Vocab: `<unk>` first, reserved tokens next, then by frequency, ties by first appearance.
    @Test func vocabOrderFollowsD2L() {
        let lines = [["b", "a", "c", "a"], ["d", "c", "a", "b"], ["e"]]
        // Counts: a 3, b 2, c 2, d 1, e 1 — b before c and d before e by first appearance.
        let vocab = Vocab(lines)
        #expect(vocab.tokens == ["<unk>", "a", "b", "c", "d", "e"])
        #expect(vocab.tokenFrequencies.map(\.token) == ["a", "b", "c", "d", "e"])
        #expect(vocab.tokenFrequencies.map(\.count) == [3, 2, 2, 1, 1])
        #expect(vocab.count == 6 && vocab.unk == 0)
        #expect(vocab["c"] == 3 && vocab["zzz"] == 0 && vocab[["a", "q", "e"]] == [1, 0, 5])
        #expect(vocab.token(at: 2) == "b" && vocab.tokens(at: [5, 0]) == ["e", "<unk>"])

        let filtered = Vocab(lines, minFreq: 2, reservedTokens: ["<pad>", "<bos>"])
        #expect(filtered.tokens == ["<unk>", "<pad>", "<bos>", "a", "b", "c"])
        #expect(filtered["d"] == 0 && !filtered.contains("d") && filtered.contains("<pad>"))
        #expect(filtered.tokenFrequencies.count == 5, "token_freqs keeps every token")

        let flat = Vocab(["x", "y", "y", "<unk>"], reservedTokens: ["<unk>", "<eos>"])
        #expect(flat.tokens == ["<unk>", "<eos>", "y", "x"], "duplicates of special tokens are not added twice")
        #expect(Vocab([String]()).tokens == ["<unk>"])
    }

    @Test func vocabCodable() throws {
        let vocab = Vocab(tokenize(["hello world"], .character), reservedTokens: ["<eos>"])
        let copy = try JSONDecoder().decode(Vocab.self, from: JSONEncoder().encode(vocab))
        #expect(copy == vocab && copy["o"] == vocab["o"] && copy.token(at: 3) == vocab.token(at: 3))
        for bad in [#"{"tokens":["a","<unk>"]}"#, #"{"tokens":["<unk>","a","a"]}"#, #"{"tokens":[]}"#] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(Vocab.self, from: Data(bad.utf8)) }
        }
    }

    @Test func corpusFromText() throws {
        let corpus = try TextCorpus(text: "The cat.\n\nA cat sat!\n", tokens: .character, preprocessing: .lettersOnly)
        #expect(corpus.lines == ["the cat", "", "a cat sat"])
        // Lines are joined without separators, as in d2l.
        #expect(corpus.vocab.tokens(at: corpus.indices).joined() == "the cata cat sat")
        // Counts: a 4, t 4, ' ' 3, c 2, h 1, e 1, s 1 (ties by first appearance: t before a).
        #expect(corpus.vocab.tokens == ["<unk>", "t", "a", " ", "c", "h", "e", "s"])
        let words = try TextCorpus(text: "the cat\nthe hat the", tokens: .word, maxTokens: 4)
        #expect(words.vocab.tokens == ["<unk>", "the", "cat", "hat"])
        #expect(words.indices == [1, 2, 1, 3])
        let verse = try TextCorpus(text: "ab\nb", lineBreaks: true)
        #expect(verse.vocab.tokens(at: verse.indices) == ["a", "b", "\n", "b", "\n"])
    }

    @Test func unreadableTextThrows() throws {
        #expect(throws: TextError.empty(file: "<text>")) { try TextCorpus(text: "") }
        #expect(throws: TextError.noTokens(file: "<text>")) { try TextCorpus(text: "1984 -- 2001\n", preprocessing: .lettersOnly) }
        let invalid = try temporaryFile("latin1.txt", Array("first line\nsecond ".utf8) + [0xE9, 0x74, 0xE9, 0x0A])
        defer { cleanUp(invalid) }
        #expect(throws: TextError.invalidUTF8(file: "latin1.txt", line: 2, offset: 18)) { try TextCorpus(contentsOf: invalid) }
        #expect(TextError.invalidUTF8(file: "latin1.txt", line: 2, offset: 18).description
            == "latin1.txt:2: the text is not valid UTF-8 (byte 18); convert the file to UTF-8")
        let empty = try temporaryFile("empty.txt", [0xEF, 0xBB, 0xBF])
        defer { cleanUp(empty) }
        #expect(throws: TextError.empty(file: "empty.txt")) { try TextCorpus(contentsOf: empty) }
        let missing = empty.deletingLastPathComponent().appendingPathComponent("missing.txt")
        #expect(throws: TextError.unreadable(file: "missing.txt", reason: "no such file")) { try TextCorpus(contentsOf: missing) }
        let bom = try temporaryFile("bom.txt", [0xEF, 0xBB, 0xBF] + Array("ab".utf8))
        defer { cleanUp(bom) }
        #expect(try TextCorpus(contentsOf: bom).lines == ["ab"])
    }

    /// d2l's numbers for its copy of the Time Machine: 3221 lines, 170580 character tokens,
    /// 28 tokens (with `<unk>`); 4580 word tokens.
    @Test(.enabled(if: SharedData.available("timemachine.txt"), "needs ../shared/data/timemachine.txt"))
    func timeMachineLikeD2L() throws {
        let url = SharedData.url("timemachine.txt")!
        let chars = try TextCorpus(contentsOf: url, tokens: .character, preprocessing: .lettersOnly)
        #expect(chars.lines.count == 3221)
        #expect(chars.indices.count == 170_580)
        #expect(chars.vocab.count == 28)
        #expect(Array(chars.vocab.tokens.prefix(10)) == ["<unk>", " ", "e", "t", "a", "i", "n", "o", "s", "h"])
        #expect(chars.vocab.tokenFrequencies.prefix(3).map(\.count) == [29927, 17838, 13515])
        let words = try TextCorpus(contentsOf: url, tokens: .word, preprocessing: .lettersOnly)
        #expect(words.vocab.count == 4580)
        #expect(Array(words.vocab.tokens.prefix(6)) == ["<unk>", "the", "i", "and", "of", "a"])
    }
}
