import Foundation
import Synchronization

/// Runs independent jobs on up to `threads` threads and returns their results in job order, so
/// the outcome does not depend on which thread ran which job (each job must be deterministic on
/// its own, e.g. seeded with ``withSeed(_:_:)`` inside).
enum ParallelJobs {
    static func map<T: Sendable>(_ count: Int, threads: Int, _ job: @Sendable (Int) throws -> T) throws -> [T] {
        guard count > 0 else { return [] }
        let width = max(1, min(threads, count))
        if width == 1 { return try (0..<count).map(job) }
        let next = Atomic<Int>(0)
        let results = Mutex<[Int: Result<T, Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: width) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= count { return }
                let outcome = Result { try job(i) }
                results.withLock { $0[i] = outcome }
            }
        }
        return try results.withLock { all in try (0..<count).map { try all[$0]!.get() } }
    }
}
