import Foundation
import Loom
import Testing

@Suite("Kill and resume: the CLI loses no work")
struct KillAndResumeTests {
    static let trainingArguments = ["forecast", "--preset", "tutorial", "--epochs", "40", "--hidden", "12", "--batch", "4", "--shuffle"]

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

    /// The epochs a run reported in its progress lines ("epoch 7/40 …", the first one always).
    static func firstReportedEpoch(in stderr: String) -> Int? {
        for line in stderr.split(separator: "\n") where line.hasPrefix("epoch ") {
            return Int(line.dropFirst(6).prefix { $0 != "/" })
        }
        return nil
    }

    /// Kills a run with checkpoints every epoch after its first checkpoint, resumes it, and
    /// compares with an uninterrupted run. A fresh run with the same seed gives the same forecast
    /// by itself, so the resume is also proven: a second resume from a copy of the checkpoint
    /// must start at the epoch after the checkpoint's (≥ 1), i.e. from trained weights rather
    /// than a fresh initialization, and train only the remaining epochs.
    @Test(arguments: [SIGKILL, SIGINT, SIGTERM])
    func killedRunResumesToTheSameResult(signal: Int32) throws {
        let reference = try runLoom(Self.trainingArguments + ["--json", "--quiet"])
        #expect(reference.status == 0, "\(reference.err)")
        let checkpoint = temporaryPath("kill.safetensors"), copy = temporaryPath("kill-copy.safetensors")
        defer {
            try? FileManager.default.removeItem(atPath: checkpoint)
            try? FileManager.default.removeItem(atPath: copy)
        }
        let saving = ["--checkpoint-every", "1", "--checkpoint"]
        let (process, _, errPipe) = try startLoom(Self.trainingArguments + ["--json", "--quiet"] + saving + [checkpoint])
        #expect(Self.waitForFile(checkpoint), "no checkpoint appeared")
        usleep(20000)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let graceful = signal == SIGINT || signal == SIGTERM      // handled: checkpoint, then exit 130
        #expect(process.terminationReason == (graceful ? .exit : .uncaughtSignal),
                "the run finished before it could be stopped; make it longer: \(err)")
        var interruptedEpoch: Int? = nil
        if graceful {
            #expect(process.terminationStatus == 130, "Ctrl-C and SIGTERM exit with 130: \(err)")
            #expect(err.contains("interrupted during epoch") && err.contains("--resume"), "\(err)")
            interruptedEpoch = err.components(separatedBy: "interrupted during epoch ").last.flatMap { Int($0.prefix { $0.isNumber }) }
        }
        let saved = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint)).epoch
        #expect(saved >= 1 && saved < 40, "checkpoint of epoch \(saved)")
        if let interruptedEpoch { #expect(saved == interruptedEpoch - 1, "Ctrl-C keeps the state from before the interrupted epoch") }
        try FileManager.default.copyItem(atPath: checkpoint, toPath: copy)

        let resumed = try runLoom(Self.trainingArguments + ["--json", "--quiet", "--resume"] + saving + [checkpoint])
        #expect(resumed.status == 0, "\(resumed.err)")
        let a = try Self.forecast(of: reference.out), b = try Self.forecast(of: resumed.out)
        #expect(a.count == 12 && a == b, "resumed forecast \(b) differs from the uninterrupted \(a)")

        let progress = try runLoom(Self.trainingArguments + ["--resume"] + saving + [copy])
        #expect(progress.status == 0, "\(progress.err)")
        #expect(Self.firstReportedEpoch(in: progress.err) == saved + 1,
                "the resumed run must start after the checkpoint's epoch \(saved): \(progress.err)")
    }

    /// Without --checkpoint-every, Ctrl-C still saves the state from before the interrupted epoch
    /// to --checkpoint, and --resume continues from it to the uninterrupted result.
    @Test func interruptionWithoutPeriodicCheckpointsStillSaves() throws {
        let reference = try runLoom(Self.trainingArguments + ["--json", "--quiet"])
        let checkpoint = temporaryPath("interrupt.safetensors")
        defer { try? FileManager.default.removeItem(atPath: checkpoint) }
        let (process, _, errPipe) = try startLoom(Self.trainingArguments + ["--checkpoint", checkpoint])
        // Wait for the progress line of epoch 5 (lines are printed every 4 epochs), then interrupt.
        var seen = ""
        let handle = errPipe.fileHandleForReading
        while !seen.contains("epoch 5/") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        seen += String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(seen)")
        #expect(seen.contains("saved to \(checkpoint)"), "\(seen)")
        let saved = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint)).epoch
        #expect(saved >= 5 && saved < 40, "checkpoint of epoch \(saved)")
        let resumed = try runLoom(Self.trainingArguments + ["--json", "--quiet", "--resume", "--checkpoint", checkpoint])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(try Self.forecast(of: resumed.out) == Self.forecast(of: reference.out))
    }
}
