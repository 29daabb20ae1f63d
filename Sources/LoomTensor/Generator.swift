import RealModule
import Synchronization

/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Loom's random streams are deterministic for a seed on every machine, but they are not
/// PyTorch's streams: the same seed gives different numbers than `torch.manual_seed`. Parity with
/// PyTorch is established by loading the same weights, never by sharing seeds.
public struct Generator: Sendable, RandomNumberGenerator, Codable, Equatable {
    public private(set) var state: [UInt64]

    public init(seed: UInt64) {
        var s = seed
        var st = [UInt64](repeating: 0, count: 4)
        for i in 0..<4 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            st[i] = z ^ (z >> 31)
        }
        state = st
    }

    /// Restores a generator from a saved ``state`` (checkpoints).
    public init(state: [UInt64]) {
        precondition(state.count == 4, "Generator(state:) expects 4 words, got \(state.count)")
        self.state = state
    }

    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }
    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal sample (Box–Muller).
    public mutating func nextNormal() -> Double {
        var u1 = nextDouble()
        while u1 <= .leastNormalMagnitude { u1 = nextDouble() }
        let u2 = nextDouble()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * .pi * u2)
    }

    /// Uniform integer in `0..<upperBound`.
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextInt(below:) needs a positive bound, got \(upperBound)")
        return Int(next(upperBound: UInt64(upperBound)))
    }

    /// A random permutation of `0..<n` (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                p.swapAt(i, nextInt(below: i + 1))
            }
        }
        return p
    }
}

/// The default generator used when no generator is passed: the process-wide one, or — inside
/// ``withSeed(_:_:)`` — one private to the current task/thread.
public enum DefaultGenerator {
    static let shared = Mutex(Generator(seed: 0))

    /// A generator bound to one task by ``withSeed(_:_:)`` (only that task touches it).
    final class Scoped: @unchecked Sendable {
        var generator: Generator
        init(_ generator: Generator) { self.generator = generator }
    }

    @TaskLocal static var scoped: Scoped?

    /// Runs `body` with exclusive access to the default generator.
    public static func withGenerator<R>(_ body: (inout Generator) -> R) -> R {
        if let box = scoped { return body(&box.generator) }
        return shared.withLock { body(&$0) }
    }

    /// The default generator's state (for checkpoints).
    public static var state: [UInt64] {
        get { withGenerator { $0.state } }
        set { withGenerator { $0 = Generator(state: newValue) } }
    }
}

/// Seeds the default generator (PyTorch's `torch.manual_seed`): the process-wide one, or the
/// scoped one inside ``withSeed(_:_:)``.
public func manualSeed(_ seed: UInt64) {
    DefaultGenerator.withGenerator { $0 = Generator(seed: seed) }
}

/// Runs `body` with a default generator of its own, seeded with `seed` and seen only by the
/// current task/thread: draws inside (initializations, `Tensor.randn`, dropout masks) are
/// deterministic even while other threads use the process-wide generator.
@discardableResult
public func withSeed<R>(_ seed: UInt64, _ body: () throws -> R) rethrows -> R {
    try DefaultGenerator.$scoped.withValue(DefaultGenerator.Scoped(Generator(seed: seed)), operation: body)
}
