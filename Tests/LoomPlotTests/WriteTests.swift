import Foundation
import Testing
@testable import LoomPlot

@Suite("Writing files")
struct WriteTests {
    /// A fresh, empty directory that is removed after `body`.
    private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("loomplot-write-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    @Test("write(to:) stores exactly svg() and leaves no temporary file")
    func writesDocument() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("chart.svg")
            let chart = SampleCharts.forecast()
            try chart.write(to: url)
            #expect(try String(contentsOf: url, encoding: .utf8) == chart.svg())
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["chart.svg"])
        }
    }

    @Test("writing again replaces the file")
    func replaces() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("figure.svg")
            try LineChart(title: "first").write(to: url)
            try SampleCharts.figure().write(to: url)
            #expect(try String(contentsOf: url, encoding: .utf8) == SampleCharts.figure().svg())
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["figure.svg"])
        }
    }

    @Test("a missing directory throws an error that names the path")
    func missingDirectory() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("no/such/dir/chart.svg")
            let error = #expect(throws: PlotWriteError.self) { try LineChart().write(to: url) }
            #expect(error?.path == url.path)
            #expect(error?.description.contains(url.path) == true)
            #expect(error?.description.contains("No such file or directory") == true)
        }
    }

    @Test("a directory in place of the file throws, and the directory is untouched")
    func directoryInTheWay() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("taken")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            try FileManager.default.createDirectory(at: url.appendingPathComponent("child"),
                                                    withIntermediateDirectories: false)
            let error = #expect(throws: PlotWriteError.self) { try LineChart().write(to: url) }
            guard case .cannotReplace(let path, _)? = error else {
                Issue.record("expected cannotReplace, got \(String(describing: error))")
                return
            }
            #expect(path == url.path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["taken"])
        }
    }

    @Test("a non-file URL is rejected")
    func notAFile() throws {
        let url = try #require(URL(string: "https://example.com/chart.svg"))
        #expect(throws: PlotWriteError.notAFileURL("https://example.com/chart.svg")) {
            try LineChart().write(to: url)
        }
    }
}
