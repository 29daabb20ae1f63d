import Foundation
import Testing
@testable import LoomTasks

@Suite("Char language model: prefixes the vocabulary can read")
struct CharLanguageModelTests {
    static func model(_ text: String, preprocessing: TextPreprocessing = .lettersOnly) throws -> (CharLanguageModel, [Int]) {
        let corpus = try TextCorpus(text: text, preprocessing: preprocessing)
        var config = CharLMConfig()
        config.hiddenSize = 4
        config.preprocessing = preprocessing
        return (CharLanguageModel(config: config, vocab: corpus.vocab), corpus.indices)
    }

    @Test func theDefaultPrefixIsKeptWhenTheTextHasItsCharacters() throws {
        let (lm, corpus) = try Self.model("The Time Traveller (for so it will be convenient to speak of him) ")
        #expect(lm.unknownCharacters(in: "time traveller").isEmpty)
        #expect(lm.samplePrefix(from: corpus) == "time traveller")
    }

    /// 'hello world' lacks t, i, m, a and v: the sample starts from the text's first words, as
    /// many as fit in 20 characters, and never prints <unk>.
    @Test func otherwiseTheTextsFirstWordsAreUsed() throws {
        let (lm, corpus) = try Self.model("  Hello, world! " + String(repeating: "hello world ", count: 5))
        #expect(lm.unknownCharacters(in: "Time traveller") == ["t", "i", "m", "a", "v"])
        #expect(lm.samplePrefix(from: corpus) == "hello world hello")
        let sample = try lm.generate(prefix: lm.samplePrefix(from: corpus), length: 10)
        #expect(sample.hasPrefix("hello world hello") && !sample.contains("<unk>"))
        let (long, longCorpus) = try Self.model("bcdfghjknopqsuwxyzbcdfg bcd")
        #expect(long.samplePrefix(from: longCorpus) == "bcdfghjknopqsuwxyzbc")
        let (short, shortCorpus) = try Self.model("zz  ")
        #expect(short.samplePrefix(from: shortCorpus) == "zz")
    }

    @Test func prefixesWithUnknownCharactersAreRefusedByName() throws {
        let (lm, _) = try Self.model(String(repeating: "hello world ", count: 5))
        #expect(throws: CharLMError.unknownCharacters(prefix: "hello tim", characters: ["t", "i", "m"])) {
            try lm.generate(prefix: "hello tim", length: 3)
        }
        #expect(throws: CharLMError.unknownPrefix("123")) { try lm.generate(prefix: "123", length: 3) }
        #expect("\(CharLMError.unknownCharacters(prefix: "hello tim", characters: ["t", "i", "m"]))"
            == "the prefix 'hello tim' has characters that do not occur in the model's training text: 't', 'i', 'm'; choose a prefix from its characters")
        // Letters only: case and punctuation are cleaned away first, so they are not unknown.
        #expect(lm.unknownCharacters(in: "Hello, World!").isEmpty)
        #expect(try lm.generate(prefix: "Hello, World!", length: 0) == "hello world")

        let (raw, _) = try Self.model("hello\tworld", preprocessing: .none)
        #expect(raw.unknownCharacters(in: "Hello\n") == ["H", "\n"])
        #expect("\(CharLMError.unknownCharacters(prefix: "x", characters: ["\n"]))".contains("'\\n'"))
        #expect(throws: CharLMError.self) { try raw.generate(prefix: "Hello", length: 1) }
    }
}
