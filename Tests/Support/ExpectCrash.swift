import Testing

/// Checks the standard error of an exit test (Swift Testing's `#expect(processExitsWith:)`,
/// which must be written inline because its body cannot capture context):
///
///     let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { … }
///     expectStderr(r, contains: "Expected 10, got 7")
public func expectStderr(_ result: ExitTest.Result?, contains message: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    guard let result else { return }
    let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(stderr.contains(message), "stderr did not contain '\(message)':\n\(stderr.suffix(600))",
            sourceLocation: sourceLocation)
}
