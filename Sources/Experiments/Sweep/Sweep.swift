import Datasets
import Foundation
import LinearAlgebra

/// A grid of independent runs. Each point has a content address (its key: everything that
/// determines its result); with a checkpoint folder, each finished point is written there as
/// it completes, and a rerun skips the points already there — a killed sweep resumes where it
/// stopped and gives the same final results. Points run in parallel, one per core.
public struct Sweep<Point: Sendable, Outcome: Codable & Sendable>: Sendable {
    public var points: [Point]
    public var key: @Sendable (Point) -> String
    /// Folder for per-point results (nil: no checkpointing).
    public var checkpoint: String?

    public init(points: [Point], checkpoint: String?, key: @escaping @Sendable (Point) -> String) {
        self.points = points; self.checkpoint = checkpoint; self.key = key
    }

    func path(_ p: Point) -> String? {
        guard let dir = checkpoint else { return nil }
        // The version is part of the address: a new GenLab recomputes instead of reusing old points.
        let safe = (key(p) + "-v" + genlabVersion).map { $0.isLetter || $0.isNumber || "-_.=".contains($0) ? String($0) : "_" }.joined()
        return dir + "/" + safe + ".json"
    }

    /// Results in the order of `points`. `progress(done, total)` after each point.
    public func run(workers: Int = ProcessInfo.activeCores, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                    _ body: @escaping @Sendable (Point) -> Outcome) -> [Outcome] {
        let counter = Counter()
        let total = points.count
        return parallelMap(points.count, workers: workers) { i in
            let p = points[i]
            if let file = path(p), let data = FileManager.default.contents(atPath: file),
               let saved = try? JSONDecoder().decode(Outcome.self, from: data) {
                progress(counter.increment(), total)
                return saved
            }
            let outcome = body(p)
            if let file = path(p), let text = try? ResultFolder.encodeJSON(outcome) {
                try? AtomicFile.write(text, to: file)
            }
            progress(counter.increment(), total)
            return outcome
        }
    }
}

/// A thread-safe counter for progress reports.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
