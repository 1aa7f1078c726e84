import Dispatch
import Foundation
import LinearAlgebra

/// Runs `body(i)` for i in 0..<count on all cores and returns the results in index order.
/// Each point must be independent (its own random stream): the output does not depend on
/// scheduling, so a parallel run equals a serial one. BLAS is set to one thread meanwhile, then back.
public func parallelMap<T: Sendable>(_ count: Int, workers: Int = ProcessInfo.activeCores, _ body: @Sendable (Int) -> T)
    -> [T]
{
    if count == 0 { return [] }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    nonisolated(unsafe) let out = results
    if workers <= 1 || count == 1 {
        for i in 0..<count { out[i] = body(i) }
    } else {
        // Restores the count it found, so that --threads holds through a sweep.
        let before = BLAS.threads
        BLAS.setThreads(1)
        DispatchQueue.concurrentPerform(iterations: count) { i in out[i] = body(i) }
        BLAS.setThreads(before)
    }
    return results.map { $0! }
}

extension ProcessInfo {
    /// Cores available to this process.
    public static var activeCores: Int { ProcessInfo.processInfo.activeProcessorCount }
}
