import Foundation
import Testing

/// The regression files of a test target's `BadInputs` resource folder, and a check that each
/// file has an expected-message entry and vice versa.
public enum BadInputFolder {
    public static func files(in bundle: Bundle) throws -> [URL] {
        guard let folder = bundle.url(forResource: "BadInputs", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "BadInputs"])
        }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    public static func expectCoverage(_ files: [URL], _ expected: [String: String], atLeast minimum: Int,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        let names = Set(files.map(\.lastPathComponent))
        #expect(names.count >= minimum, "only \(names.count) bad inputs", sourceLocation: sourceLocation)
        #expect(names.subtracting(expected.keys).isEmpty, "files without an expected message: \(names.subtracting(expected.keys).sorted())",
                sourceLocation: sourceLocation)
        #expect(Set(expected.keys).subtracting(names).isEmpty, "expected messages without a file: \(Set(expected.keys).subtracting(names).sorted())",
                sourceLocation: sourceLocation)
    }
}
