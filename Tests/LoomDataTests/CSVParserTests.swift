import Foundation
import LoomData
import LoomTensor
import Testing

@Suite("CSV parser")
struct CSVParserTests {
    static func fields(_ text: String) throws -> [[String]] {
        try CSVParser().parse(text).map(\.fields)
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let text = "name,note\n\"Smith, J.\",\"said \"\"hi\"\"\"\n\"two\nlines\",\"\"\n"
        #expect(try Self.fields(text) == [["name", "note"], ["Smith, J.", "said \"hi\""], ["two\nlines", ""]])
        let records = try CSVParser().parse(text)
        #expect(records.map(\.line) == [1, 2, 3], "a record starts on the line of its first field")
    }

    @Test func lineEndingsEmptyLinesAndByteOrderMark() throws {
        let expected = [["a", "b"], ["1", "2"], ["3", "4"]]
        #expect(try Self.fields("a,b\r\n1,2\r\n3,4\r\n") == expected)
        #expect(try Self.fields("a,b\r1,2\r3,4") == expected)
        #expect(try Self.fields("\u{FEFF}a,b\n1,2\n3,4\n") == expected)
        #expect(try Self.fields("\n\na,b\n\n1,2\r\n \t \r\n3,4\n\n\n") == expected)
        #expect(try Self.fields("a,b\n1,2\n3,4") == expected, "no final line break")
        // Blank lines are skipped but still counted.
        #expect(try CSVParser().parse("\n\na,b\n\n1,2\r\n\r\n3,4").map(\.line) == [3, 5, 7])
        // CRLF inside a quoted field is one line break.
        #expect(try Self.fields("\"x\r\ny\",z\r\n") == [["x\ny", "z"]])
    }

    @Test func emptyFieldsAndOtherDelimiters() throws {
        #expect(try Self.fields(",\n,a,\n") == [["", ""], ["", "a", ""]])
        #expect(try Self.fields("\"\"\n") == [[""]], "a quoted empty field is a record, not a blank line")
        #expect(try CSVParser(delimiter: ";").parse("a;b,c\n1;2,5").map(\.fields) == [["a", "b,c"], ["1", "2,5"]])
        #expect(try CSVParser(delimiter: "\t").parse("a\tb\n").map(\.fields) == [["a", "b"]])
        #expect(try Self.fields("") == [])
        #expect(try Self.fields("ab\"c\n") == [["ab\"c"]], "a quote inside an unquoted field is literal")
        #expect(try Self.fields("é,日本\n") == [["é", "日本"]])
    }

    @Test func malformedQuotingThrowsWithTheLine() {
        #expect(throws: CSVError.unterminatedQuote(file: "x.csv", line: 2)) {
            try CSVParser().parse("a,b\n\"open,1\n2,3\n", fileName: "x.csv")
        }
        #expect(throws: CSVError.textAfterClosingQuote(file: "x.csv", line: 3, field: 2, found: "'x'")) {
            try CSVParser().parse("a,b\n1,2\n3,\"4\"x\n", fileName: "x.csv")
        }
        #expect(CSVError.unterminatedQuote(file: "x.csv", line: 2).description
            == "x.csv:2: a quoted field starts here but its closing quote is missing")
    }

    @Test func invalidUTF8ThrowsWithTheLine() {
        let bytes: [UInt8] = Array("a,b\n1,2\n".utf8) + [0x33, 0xFF, 0x2C, 0x34, 0x0A]
        #expect(throws: CSVError.invalidUTF8(file: "bad.csv", line: 3)) {
            try CSVParser().parse(bytes: bytes, fileName: "bad.csv")
        }
        // A truncated multi-byte sequence at the very end.
        #expect(throws: CSVError.invalidUTF8(file: "bad.csv", line: 1)) {
            try CSVParser().parse(bytes: [0x61, 0x2C, 0xE6, 0x97], fileName: "bad.csv")
        }
    }

    /// Fields written with quoting where needed parse back to themselves.
    @Test func roundTripOfRandomTables() throws {
        var g = Generator(seed: 11)
        let alphabet: [String] = ["a", "Z", "1", ".", " ", ",", "\"", "\n", "\r\n", "é", "-", "\t"]
        for _ in 0..<300 {
            let columns = 1 + g.nextInt(below: 4)
            let rows = (0..<(1 + g.nextInt(below: 5))).map { _ in
                (0..<columns).map { _ in (0..<g.nextInt(below: 6)).map { _ in alphabet[g.nextInt(below: alphabet.count)] }.joined() }
            }
            // A lone empty field would be a blank line: quote every field, as RFC 4180 allows.
            let text = rows.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
                .joined(separator: g.nextInt(below: 2) == 0 ? "\n" : "\r\n")
            let expected = rows.map { $0.map { $0.replacingOccurrences(of: "\r\n", with: "\n") } }
            #expect(try Self.fields(text) == expected)
        }
    }

    /// Arbitrary bytes never crash the reader: every input parses or throws a `CSVError`, and
    /// the table and series layers above it do the same. Two corpora: random bytes biased to CSV
    /// syntax, and well-formed numeric tables with a few bytes mutated.
    @Test func arbitraryBytesNeverCrash() {
        var g = Generator(seed: 2024)
        let interesting: [UInt8] = Array("\",\r\n1.e- ANaN;\t".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0x00]
        var parsed = 0, rejected = 0
        func run(_ bytes: [UInt8]) {
            do {
                let table = try CSVTable(bytes: bytes, fileName: "fuzz.csv")
                _ = try? TimeSeries(table: table, missing: .interpolate)
                _ = try? TimeSeries(table: table, columns: [0], label: table.columnCount > 1 ? 1 : nil, missing: .drop)
                parsed += 1
            } catch {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        for _ in 0..<2000 {
            run((0..<g.nextInt(below: 64)).map { _ in
                g.nextInt(below: 32) == 0 ? UInt8(g.nextInt(below: 256)) : interesting[g.nextInt(below: interesting.count)]
            })
        }
        for _ in 0..<2000 {
            let columns = 1 + g.nextInt(below: 3)
            var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
            for _ in 0..<g.nextInt(below: 6) {
                text += (0..<columns).map { _ in
                    ["1", "-2.5", "3e2", "", "NA", "\"4\"", " 5 "][g.nextInt(below: 7)]
                }.joined(separator: ",") + (g.nextInt(below: 2) == 0 ? "\n" : "\r\n")
            }
            var bytes = Array(text.utf8)
            for _ in 0..<g.nextInt(below: 3) where !bytes.isEmpty {
                bytes[g.nextInt(below: bytes.count)] = interesting[g.nextInt(below: interesting.count)]
            }
            run(bytes)
        }
        #expect(parsed > 500 && rejected > 500, "the corpus exercises both outcomes (\(parsed) parsed, \(rejected) rejected)")
    }
}
