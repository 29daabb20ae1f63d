import Foundation
import Testing

@Suite("Kill and resume: the CLI loses no work")
struct KillAndResumeTests {
    static let trainingArguments = ["forecast", "--epochs", "40", "--hidden", "12", "--batch", "4", "--shuffle", "--json", "--quiet"]

    /// Waits (up to 60 s) until `path` exists, polling every 5 ms.
    static func waitForFile(_ path: String) -> Bool {
        for _ in 0..<12000 {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(5000)
        }
        return false
    }

    static func forecast(of output: String) throws -> [Double] {
        let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        return json?["forecast"] as? [Double] ?? []
    }

    @Test(arguments: [SIGKILL, SIGINT])
    func killedRunResumesToTheSameResult(signal: Int32) throws {
        let reference = try runLoom(Self.trainingArguments)
        #expect(reference.status == 0, "\(reference.err)")
        let checkpoint = temporaryPath("kill.safetensors")
        defer { try? FileManager.default.removeItem(atPath: checkpoint) }
        let (process, _, errPipe) = try startLoom(Self.trainingArguments + ["--checkpoint-every", "1", "--checkpoint", checkpoint])
        #expect(Self.waitForFile(checkpoint), "no checkpoint appeared")
        usleep(20000)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if signal == SIGINT && process.terminationReason == .exit && process.terminationStatus != 0 {
            #expect(process.terminationStatus == 130, "Ctrl-C exits with 130: \(err)")
            #expect(err.contains("interrupted during epoch") && err.contains("--resume"), "\(err)")
        }
        if signal == SIGKILL && process.terminationReason == .exit {
            Issue.record("the run finished before it could be killed; make it longer")
        }
        let resumed = try runLoom(Self.trainingArguments + ["--checkpoint-every", "1", "--checkpoint", checkpoint, "--resume"])
        #expect(resumed.status == 0, "\(resumed.err)")
        let a = try Self.forecast(of: reference.out), b = try Self.forecast(of: resumed.out)
        #expect(a.count == 12 && a == b, "resumed forecast \(b) differs from the uninterrupted \(a)")
    }
}
