import Datasets
import Foundation
import LinearAlgebra

/// How `Sweep.run` treats its points when a sweep is cut into tasks (`genlab sweep`): an
/// experiment runs unchanged, and its sweep plans, computes one shard, or only collects.
public enum SweepMode: Sendable, Equatable {
    /// Compute what is missing, then return every outcome (a plain run).
    case local
    /// Record the points (key and checkpoint file) and compute nothing.
    case plan
    /// Compute the points of shard `index` of `count` (point i belongs to shard i mod count)
    /// that are not finished yet, then stop.
    case shard(index: Int, count: Int)
    /// Compute nothing: every point must be finished.
    case collect
}

/// Why a sweep stopped before returning outcomes (in the modes other than `.local`).
public enum SweepStop: Error, Sendable {
    /// `.plan`: the points were recorded.
    case planned
    /// `.shard`: the shard's points are finished (computed now, or found finished).
    case shardFinished(computed: Int, reused: Int)
    /// `.collect`: these points are not finished (their keys), out of `total`.
    case missing(keys: [String], total: Int, finished: [(key: String, outcome: String)])
}

/// One point of a planned sweep: its readable key and its checkpoint file.
public struct PlannedPoint: Codable, Sendable, Equatable {
    public var key: String
    public var file: String
}

/// The mode a run's sweeps follow, the points a plan recorded, and the folder of per-point
/// logs. Each run carries its own (`RunContext.sweep`): `genlab sweep` gives the experiment a
/// control in another mode, every other run a plain one, so two runs in one process (the
/// server's, the suite's) never see each other's mode.
public final class SweepControl: @unchecked Sendable {
    private let lock = NSLock()
    private let _mode: SweepMode
    private var _recorded = [PlannedPoint]()
    let logs: String?

    /// A control in `mode`, per-point logs in `logs` (a sharded sweep's).
    public init(_ mode: SweepMode = .local, logs: String? = nil) {
        _mode = mode
        self.logs = logs
    }

    public var mode: SweepMode { _mode }
    public var recorded: [PlannedPoint] {
        lock.lock()
        defer { lock.unlock() }
        return _recorded
    }

    func record(_ points: [PlannedPoint]) {
        lock.lock()
        defer { lock.unlock() }
        _recorded.append(contentsOf: points)
    }
}

/// A point's own log in a sharded sweep: when and where it started, and when it finished. A
/// log that started and never finished belongs to a point still running, or to one whose task
/// died (killed, requeued, crashed).
public enum PointLog {
    public static func file(folder: String, key: String) -> String { folder + "/" + readable(key) + ".log" }

    /// The key as a file name.
    static func readable(_ key: String) -> String {
        String(key.map { $0.isLetter || $0.isNumber || "-_.=".contains($0) ? $0 : "_" }.prefix(80))
    }

    static func append(_ line: String, folder: String, key: String) {
        let path = file(folder: folder, key: key)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stamp = ISO8601DateFormatter().string(from: Date())
        let text = stamp + " " + line + "\n"
        if let h = FileHandle(forWritingAtPath: path) {
            h.seekToEndOfFile()
            h.write(Data(text.utf8))
            try? h.close()
        } else {
            // In place: `createFile` would write a ".dat.nosync…" temporary first (see AtomicFile).
            try? Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    static func started(folder: String, key: String) {
        let env = ProcessInfo.processInfo.environment
        let task = env["SLURM_ARRAY_JOB_ID"].map { "slurm=\($0)_\(env["SLURM_ARRAY_TASK_ID"] ?? "?")" } ?? "slurm=none"
        append(
            "started host=\(ProcessInfo.processInfo.hostName) pid=\(ProcessInfo.processInfo.processIdentifier) \(task)",
            folder: folder, key: key)
    }

    static func finished(folder: String, key: String, seconds: Double) {
        append(String(format: "finished in %.2f s", seconds), folder: folder, key: key)
    }
}
