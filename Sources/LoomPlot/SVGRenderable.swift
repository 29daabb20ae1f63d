import Foundation

/// Something that renders to a standalone SVG document: ``LineChart`` and ``Figure``.
public protocol SVGRenderable {
    /// The SVG document text (UTF-8 XML, with an XML declaration).
    func svg() -> String
}

extension SVGRenderable {
    /// Writes ``svg()`` to a file atomically: the text goes to a temporary file in the same
    /// directory, which is then renamed over `url`. Readers see the old file or the new one,
    /// never a partial one; on failure no temporary file is left behind.
    ///
    /// - Throws: ``PlotWriteError`` naming the path and the reason.
    public func write(to url: URL) throws(PlotWriteError) {
        try AtomicFile.replace(url, with: Data(svg().utf8))
    }
}
