/// Why a text corpus could not be read.
public enum TextError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The bytes at `line` (from 1), byte `offset` (from 0) are not valid UTF-8.
    case invalidUTF8(file: String, line: Int, offset: Int)
    /// The file is empty.
    case empty(file: String)
    /// Preprocessing and tokenization left no token (e.g. a file of punctuation only when only
    /// letters are kept).
    case noTokens(file: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file: \(reason)"
        case .invalidUTF8(let file, let line, let offset):
            return "\(file):\(line): the text is not valid UTF-8 (byte \(offset)); convert the file to UTF-8"
        case .empty(let file):
            return "\(file): the file is empty"
        case .noTokens(let file):
            return "\(file): the text has no tokens after preprocessing"
        }
    }
}
