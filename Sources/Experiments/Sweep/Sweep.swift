import Datasets
import Foundation
import LinearAlgebra

/// A grid of independent runs with content-addressed checkpoints.
///
/// A point's address is a hash of everything its result depends on: the sweep's `context`
/// (the settings shared by all points and the data's fingerprint), the point's own `key`, and
/// the GenLab version. With a checkpoint folder each finished point is written there as it
/// completes, with its full key and a checksum of its outcome; a rerun reuses a stored point only
/// if both match, so a killed sweep resumes where it stopped, and a rerun on other data or other
/// settings into the same folder recomputes instead of returning old numbers. Points run in
/// parallel, one per core.
public struct Sweep<Point: Sendable, Outcome: Codable & Sendable>: Sendable {
    public var points: [Point]
    /// Everything shared by every point that the outcomes depend on (settings, data fingerprint).
    public var context: String
    /// What distinguishes a point, readable (it also names the file).
    public var key: @Sendable (Point) -> String
    /// Folder for per-point results (nil: no checkpointing).
    public var checkpoint: String?

    public init(points: [Point], context: String, checkpoint: String?, key: @escaping @Sendable (Point) -> String) {
        self.points = points; self.context = context; self.checkpoint = checkpoint; self.key = key
    }

    /// A stored point: its full address in words, and its outcome as JSON text with a checksum of that text.
    struct Stored: Codable {
        var version: String
        var context: String
        /// BLAS threads the point ran with: a network's step runs halved on several threads, one
        /// pass on one (`Network.splitsBatch`), and the two round differently.
        var blasThreads: Int
        var key: String
        var checksum: String
        var outcome: String
    }

    func address(_ p: Point, blasThreads: Int) -> String { ContentHash.of(genlabVersion, context, key(p), "blas-threads=\(blasThreads)") }

    func path(_ p: Point, blasThreads: Int) -> String? {
        guard let dir = checkpoint else { return nil }
        let readable = String(key(p).map { $0.isLetter || $0.isNumber || "-_.=".contains($0) ? $0 : "_" }.prefix(80))
        return dir + "/" + readable + "-" + address(p, blasThreads: blasThreads).prefix(16) + ".json"
    }

    /// Why a stored point cannot be used, or its outcome.
    func load(_ p: Point, from file: String, blasThreads: Int) -> Result<Outcome, StoredPointProblem>? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: data) else { return .failure(.init(file: file, reason: "unreadable")) }
        guard stored.version == genlabVersion, stored.context == context, stored.key == key(p), stored.blasThreads == blasThreads else {
            return .failure(.init(file: file, reason: "written for other settings"))
        }
        // NaN and infinities are written as strings (ResultFolder.encodeJSON); read them back as numbers.
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard ContentHash.of(stored.outcome) == stored.checksum, let o = try? decoder.decode(Outcome.self, from: Data(stored.outcome.utf8)) else {
            return .failure(.init(file: file, reason: "checksum mismatch"))
        }
        return .success(o)
    }

    /// Results in the order of `points`. `progress(done, total)` after each point.
    public func run(workers: Int = ProcessInfo.activeCores, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                    _ body: @escaping @Sendable (Point) -> Outcome) -> SweepRun<Outcome> {
        let counter = Counter()
        let total = points.count
        // The thread count the points run with (parallelMap's rule: one BLAS thread per point when they run side by side).
        let threads = workers > 1 && points.count > 1 ? 1 : BLAS.threads
        let done: [(Outcome, Bool, StoredPointProblem?)] = parallelMap(points.count, workers: workers) { i in
            let p = points[i]
            var problem: StoredPointProblem?
            if let file = path(p, blasThreads: threads), let stored = load(p, from: file, blasThreads: threads) {
                switch stored {
                case .success(let o): progress(counter.increment(), total); return (o, true, nil)
                case .failure(let e): problem = e
                }
            }
            let outcome = body(p)
            if let file = path(p, blasThreads: threads), let text = try? ResultFolder.encodeJSON(outcome) {
                let stored = Stored(version: genlabVersion, context: context, blasThreads: threads, key: key(p), checksum: ContentHash.of(text), outcome: text)
                if let envelope = try? ResultFolder.encodeJSON(stored) { try? AtomicFile.write(envelope, to: file) }
            }
            progress(counter.increment(), total)
            return (outcome, false, problem)
        }
        return SweepRun(outcomes: done.map(\.0), reused: done.filter(\.1).count, problems: done.compactMap(\.2))
    }
}

/// A stored point that was not used, and why.
public struct StoredPointProblem: Error, Sendable, Equatable {
    public var file: String
    public var reason: String
}

/// A sweep's outcomes and what it did with its checkpoints.
public struct SweepRun<Outcome: Sendable>: Sendable {
    public var outcomes: [Outcome]
    /// Points read back from the checkpoint folder instead of computed.
    public var reused: Int
    /// Stored points that were recomputed (corrupt, or written for other settings under the same address).
    public var problems: [StoredPointProblem]
    /// Points computed by this run.
    public var computed: Int { outcomes.count - reused }

    /// A line for the result's notes when checkpoints were used or discarded (nil otherwise).
    public var note: String? {
        var parts = [String]()
        if reused > 0 { parts.append("\(reused) of \(outcomes.count) points reused from finished checkpoints, \(computed) computed") }
        if !problems.isEmpty {
            parts.append("\(problems.count) stored point\(problems.count == 1 ? "" : "s") recomputed (" +
                         problems.prefix(3).map { "\(($0.file as NSString).lastPathComponent): \($0.reason)" }.joined(separator: "; ") + ")")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ") + "."
    }
}

/// A thread-safe counter for progress reports.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
