import Foundation
import Testing

/// The bad-input corpus (BadInputs/cases.json): every case must exit with the expected status,
/// print a message naming the file/line/field and what was expected, never die from a signal,
/// and leave no output file behind.
@Suite("Bad inputs through the CLI")
struct BadInputTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let args: [String]
        let status: Int32
        let stderr: String
        /// Why the expected status does not hold yet: the status check is then a known issue
        /// (reported as missing once it holds, when this field must go).
        let pending: String?
        var testDescription: String { name }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInputs")

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")),
              let cases = try? JSONDecoder().decode([Case].self, from: data) else { return [] }
        return cases
    }()

    /// Models and checkpoints some cases need, made once with the CLI itself.
    static let fixtures: [String: String] = {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("loom-bad-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let text = tmp.appendingPathComponent("text.txt").path
        try? String(repeating: "the quick brown fox jumps over the lazy dog ", count: 30).write(toFile: text, atomically: true, encoding: .utf8)
        let lm = tmp.appendingPathComponent("lm.loom").path
        _ = try? runLoom(["charlm", "train", "--text", text, "--epochs", "1", "--hidden", "8", "--batch", "4", "--steps", "5", "--quiet", "--save", lm, "--sample", "1"])
        let forecaster = tmp.appendingPathComponent("forecaster.loom").path
        _ = try? runLoom(["forecast", "--epochs", "1", "--hidden", "4", "--quiet", "--save", forecaster])
        let ckpt = tmp.appendingPathComponent("ckpt.safetensors").path
        _ = try? runLoom(["forecast", "--epochs", "1", "--hidden", "5", "--quiet", "--checkpoint-every", "1", "--checkpoint", ckpt])
        return ["{tmp}": tmp.path, "{lm}": lm, "{forecaster}": forecaster, "{ckpt}": ckpt, "{dir}": directory.path]
    }()

    @Test func corpusHasAtLeastThirtyCases() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func badInputIsRejectedCleanly(_ c: Case) throws {
        let args = c.args.map { arg in Self.fixtures.reduce(arg) { $0.replacingOccurrences(of: $1.key, with: $1.value) } }
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: Self.fixtures["{tmp}"]!)) ?? [])
        let r = try runLoom(args)
        let checkStatus = { #expect(r.status == c.status, "\(c.name): exit \(r.status), expected \(c.status); stderr: \(r.err)") }
        if let pending = c.pending { withKnownIssue(Comment(rawValue: pending), checkStatus) } else { checkStatus() }
        #expect(r.err.contains(c.stderr), "\(c.name): stderr does not contain '\(c.stderr)': \(r.err)")
        #expect(!r.err.contains("Fatal error") && !r.err.contains("Stack dump"), "\(c.name) crashed: \(r.err)")
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: Self.fixtures["{tmp}"]!)) ?? [])
        #expect(after == before, "\(c.name) left files behind: \(after.subtracting(before))")
    }
}
