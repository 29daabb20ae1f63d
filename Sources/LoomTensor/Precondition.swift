/// Loom's checks for programmer errors (mismatched shapes, out-of-range indices…).
///
/// Swift's `precondition` drops its message in optimized builds, leaving users of a release
/// build with a bare "Illegal instruction". This replacement (shadowing the standard library's
/// in every module that imports LoomTensor) always prints the message — the shapes, indices and
/// expected values it names — before stopping, in debug and release alike.
@inline(__always)
public func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = String(),
                         file: StaticString = #fileID, line: UInt = #line) {
    if _slowPath(!condition()) {
        fatalError(message(), file: file, line: line)
    }
}

/// Always-failing counterpart of ``precondition(_:_:file:line:)``, with its message kept in
/// optimized builds.
public func preconditionFailure(_ message: @autoclosure () -> String = String(),
                                file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
