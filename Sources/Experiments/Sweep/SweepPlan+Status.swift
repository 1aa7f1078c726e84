import Datasets
import Foundation
import LinearAlgebra

/// Where each point of a planned sweep stands (`genlab sweep status`).
public struct PointStatus: Sendable, Equatable {
    /// Finished, running, missing (never started) or failed (started, and its process is gone).
    public enum State: String, Sendable { case finished, running, missing, failed }
    public var key: String
    public var state: State
    /// The shard that owns the point, for a given shard count.
    public var shard: Int?
    /// The last lines of the point's log (for failed points).
    public var logTail: [String]
}

extension SweepPlan {
    /// Each point's state: finished (its checkpoint is there), running (its log says started,
    /// and the process or Slurm task that started it is alive), failed (started, and that
    /// process or task is gone), missing (never started).
    public func status(dir: String, shards: Int? = nil) -> [PointStatus] {
        points.enumerated().map { (i: Int, p: PlannedPoint) -> PointStatus in
            let shard: Int? = shards.map { self.shard(of: i, count: $0) }
            if let attributes = try? FileManager.default.attributesOfItem(
                atPath: Self.pointsFolder(dir) + "/" + p.file),
                (attributes[.size] as? Int ?? 0) > 0
            {
                return PointStatus(key: p.key, state: .finished, shard: shard, logTail: [])
            }
            guard
                let text = try? String(
                    contentsOfFile: PointLog.file(folder: Self.logsFolder(dir), key: p.key), encoding: .utf8)
            else {
                return PointStatus(key: p.key, state: .missing, shard: shard, logTail: [])
            }
            let lines = text.split(separator: "\n").map(String.init)
            let tail = Array(lines.suffix(5))
            guard let last = lines.last, last.contains(" started ") else {
                return PointStatus(key: p.key, state: .failed, shard: shard, logTail: tail)
            }
            return PointStatus(key: p.key, state: Self.alive(last) ? .running : .failed, shard: shard, logTail: tail)
        }
    }

    /// Whether the process a "started" log line names is still at work: its Slurm task is
    /// running (asked of squeue), or, outside Slurm, its pid is alive on this host.
    static func alive(_ started: String) -> Bool {
        func field(_ name: String) -> String? {
            started.split(separator: " ").first { $0.hasPrefix(name + "=") }.map {
                String($0.dropFirst(name.count + 1))
            }
        }
        if let task = field("slurm"), task != "none" {
            guard let state = try? capture("squeue", ["-h", "-j", task, "-o", "%T"]) else { return false }
            return state.contains("RUNNING") || state.contains("COMPLETING")
        }
        guard field("host") == ProcessInfo.processInfo.hostName, let pid = field("pid").flatMap({ Int32($0) }) else {
            return false
        }
        return kill(pid, 0) == 0
    }
}

/// Runs a program found on PATH and returns its standard output; nil when it is not on PATH.
public func capture(_ program: String, _ arguments: [String]) throws -> String? {
    guard let path = which(program) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(
        in: .whitespacesAndNewlines)
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        throw GenLabError.run(
            "\(program) \(arguments.joined(separator: " ")) failed (exit \(p.terminationStatus))"
                + (message.isEmpty ? "" : ": " + message))
    }
    return String(decoding: data, as: UTF8.self)
}

/// The full path of a program on PATH, or nil.
public func which(_ program: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(program)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

extension SweepPlan {
    /// Where the points stand, for a reader: the counts by state, then every unfinished point
    /// (with its shard for `shards`), and the last lines of a failed one's log.
    public func statusLines(dir: String, shards: Int? = nil) -> [String] {
        let status = status(dir: dir, shards: shards)
        let counts = Dictionary(grouping: status, by: \.state).mapValues(\.count)
        let order: [PointStatus.State] = [.finished, .running, .missing, .failed]
        var lines = [
            "\(experiment) in \(dir): \(status.count) points — "
                + order.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        ]
        for s in status where s.state != .finished {
            lines.append(
                "  \(s.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(s.key)"
                    + (s.shard.map { "  (shard \($0))" } ?? ""))
            if s.state == .failed { lines += s.logTail.map { "      " + $0 } }
        }
        return lines
    }

    /// Plans `experiment` into `dir`, refusing a folder that holds a plan of another experiment
    /// or other settings (its points would not be this one's).
    public static func make(folder: String, experiment: any Experiment, into dir: String, dataDirectory: String?) throws
        -> SweepPlan
    {
        if FileManager.default.fileExists(atPath: dir + "/experiment.json"), let old = try? load(dir),
            old.experiment != experiment.name || (try? experiment.configuration()) != old.configuration
        {
            throw GenLabError.usage(
                "\(dir) holds a sweep of another experiment or other settings; plan into a new folder")
        }
        return try make(folder: folder, experiment: experiment, dir: dir, dataDirectory: dataDirectory)
    }

    /// "I/N" → (I, N): shard I of N, 0 ≤ I < N.
    public static func parseShard(_ s: String) throws -> (Int, Int) {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
            throw GenLabError.parameter(name: "shard", problem: "takes I/N with 0 ≤ I < N, e.g. 0/4; got \"\(s)\"")
        }
        return (i, n)
    }
}

extension SlurmArray {
    /// Submits `files` with sbatch and appends the job ids to DIR/jobs.txt; returns them.
    public static func submit(_ files: [String], logIn dir: String) throws -> [String] {
        let jobs = try submit(files)
        let path = dir + "/jobs.txt"
        let previous = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try AtomicFile.write(previous + jobs.map { "\($0)\n" }.joined(), to: path)
        return jobs
    }
}
