import ArgumentParser
import Foundation
import Loom

/// Errors the commands report about the outside world, with sysexits-style exit codes:
/// usage errors are ArgumentParser's (64); a missing input is 66, bad data 65, an output that
/// cannot be written 73/74, an interrupted run 130.
enum CLIError: Error, CustomStringConvertible {
    case noInput(String)
    case data(String)
    case cannotWrite(String)

    var description: String {
        switch self {
        case .noInput(let m), .data(let m), .cannotWrite(let m): return m
        }
    }

    var exitCode: Int32 {
        switch self {
        case .noInput: return 66
        case .data: return 65
        case .cannotWrite: return 73
        }
    }
}

extension LoomCommand {
    /// The exit status for an error Loom's libraries report about the outside world; nil for
    /// errors ArgumentParser handles itself (usage errors, help, version).
    static func dataExitCode(for error: Error) -> Int32? {
        switch error {
        case let e as CLIError: return e.exitCode
        case is PlotWriteError: return 73
        case let e as Safetensors.Error:
            if case .unwritable = e { return 73 }
            return 65
        case let e as TrainingStop:
            if case .interrupted = e { return 130 }
            return 65
        case is CSVError, is TextError, is ForecastError, is CharLMError, is CheckpointError, is WindowError: return 65
        default: return nil
        }
    }

    /// Parses and runs, printing `Error: …` and exiting with a meaningful code on failure.
    public static func runFromCommandLine(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            guard let code = dataExitCode(for: error) else { exit(withError: error) }
            // A progress bar may be mid-line on a terminal: start the message on a new line.
            let prefix = error is TrainingStop ? "\n" : ""
            FileHandle.standardError.write(Data("\(prefix)Error: \(error)\n".utf8))
            Foundation.exit(code)
        }
    }
}
