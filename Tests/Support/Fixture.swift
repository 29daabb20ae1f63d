import Foundation
import LoomTensor
import Testing

/// Loads the JSON fixtures written by `scripts/make_fixtures.py` (PyTorch) for parity tests.
public struct Fixture {
    /// Every tensor as stored (Float64 values) with its shape.
    public let entries: [String: (shape: [Int], data: [Double])]
    public let meta: [String: Any]

    /// Every tensor in Float32.
    public var tensors: [String: Tensor] { entries.mapValues { Tensor(shape: $0.shape, scalars: $0.data.map { Float($0) }) } }

    /// Reads `name` from a test bundle's `Fixtures` folder.
    public init(_ name: String, bundle: Bundle) throws {
        guard let url = bundle.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
            ?? bundle.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            throw FixtureError.missing(name)
        }
        try self.init(url: url)
    }

    public init(url: URL) throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let doc = object as? [String: Any], let raw = doc["tensors"] as? [String: Any] else {
            throw FixtureError.malformed(url.lastPathComponent)
        }
        var out: [String: (shape: [Int], data: [Double])] = [:]
        for (key, value) in raw {
            guard let e = value as? [String: Any], let shape = e["shape"] as? [Int],
                  let data = e["data"] as? [Double] else { throw FixtureError.malformed("\(url.lastPathComponent): \(key)") }
            out[key] = (shape, data)
        }
        entries = out
        meta = doc["meta"] as? [String: Any] ?? [:]
    }

    /// The tensor named `key`, in Float32 (or Float64 with `.double()`).
    public subscript(_ key: String) -> Tensor {
        let e = entry(key)
        return Tensor(shape: e.shape, scalars: e.data.map { Float($0) })
    }

    /// The tensor named `key` in Float64 (exact fixture values).
    public func double(_ key: String) -> Tensor {
        let e = entry(key)
        return Tensor(shape: e.shape, scalars: e.data)
    }

    /// True when the fixture holds `key`.
    public func has(_ key: String) -> Bool { entries[key] != nil }

    private func entry(_ key: String) -> (shape: [Int], data: [Double]) {
        guard let e = entries[key] else { fatalError("fixture has no tensor '\(key)'; has \(entries.keys.sorted())") }
        return e
    }

    public enum FixtureError: Error, CustomStringConvertible {
        case missing(String), malformed(String)
        public var description: String {
            switch self {
            case .missing(let n): return "fixture \(n) not found; run scripts/make_fixtures.py"
            case .malformed(let n): return "fixture \(n) is malformed"
            }
        }
    }
}

/// Element-by-element comparison |a − b| ≤ atol + rtol·|b| (b is the reference), reporting the
/// first mismatches with their index. Returns the largest absolute difference seen.
@discardableResult
public func expectClose(_ actual: Tensor?, _ expected: Tensor, atol: Double = 1e-5, rtol: Double = 1e-4,
                        _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    guard let actual else {
        Issue.record("\(what): missing (nil), expected shape \(expected.shape)", sourceLocation: sourceLocation)
        return .infinity
    }
    guard actual.shape == expected.shape else {
        Issue.record("\(what): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return .infinity
    }
    let a = actual.doubleScalars, b = expected.doubleScalars
    var worst = 0.0, failures = 0
    for i in 0..<a.count {
        let diff = abs(a[i] - b[i])
        worst = max(worst, diff)
        if !(diff <= atol + rtol * abs(b[i])) {
            failures += 1
            if failures <= 3 {
                Issue.record("\(what)[\(i)]: \(a[i]) vs PyTorch \(b[i]) (|diff| \(diff))", sourceLocation: sourceLocation)
            }
        }
    }
    return worst
}
