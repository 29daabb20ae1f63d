/// Why a chart or figure could not be written to a file.
public enum PlotWriteError: Error, Equatable, CustomStringConvertible {
    /// The URL does not name a local file (e.g. `https://…`).
    case notAFileURL(String)
    /// The temporary file next to the destination could not be created or written.
    case cannotWrite(path: String, reason: String)
    /// The finished temporary file could not be moved over the destination.
    case cannotReplace(path: String, reason: String)

    /// The destination the write was for.
    public var path: String {
        switch self {
        case .notAFileURL(let path), .cannotWrite(let path, _), .cannotReplace(let path, _): path
        }
    }

    public var description: String {
        switch self {
        case .notAFileURL(let url):
            "cannot write plot to \(url): not a file URL"
        case .cannotWrite(let path, let reason):
            "cannot write plot to '\(path)': \(reason)"
        case .cannotReplace(let path, let reason):
            "cannot write plot to '\(path)' (replacing the file failed): \(reason)"
        }
    }
}
