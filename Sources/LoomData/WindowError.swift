/// Why ``slidingWindows(_:window:horizon:stride:dtype:)`` could not cut a series into windows.
public enum WindowError: Error, Equatable, CustomStringConvertible {
    /// The window length is zero or negative.
    case nonPositiveWindow(Int)
    /// The horizon (number of steps predicted) is zero or negative.
    case nonPositiveHorizon(Int)
    /// The stride between window starts is zero or negative.
    case nonPositiveStride(Int)
    /// The series has fewer than `window + horizon` steps, so not even one window fits.
    case seriesTooShort(length: Int, window: Int, horizon: Int)
    /// A selected column does not exist; `role` is "input" or "target".
    case columnOutOfRange(role: String, column: Int, columnCount: Int)
    /// No input or no target column was selected; `role` is "input" or "target".
    case noColumns(role: String)
    /// The windows would need more memory than the machine has.
    case tooLarge(elements: Int, availableBytes: UInt64)

    public var description: String {
        switch self {
        case .nonPositiveWindow(let w):
            return "window must be a positive number of time steps, got \(w)"
        case .nonPositiveHorizon(let h):
            return "horizon must be a positive number of time steps, got \(h)"
        case .nonPositiveStride(let s):
            return "stride must be a positive number of time steps, got \(s)"
        case .seriesTooShort(let length, let window, let horizon):
            return "the series has \(length) time step\(length == 1 ? "" : "s"), but a window of \(window) plus a horizon of \(horizon) needs at least \(window + horizon)"
        case .columnOutOfRange(let role, let column, let count):
            return "\(role) column \(column) is out of range for a series with \(count) column\(count == 1 ? "" : "s") (valid: 0..<\(count))"
        case .noColumns(let role):
            return "no \(role) columns selected"
        case .tooLarge(let elements, let available):
            return "the windows would hold \(elements) values (\(elements / (1 << 20) * 4) MiB as Float32), more than this machine's \(available / (1 << 20)) MiB of memory; use a larger stride or a shorter window"
        }
    }
}
