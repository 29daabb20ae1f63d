/// Estimated text extents for layout.
///
/// SVG text is measured by the renderer, not here, so layout uses a conservative average glyph
/// width: DejaVu Sans (the usual Linux fallback) has digits 0.64 em wide; most Latin letters are
/// narrower. Overestimating only costs a little whitespace.
enum TextMetrics {
    /// The average advance of one character, in em.
    static let averageAdvance = 0.62

    /// Estimated width in pixels of `text` set at `fontSize` pixels.
    static func width(of text: String, fontSize: Double) -> Double {
        Double(text.count) * averageAdvance * fontSize
    }
}
