/// A minimal, append-only SVG/XML markup builder.
///
/// Every attribute value and text node goes through ``SVGWriter/escape(_:)``, so callers never
/// build markup by string interpolation of user text. Numbers go through
/// ``SVGWriter/number(_:)``, which always yields a finite, locale-independent SVG number.
import Foundation

struct SVGWriter {
    /// The markup written so far.
    private(set) var output = ""
    private var depth = 0

    /// An attribute list; `nil` values are left out, which keeps optional attributes readable.
    typealias Attributes = [(name: String, value: String?)]

    /// Writes the XML declaration and opens the `<svg>` root element.
    mutating func beginDocument(width: Double, height: Double, attributes: Attributes = []) {
        output += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let size = "0 0 \(Self.number(width)) \(Self.number(height))"
        open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", Self.number(width)),
            ("height", Self.number(height)),
            ("viewBox", size),
        ] + attributes)
    }

    /// Closes the `<svg>` root element.
    mutating func endDocument() {
        close("svg")
    }

    /// Opens `<name …>`; balance with ``close(_:)``.
    mutating func open(_ name: String, _ attributes: Attributes = []) {
        line("<\(name)\(Self.render(attributes))>")
        depth += 1
    }

    /// Closes `</name>`.
    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    /// Writes an empty element `<name …/>`.
    mutating func element(_ name: String, _ attributes: Attributes) {
        line("<\(name)\(Self.render(attributes))/>")
    }

    /// Writes `<name …>text</name>` with `text` escaped.
    mutating func element(_ name: String, _ attributes: Attributes, text: String) {
        line("<\(name)\(Self.render(attributes))>\(Self.escape(text))</\(name)>")
    }

    private mutating func line(_ text: String) {
        output += String(repeating: "  ", count: max(depth, 0))
        output += text
        output += "\n"
    }

    private static func render(_ attributes: Attributes) -> String {
        var result = ""
        for (name, value) in attributes {
            guard let value else { continue }
            result += " \(name)=\"\(escape(value))\""
        }
        return result
    }

    /// Escapes `& < > " '` and drops characters that XML 1.0 forbids (C0 controls other than
    /// tab/newline/carriage return, U+FFFE, U+FFFF), so any Swift string yields well-formed XML.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Formats a coordinate with at most two decimals and no trailing zeros (`12.5`, `-3`).
    ///
    /// Non-finite values become `0`, and magnitudes are clamped to ±10⁷ so that a wild data value
    /// cannot produce `inf` or an exponent that some renderers reject.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = min(max(value, -1e7), 1e7)
        let hundredths = (clamped * 100).rounded()
        if hundredths == 0 { return "0" }
        let whole = Int(hundredths)
        let sign = whole < 0 ? "-" : ""
        let magnitude = abs(whole)
        let integerPart = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(integerPart)" }
        if fraction % 10 == 0 { return "\(sign)\(integerPart).\(fraction / 10)" }
        let padded = fraction < 10 ? "0\(fraction)" : "\(fraction)"
        return "\(sign)\(integerPart).\(padded)"
    }
}
