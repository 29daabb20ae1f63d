import Foundation
import LoomTensor
import Testing

/// A JSON fixture of `scripts/fixtures/data_*.py` read in full Float64 precision. (The shared
/// `Fixture` loader converts to Float32, and Foundation's `JSONSerialization` on Linux can be off
/// by an ulp; `JSONDecoder` parses doubles exactly.)
struct DoubleFixture {
    private struct Document: Decodable {
        struct Entry: Decodable {
            let shape: [Int]
            let data: [Double]
        }
        let tensors: [String: Entry]
    }

    let arrays: [String: (shape: [Int], data: [Double])]

    init(_ name: String) throws {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
            ?? Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        let doc = try JSONDecoder().decode(Document.self, from: Data(contentsOf: url))
        arrays = doc.tensors.mapValues { ($0.shape, $0.data) }
    }

    /// The flat values of `key`.
    subscript(_ key: String) -> [Double] {
        guard let a = arrays[key] else { fatalError("fixture has no array '\(key)'") }
        return a.data
    }

    /// `key` as rows (N × F) of a 2-d array.
    func rows(_ key: String) -> [[Double]] {
        guard let a = arrays[key], a.shape.count == 2 else { fatalError("fixture array '\(key)' is not 2-d") }
        return (0..<a.shape[0]).map { Array(a.data[($0 * a.shape[1])..<(($0 + 1) * a.shape[1])]) }
    }

    func shape(_ key: String) -> [Int] { arrays[key]!.shape }
}

/// Element-by-element |a − b| ≤ atol + rtol·|b|, recording the first mismatches.
func expectClose(_ actual: [Double], _ expected: [Double], atol: Double = 0, rtol: Double = 0,
                 _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var failures = 0
    for i in actual.indices {
        let ok = actual[i] == expected[i] || (actual[i].isNaN && expected[i].isNaN)
            || Swift.abs(actual[i] - expected[i]) <= atol + rtol * Swift.abs(expected[i])
        if !ok {
            failures += 1
            if failures <= 3 {
                Issue.record("\(what)[\(i)]: \(actual[i]) vs expected \(expected[i])", sourceLocation: sourceLocation)
            }
        }
    }
}

/// The user's real data files (`flights.csv`, `timemachine.txt`), which are not committed: tests
/// that use them are skipped when the folder is absent. Looked up in `LOOM_DATA_DIR`, then in
/// `../shared/data` next to the repository.
enum SharedData {
    static func url(_ name: String) -> URL? {
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["LOOM_DATA_DIR"] {
            candidates.append(URL(fileURLWithPath: dir))
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repository.deletingLastPathComponent().appendingPathComponent("shared/data"))
        candidates.append(URL(fileURLWithPath: "/work/shared/data"))
        return candidates.map { $0.appendingPathComponent(name) }
            .first { FileManager.default.isReadableFile(atPath: $0.path) }
    }

    static func available(_ name: String) -> Bool { url(name) != nil }
}

/// A temporary file with `bytes`, removed by the caller with `cleanUp`.
func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loomdata-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

func cleanUp(_ url: URL) {
    try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
}

/// Whether an exit test's process wrote `message` to standard error. Swift prints precondition
/// messages only in debug builds (`-Onone`); in optimized builds only the exit is checked.
func stoppedWithMessage(_ result: ExitTest.Result?, _ message: String) -> Bool {
    #if DEBUG
    return String(decoding: result?.standardErrorContent ?? [], as: UTF8.self).contains(message)
    #else
    return result != nil
    #endif
}
