import Foundation

/// libFuzzer's entry point for programs that have their own `main` (SwiftPM gives every
/// executable one): parses the command-line flags, then calls `testOneInput` for each input.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

nonisolated(unsafe) private var currentTarget: ((Data) -> Void)?

/// Runs libFuzzer with this process's arguments, feeding every input to `target` as `Data`, and
/// exits with libFuzzer's status. `target` must return normally for every input: a crash, a
/// timeout or an allocation past `-rss_limit_mb` is a finding.
public func runFuzzer(_ target: @escaping (Data) -> Void) -> Never {
    currentTarget = target
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { bytes, size in
        let data = size == 0 || bytes == nil ? Data() : Data(bytes: bytes!, count: size)
        currentTarget!(data)
        return 0
    }
    exit(status)
}

/// Stops with `message` when `condition` is false. (`precondition` prints no message in -O builds.)
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
