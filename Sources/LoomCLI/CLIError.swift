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
    /// Parses and runs, printing `Error: …` and exiting with a meaningful code on failure.
    public static func runFromCommandLine(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let error as PlotWriteError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(73)
        } catch let error as Safetensors.Error {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            if case .unwritable = error { Foundation.exit(73) }
            Foundation.exit(65)
        } catch let error as CSVError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(65)
        } catch let error as TextError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(65)
        } catch let error as ForecastError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(65)
        } catch let error as TrainingStop {
            FileHandle.standardError.write(Data("\nError: \(error)\n".utf8))
            if case .interrupted = error { Foundation.exit(130) }
            Foundation.exit(65)
        } catch let error as CheckpointError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(65)
        } catch let error as CharLMError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(65)
        } catch {
            exit(withError: error)
        }
    }
}
