/// How text lines are split into tokens (d2l's `tokenize(lines, token)`).
public enum TokenKind: String, Sendable, Codable {
    /// One token per Unicode scalar, as Python's `list(line)`: `"ab c"` → `a b ␣ c`.
    /// (Scalars, not Swift `Character`s, so combining marks and `\r\n` are not merged.)
    case character
    /// Whitespace-separated words, as Python's `line.split()`: `"the  time"` → `the time`.
    case word
}

/// How text lines are cleaned before tokenization.
public enum TextPreprocessing: String, Sendable, Codable {
    /// Lines are used as they are.
    case none
    /// d2l's Time Machine cleaning: every run of characters other than ASCII letters becomes one
    /// space, the line is trimmed and lowercased —
    /// `re.sub('[^A-Za-z]+', ' ', line).strip().lower()`.
    case lettersOnly

    /// The cleaned line.
    public func apply(_ line: String) -> String {
        switch self {
        case .none:
            return line
        case .lettersOnly:
            var out = String.UnicodeScalarView()
            var pendingSpace = false
            for scalar in line.unicodeScalars {
                let v = scalar.value
                let isUpper = v >= 0x41 && v <= 0x5A, isLower = v >= 0x61 && v <= 0x7A
                if isUpper || isLower {
                    if pendingSpace && !out.isEmpty { out.append(" ") }
                    pendingSpace = false
                    out.append(isUpper ? Unicode.Scalar(v + 0x20)! : scalar)
                } else {
                    pendingSpace = true
                }
            }
            return String(out)
        }
    }
}

/// Splits each line into tokens: lines → tokens per line (d2l's `tokenize`). Empty lines give no
/// tokens.
public func tokenize(_ lines: [String], _ kind: TokenKind) -> [[String]] {
    switch kind {
    case .character:
        return lines.map { $0.unicodeScalars.map { String($0) } }
    case .word:
        return lines.map { $0.split(whereSeparator: { $0.isWhitespace }).map(String.init) }
    }
}
