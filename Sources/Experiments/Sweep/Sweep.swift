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
    /// Whether points are computed, planned, computed by shard or collected (`genlab sweep`).
    public var control: SweepControl

    public init(
        points: [Point], context: String, checkpoint: String?, control: SweepControl = SweepControl(),
        key: @escaping @Sendable (Point) -> String
    ) {
        self.points = points
        self.context = context
        self.checkpoint = checkpoint
        self.control = control
        self.key = key
    }

    /// The sweep of `experiment`'s points in a run: checkpoints and mode from `run`, and a context
    /// derived, not written: the experiment's name, `recipe` (what the code fixes: activation,
    /// initialization, batch), the data's fingerprint, and every setting of the configuration
    /// except the fields that lay out the grid (`PointwiseExperiment.perPointFields`), which each
    /// point's key names instead. A field added later is in every address without a word.
    public init<E: PointwiseExperiment>(
        points: [Point], of experiment: E, recipe: String, data: String, in run: RunContext,
        key: @escaping @Sendable (Point) -> String
    ) throws {
        self.init(
            points: points, context: try Self.context(of: experiment, recipe: recipe, data: data),
            checkpoint: run.checkpoint,
            control: run.sweep, key: key)
    }

    /// The derived context of `init(points:of:recipe:data:in:key:)`.
    static func context<E: PointwiseExperiment>(of experiment: E, recipe: String, data: String) throws -> String {
        var settings = try experiment.configuration()
        for field in E.perPointFields { settings[field] = nil }
        return "\(experiment.name) \(recipe) data=\(data) settings=\(Parameter.text(.object(settings)))"
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

    func address(_ p: Point, blasThreads: Int) -> String {
        ContentHash.of(genlabVersion, context, key(p), "blas-threads=\(blasThreads)")
    }

    func path(_ p: Point, blasThreads: Int) -> String? {
        guard let dir = checkpoint else { return nil }
        let readable = PointLog.readable(key(p))
        return dir + "/" + readable + "-" + address(p, blasThreads: blasThreads).prefix(16) + ".json"
    }

    /// Why a stored point cannot be used, or its outcome.
    func load(_ p: Point, from file: String, blasThreads: Int) -> Result<Outcome, StoredPointProblem>? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return stored(data, for: p, file: file, blasThreads: blasThreads)
    }

    /// The outcome a point file's bytes hold for point `p`, or why they cannot be used (any bytes:
    /// the sweep-point fuzz target feeds it arbitrary ones).
    public func stored(_ data: Data, for p: Point, file: String, blasThreads: Int) -> Result<
        Outcome, StoredPointProblem
    > {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: data) else {
            return .failure(.init(file: file, reason: "unreadable"))
        }
        guard stored.version == genlabVersion, stored.context == context, stored.key == key(p),
            stored.blasThreads == blasThreads
        else {
            return .failure(.init(file: file, reason: "written for other settings"))
        }
        // NaN and infinities are written as strings (ResultFolder.encodeJSON); read them back as numbers.
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard ContentHash.of(stored.outcome) == stored.checksum,
            let o = try? decoder.decode(Outcome.self, from: Data(stored.outcome.utf8))
        else {
            return .failure(.init(file: file, reason: "checksum mismatch"))
        }
        return .success(o)
    }

    /// Results in the order of `points`. `progress(done, total)` after each point, and
    /// `finished(index, outcome)` with its place in `points` (computed or read back). In a sharded
    /// sweep (`control.mode` other than `.local`) it plans, computes one shard or
    /// collects instead, and stops with `SweepStop` where a plain run would return.
    public func run(
        workers: Int = ProcessInfo.activeCores, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
        finished: @escaping @Sendable (Int, Outcome) -> Void = { _, _ in },
        _ body: @escaping @Sendable (Point) -> Outcome
    ) throws -> SweepRun<Outcome> {
        let mode = control.mode
        // A run killed while writing a point left its temporary file: gone before anything else.
        if let dir = checkpoint { AtomicFile.removeStale(in: dir) }
        // The thread count the points run with (parallelMap's rule: one BLAS thread per point
        // when they run side by side; a sharded sweep always runs them on one, so that every
        // task, whatever its cores, computes and names its points alike).
        let threads = mode != .local ? 1 : (workers > 1 && points.count > 1 ? 1 : BLAS.threads)
        switch mode {
        case .local:
            return compute(
                Array(points.indices), workers: workers, threads: threads, progress: progress, finished: finished, body)
        case .plan:
            control.record(
                points.map {
                    PlannedPoint(
                        key: key($0),
                        file: path($0, blasThreads: threads).map { ($0 as NSString).lastPathComponent } ?? "")
                })
            throw SweepStop.planned
        case .shard(let index, let count):
            let mine = points.indices.filter { $0 % count == index }
            let before = BLAS.threads
            BLAS.setThreads(1)
            defer { BLAS.setThreads(before) }
            let run = compute(mine, workers: workers, threads: threads, progress: progress, finished: finished, body)
            throw SweepStop.shardFinished(computed: run.computed, reused: run.reused)
        case .collect:
            var outcomes = [Outcome]()
            var missing = [String]()
            var finished = [(key: String, outcome: String)]()
            for p in points {
                if let file = path(p, blasThreads: threads),
                    case .success(let o)? = load(p, from: file, blasThreads: threads)
                {
                    outcomes.append(o)
                    finished.append((key(p), (try? ResultFolder.encodeJSON(o)) ?? ""))
                } else {
                    missing.append(key(p))
                }
            }
            guard missing.isEmpty else {
                throw SweepStop.missing(keys: missing, total: points.count, finished: finished)
            }
            return SweepRun(outcomes: outcomes, reused: outcomes.count, problems: [])
        }
    }

    /// Computes (or reads back) the points at `indices`, in parallel.
    func compute(
        _ indices: [Int], workers: Int, threads: Int, progress: @escaping @Sendable (Int, Int) -> Void,
        finished: @escaping @Sendable (Int, Outcome) -> Void = { _, _ in },
        _ body: @escaping @Sendable (Point) -> Outcome
    ) -> SweepRun<Outcome> {
        let counter = Counter()
        let total = indices.count
        let logs = control.logs
        let done: [(Outcome, Bool, StoredPointProblem?)] = parallelMap(indices.count, workers: workers) { j in
            let p = points[indices[j]]
            var problem: StoredPointProblem?
            if let file = path(p, blasThreads: threads), let stored = load(p, from: file, blasThreads: threads) {
                switch stored {
                case .success(let o):
                    finished(indices[j], o)
                    progress(counter.increment(), total)
                    return (o, true, nil)
                case .failure(let e): problem = e
                }
            }
            let started = Timing.now()
            if let logs {
                PointLog.started(folder: logs, key: key(p))
                // Interruption tests (scripts/slurm-test.sh) need points that last: a sharded
                // point may be held this many seconds first.
                if let d = ProcessInfo.processInfo.environment["GENLAB_SWEEP_POINT_DELAY"].flatMap(Double.init), d > 0 {
                    usleep(UInt32(min(d, 600) * 1e6))
                }
            }
            let outcome = body(p)
            if let file = path(p, blasThreads: threads), let text = try? ResultFolder.encodeJSON(outcome) {
                let stored = Stored(
                    version: genlabVersion, context: context, blasThreads: threads, key: key(p),
                    checksum: ContentHash.of(text), outcome: text)
                if let envelope = try? ResultFolder.encodeJSON(stored) { try? AtomicFile.write(envelope, to: file) }
            }
            if let logs { PointLog.finished(folder: logs, key: key(p), seconds: Timing.now() - started) }
            finished(indices[j], outcome)
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
        if reused > 0 {
            parts.append("\(reused) of \(outcomes.count) points reused from finished checkpoints, \(computed) computed")
        }
        if !problems.isEmpty {
            parts.append(
                "\(problems.count) stored point\(problems.count == 1 ? "" : "s") recomputed ("
                    + problems.prefix(3).map { "\(($0.file as NSString).lastPathComponent): \($0.reason)" }.joined(
                        separator: "; ") + ")")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ") + "."
    }
}

/// A thread-safe counter for progress reports.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
