import Foundation
import Testing
@testable import LoomPlot

/// Converting SVG to PNG with librsvg's `rsvg-convert` (Debian: librsvg2-bin), when installed.
///
/// The PNGs are kept in `$TMPDIR/loomplot-render/` (overwritten on each run) for a human to look
/// at.
@Suite("Render with rsvg-convert", .enabled(if: RSVGConvert.path != nil, "rsvg-convert is not on PATH"))
struct RenderTests {
    static let outputDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("loomplot-render")

    /// The document rendered under `name`.
    static func document(_ name: String) -> String {
        switch name {
        case "forecast":
            return SampleCharts.forecast().svg()
        case "forecast-figure":
            return SampleCharts.figure().svg()
        case "stacked-figure":
            let charts = [SampleCharts.forecast(), SampleCharts.zoom()]
            return Figure(title: "Airline passengers: forecast vs actual", columns: 1, charts: charts).svg()
        default:
            return Figure(columns: 3, charts: EdgeCharts.all).svg()
        }
    }

    @Test("charts and figures convert to non-empty PNGs",
          arguments: ["forecast", "forecast-figure", "stacked-figure", "edge-cases"])
    func convert(name: String) throws {
        let svg = Self.document(name)
        let directory = Self.outputDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let svgURL = directory.appendingPathComponent("\(name).svg")
        let pngURL = directory.appendingPathComponent("\(name).png")
        try? FileManager.default.removeItem(at: pngURL)
        try Data(svg.utf8).write(to: svgURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(RSVGConvert.path))
        process.arguments = ["--format", "png", "--output", pngURL.path, svgURL.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

        #expect(process.terminationStatus == 0, "rsvg-convert failed: \(message)")
        let png = try Data(contentsOf: pngURL)
        #expect(png.count > 1000)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}

/// Locating `rsvg-convert` on `PATH`.
enum RSVGConvert {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return directories.map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

/// Small charts with awkward data, for the eye.
enum EdgeCharts {
    static var all: [LineChart] {
        var empty = LineChart(title: "no series", width: 320, height: 220)
        empty.xLabel = "x"
        var single = LineChart(title: "single point", width: 320, height: 220)
        single.add(series: "one", x: [3], y: [7])
        var flat = LineChart(title: "all equal", width: 320, height: 220)
        flat.add(series: "flat", y: [Double](repeating: 5, count: 10))
        var gaps = LineChart(title: "NaN and ∞ gaps", width: 320, height: 220)
        gaps.add(series: "gaps", y: [1, 2, .nan, 3, 4, .infinity, 5, .nan, 6, 5, 7])
        var band = LineChart(title: "band <&> escaping", width: 320, height: 220)
        let xs = (0..<30).map(Double.init)
        band.add(series: "sin", x: xs, y: xs.map { sin($0 / 4) }, style: .dotted)
        band.band("± 0.3", x: xs, lower: xs.map { sin($0 / 4) - 0.3 }, upper: xs.map { sin($0 / 4) + 0.3 })
        var points = LineChart(title: "points", width: 320, height: 220)
        points.add(series: "p", y: [3, 1, 4, 1, 5, 9, 2, 6], style: .points)
        return [empty, single, flat, gaps, band, points]
    }
}
