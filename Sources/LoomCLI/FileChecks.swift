import Foundation

/// Checks of the files named on the command line, made at the start of a command's `run()`,
/// before any work, so that they exit with the README's codes: 66 for an input that is missing
/// or unreadable, 73 for an output that cannot be written.
///
/// They do not belong in `validate()`: ArgumentParser reports every error thrown there as a
/// usage error (``ValidationError``, 64) or a bare failure (1), whatever its type. `validate()`
/// keeps the checks of the flags themselves (64).
enum FileChecks {
    /// The file at `path` must exist, be a file and be readable (``CLIError/noInput(_:)``, 66).
    static func requireInput(_ path: String, flag: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.noInput("\(flag) \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw CLIError.noInput("\(flag) \(path): is a folder, not a file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CLIError.noInput("\(flag) \(path): the file is not readable (permission denied)")
        }
    }

    /// `path` (when given) must be writable: its folder exists, is a folder and is writable, and
    /// `path` itself is not a folder (``CLIError/cannotWrite(_:)``, 73).
    static func requireWritable(_ path: String?, flag: String) throws {
        guard let path else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw CLIError.cannotWrite("\(flag) \(path): the folder \(folder) does not exist")
        }
        guard isDirectory.boolValue else {
            throw CLIError.cannotWrite("\(flag) \(path): \(folder) is a file, not a folder")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw CLIError.cannotWrite("\(flag) \(path): the folder \(folder) is not writable")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIError.cannotWrite("\(flag) \(path): is a folder, not a file")
        }
    }
}

extension CheckpointOptions {
    /// With `--resume` the checkpoint must exist (66); with `--checkpoint-every` or `--resume` its
    /// folder must be writable (73).
    func checkFiles() throws {
        if resume {
            guard FileManager.default.fileExists(atPath: checkpoint) else {
                throw CLIError.noInput("--resume: no checkpoint at \(checkpoint) (pass --checkpoint PATH)")
            }
            try FileChecks.requireInput(checkpoint, flag: "--checkpoint")
        }
        if checkpointEvery != nil || resume { try FileChecks.requireWritable(checkpoint, flag: "--checkpoint") }
    }
}
