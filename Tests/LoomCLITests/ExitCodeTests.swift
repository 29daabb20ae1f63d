import Foundation
import Testing

/// Every row of the README's exit-code table, by running the `loom` executable:
/// 0 success, 64 bad flags, 65 bad data, 66 missing input, 73 unwritable output, 130 interrupted.
@Suite("Exit codes: the README's table")
struct ExitCodeTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let args: [String]
        let status: Int32
        let stderr: String
        var testDescription: String { name }
    }

    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loom-exit-\(UUID().uuidString)")
    static let text: String = {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("text.txt").path
        try? String(repeating: "the time traveller held up a glittering little framework ", count: 20)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()
    static let file = text                           // an existing file, used as a folder below
    static let missing = "/nonexistent-loom-folder"

    /// The forecast and predict commands still check their files in validate() (exit 64).

    static let rows: [Row] = [
        Row(name: "0: success", args: ["demo", "shapes"], status: 0, stderr: ""),
        Row(name: "64: unknown flag", args: ["forecast", "--bogus"], status: 64, stderr: "Unknown option '--bogus'"),
        Row(name: "64: bad flag value", args: ["charlm", "train", "--text", text, "--batch=0"], status: 64,
            stderr: "--batch must be positive, got 0"),
        Row(name: "64: bad flag value before a missing file", args: ["charlm", "train", "--text", missing + "/t.txt", "--epochs=0"],
            status: 64, stderr: "--epochs must be positive, got 0"),
        Row(name: "65: bad data", args: ["charlm", "train", "--text", text, "--batch", "1000"], status: 65,
            stderr: "fewer than one batch needs"),
        Row(name: "66: missing --text", args: ["charlm", "train", "--text", missing + "/t.txt"], status: 66,
            stderr: "Error: --text \(missing)/t.txt: no such file"),
        Row(name: "66: --text is a folder", args: ["charlm", "train", "--text", folder.path], status: 66,
            stderr: "is a folder, not a file"),
        Row(name: "66: missing charlm --model", args: ["charlm", "generate", "--model", missing + "/m.loom", "--prefix", "a"],
            status: 66, stderr: "Error: --model \(missing)/m.loom: no such file"),
        Row(name: "66: missing --csv", args: ["forecast", "--csv", missing + "/s.csv"], status: 66, stderr: "no such file"),
        Row(name: "66: charlm --resume without a checkpoint",
            args: ["charlm", "train", "--text", text, "--resume", "--checkpoint", missing + "/c.safetensors"], status: 66,
            stderr: "--resume: no checkpoint at"),
        Row(name: "66: missing predict --model", args: ["predict", "--model", missing + "/m.loom"], status: 66,
            stderr: "no such file"),
        Row(name: "66: forecast --resume without a checkpoint",
            args: ["forecast", "--preset", "tutorial", "--resume", "--checkpoint", missing + "/c.safetensors"], status: 66,
            stderr: "--resume: no checkpoint at"),
        Row(name: "73: charlm --save in a missing folder", args: ["charlm", "train", "--text", text, "--save", missing + "/m.loom"],
            status: 73, stderr: "Error: --save \(missing)/m.loom: the folder \(missing) does not exist"),
        Row(name: "73: charlm --save under a file", args: ["charlm", "train", "--text", text, "--save", file + "/m.loom"],
            status: 73, stderr: "is a file, not a folder"),
        Row(name: "73: charlm --save is a folder", args: ["charlm", "train", "--text", text, "--save", folder.path],
            status: 73, stderr: "is a folder, not a file"),
        Row(name: "73: charlm --checkpoint in a missing folder",
            args: ["charlm", "train", "--text", text, "--checkpoint-every", "1", "--checkpoint", missing + "/c.safetensors"],
            status: 73, stderr: "the folder \(missing) does not exist"),
        Row(name: "73: forecast --save in a missing folder", args: ["forecast", "--save", missing + "/m.loom"], status: 73,
            stderr: "does not exist"),
        Row(name: "73: forecast --plot under a file", args: ["forecast", "--plot", file + "/p.svg"], status: 73,
            stderr: "is a file, not a folder"),
    ]

    @Test(arguments: rows)
    func exitsWithTheTablesCode(_ row: Row) throws {
        let r = try runLoom(row.args)
        #expect(r.status == row.status, "\(row.args): exit \(r.status), expected \(row.status); stderr: \(r.err)")
        if !row.stderr.isEmpty { #expect(r.err.contains(row.stderr), "stderr: \(r.err)") }
        #expect(!r.err.contains("Fatal error"), "crashed: \(r.err)")
        if row.status == 73 { #expect(!r.out.contains("perplexity"), "failed only after training: \(r.out)") }
    }

    /// 130: Ctrl-C during training (the handler is in place once the first epoch is reported).
    @Test func interruptedTrainingExits130() throws {
        let (process, _, err) = try startLoom(["charlm", "train", "--text", Self.text, "--epochs", "100000", "--hidden", "8",
                                               "--batch", "2", "--steps", "5"])
        var stderr = ""
        while !stderr.contains("epoch 1/") {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            stderr += String(decoding: data, as: UTF8.self)
        }
        #expect(stderr.contains("epoch 1/"), "no progress line: \(stderr)")
        kill(process.processIdentifier, SIGINT)
        // The test runner's children start with SIGINT blocked: a loom that does not unblock it
        // would train on forever.
        var waited = 0
        while process.isRunning && waited < 3000 { usleep(10000); waited += 1 }
        if process.isRunning {
            Issue.record("SIGINT did not stop training within 30 s")
            kill(process.processIdentifier, SIGKILL)
        }
        stderr += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(process.terminationStatus): \(stderr)")
        #expect(stderr.contains("Error: interrupted during epoch"), "\(stderr)")
    }
}
