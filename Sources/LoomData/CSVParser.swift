/// A small RFC 4180 reader: splits CSV text into records of string fields.
///
/// Accepted: fields quoted with `"` (which may hold delimiters, line breaks and `""` for a quote),
/// line endings `\n`, `\r\n` and `\r` (mixed freely), a UTF-8 byte order mark, a missing final
/// line break. Blank lines (empty or only spaces and tabs) are skipped, as pandas does. A quote
/// inside an unquoted field is kept literally. Fields are not trimmed.
///
/// Rejected with a ``CSVError`` naming the line: invalid UTF-8, a quoted field that is never
/// closed, text between a closing quote and the next delimiter. The reader works on bytes and
/// never traps on any input; records may have different lengths (``CSVTable`` checks that).
/// Line breaks inside quoted fields are returned as `\n`.
public struct CSVParser: Sendable {
    /// The field separator, an ASCII character other than `"`, `\r` and `\n` (`,` by default;
    /// `;` and `\t` are common).
    public let delimiter: Character

    private let delimiterByte: UInt8

    public init(delimiter: Character = ",") {
        precondition(delimiter.isASCII && delimiter != "\"" && delimiter != "\n" && delimiter != "\r" && delimiter != "\r\n",
                     "CSVParser: the delimiter must be an ASCII character other than a quote or a line break, got \(delimiter.debugDescription)")
        self.delimiter = delimiter
        delimiterByte = delimiter.asciiValue!
    }

    /// One record: its fields and the line where it starts (from 1).
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        public var line: Int

        public init(fields: [String], line: Int) {
            self.fields = fields
            self.line = line
        }
    }

    /// Parses UTF-8 text. `fileName` is used in error messages only.
    public func parse(_ text: String, fileName: String = "<string>") throws(CSVError) -> [Record] {
        try parse(bytes: Array(text.utf8), fileName: fileName)
    }

    /// Parses the bytes of a CSV file. `fileName` is used in error messages only.
    public func parse(bytes: [UInt8], fileName: String = "<string>") throws(CSVError) -> [Record] {
        var state = Scanner(fileName: fileName, delimiter: delimiterByte)
        let count = bytes.count
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < count {
            let byte = bytes[i]
            // A "\r\n" pair is one line break.
            let crlf = byte == Scanner.cr && i + 1 < count && bytes[i + 1] == Scanner.lf
            try state.consume(byte)
            i += crlf ? 2 : 1
        }
        return try state.finish()
    }

    /// The byte-level state machine. Line breaks inside quoted fields become `\n` (the caller
    /// folds a `\r\n` pair into one `\r`).
    private struct Scanner {
        static let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

        enum Mode { case fieldStart, unquoted, quoted, afterClosingQuote }

        let fileName: String
        let delimiter: UInt8
        var mode = Mode.fieldStart
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var field: [UInt8] = []
        var fieldWasQuoted = false
        var fields: [String] = []
        var records: [Record] = []

        init(fileName: String, delimiter: UInt8) {
            self.fileName = fileName
            self.delimiter = delimiter
        }

        mutating func consume(_ byte: UInt8) throws(CSVError) {
            switch mode {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    try endField()
                } else if byte == Scanner.lf || byte == Scanner.cr {
                    try endRecord()
                    line += 1
                    recordLine = line
                } else if byte == Scanner.quote && mode == .fieldStart {
                    mode = .quoted
                    fieldWasQuoted = true
                    quoteLine = line
                } else {
                    field.append(byte)
                    mode = .unquoted
                }
            case .quoted:
                if byte == Scanner.quote {
                    mode = .afterClosingQuote
                } else if byte == Scanner.cr {
                    // The caller folds "\r\n" into "\r"; keep a line break inside the field as "\n".
                    field.append(Scanner.lf)
                    line += 1
                } else {
                    field.append(byte)
                    if byte == Scanner.lf { line += 1 }
                }
            case .afterClosingQuote:
                if byte == Scanner.quote {
                    field.append(Scanner.quote)
                    mode = .quoted
                } else if byte == delimiter {
                    try endField()
                } else if byte == Scanner.lf || byte == Scanner.cr {
                    try endRecord()
                    line += 1
                    recordLine = line
                } else {
                    throw .textAfterClosingQuote(file: fileName, line: line, field: fields.count + 1,
                                                 found: CSVError.quoted(String(decoding: [byte], as: UTF8.self)))
                }
            }
        }

        mutating func endField() throws(CSVError) {
            let text = String(decoding: field, as: UTF8.self)
            // Decoding replaces invalid sequences with U+FFFD, so a lossless round trip proves validity.
            guard text.utf8.elementsEqual(field) else { throw .invalidUTF8(file: fileName, line: line) }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
            mode = .fieldStart
        }

        mutating func endRecord() throws(CSVError) {
            let blank = fields.isEmpty && !fieldWasQuoted
                && field.allSatisfy { $0 == Scanner.space || $0 == Scanner.tab }
            if blank {
                field.removeAll(keepingCapacity: true)
            } else {
                try endField()
                records.append(Record(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
            mode = .fieldStart
        }

        mutating func finish() throws(CSVError) -> [Record] {
            if mode == .quoted { throw .unterminatedQuote(file: fileName, line: quoteLine) }
            if mode != .fieldStart || !fields.isEmpty || !field.isEmpty || fieldWasQuoted { try endRecord() }
            return records
        }
    }
}
