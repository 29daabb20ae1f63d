import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

/// Compares with ``expectClose`` and, when `LOOM_PARITY_REPORT=1`, prints the largest absolute
/// difference (the numbers quoted in the parity summary). Printing only; numerics never change.
@discardableResult
func expectParity(_ actual: Tensor?, _ expected: Tensor, atol: Double = 1e-5, rtol: Double = 1e-4,
                  _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    let worst = expectClose(actual, expected, atol: atol, rtol: rtol, what, sourceLocation: sourceLocation)
    if ProcessInfo.processInfo.environment["LOOM_PARITY_REPORT"] == "1" {
        print("parity \(what): max |diff| \(worst)")
    }
    return worst
}

