import Datasets
import Foundation
import LinearAlgebra

/// A planned sweep as Slurm job arrays (`genlab sweep slurm`): one array task per shard, at
/// most `parallelism` at a time, each task's stdout and stderr in DIR/slurm/<array job>_<task>
/// files. Near its time limit a task gets SIGUSR1 (`--signal=B:USR1@grace`): it stops its
/// shard and requeues its own array element only, which resumes from the finished points.
/// More shards than the cluster's MaxArraySize are split into several arrays, each offset.
public struct SlurmArray: Sendable, Equatable {
    public var shards: Int
    public var parallelism: Int
    public var minutes: Int
    public var cpusPerTask: Int
    public var partition: String?
    public var memory: String?
    /// Seconds before the time limit at which a task requeues itself.
    public var grace: Int
    /// The cluster's MaxArraySize (array indices run 0 … max − 1).
    public var maxArraySize: Int

    public init(
        shards: Int, parallelism: Int = 8, minutes: Int = 60, cpusPerTask: Int = 1, partition: String? = nil,
        memory: String? = nil,
        grace: Int = 60, maxArraySize: Int = 1001
    ) {
        self.shards = shards
        self.parallelism = parallelism
        self.minutes = minutes
        self.cpusPerTask = cpusPerTask
        self.partition = partition
        self.memory = memory
        self.grace = grace
        self.maxArraySize = maxArraySize
    }

    public func validate() throws {
        for (name, value) in [
            ("shards", shards), ("parallelism", parallelism), ("minutes", minutes), ("cpusPerTask", cpusPerTask),
            ("maxArraySize", maxArraySize),
        ] where value < 1 {
            throw GenLabError.parameter(name: name, problem: "must be ≥ 1, got \(value)")
        }
        guard grace >= 0 else { throw GenLabError.parameter(name: "grace", problem: "must be ≥ 0, got \(grace)") }
        if let p = partition, p.isEmpty || p.contains(where: { $0.isWhitespace }) {
            throw GenLabError.parameter(name: "partition", problem: "must be one word, got \"\(p)\"")
        }
    }

    /// The arrays: (offset of the first shard, number of tasks).
    public var arrays: [(offset: Int, tasks: Int)] {
        stride(from: 0, to: shards, by: maxArraySize).map { ($0, min(maxArraySize, shards - $0)) }
    }

    /// The batch script of the array starting at shard `offset`.
    public func script(dir: String, genlab: String, experiment: String, offset: Int, tasks: Int) -> String {
        var lines = [
            "#!/bin/bash",
            "#SBATCH --job-name=genlab-\(experiment)",
            "#SBATCH --array=0-\(tasks - 1)%\(parallelism)",
            "#SBATCH --output=\(dir)/slurm/%A_%a.out",
            "#SBATCH --error=\(dir)/slurm/%A_%a.err",
            "#SBATCH --open-mode=append",
            "#SBATCH --time=\(minutes)",
            "#SBATCH --cpus-per-task=\(cpusPerTask)",
            "#SBATCH --signal=B:USR1@\(grace)",
            "#SBATCH --requeue",
        ]
        if let p = partition { lines.append("#SBATCH --partition=\(p)") }
        if let m = memory { lines.append("#SBATCH --mem=\(m)") }
        lines += [
            "",
            "# Written by genlab sweep slurm: shards \(offset) … "
                + "\(offset + tasks - 1) of \(shards) of the sweep in \(dir).",
            "# Rerunning it computes only the points that are not finished.",
            "set -u",
            "shard=$((SLURM_ARRAY_TASK_ID + \(offset)))",
            "requeue() {",
            "  echo \"genlab: time limit near; requeueing "
                + "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} (shard $shard)\" >&2",
            "  kill -TERM \"$child\" 2>/dev/null; wait \"$child\" 2>/dev/null",
            "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"",
            "  exit 0",
            "}",
            "trap requeue USR1",
            "\(shellQuoted([genlab, "sweep", "run", dir])) --shard \"$shard/\(shards)\" --quiet &",
            "child=$!",
            "wait \"$child\"",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// Writes DIR/sweep.sbatch (or sweep-K.sbatch, one per array, when the shards exceed the
    /// MaxArraySize); returns the files.
    public func write(dir: String, genlab: String, experiment: String) throws -> [String] {
        try validate()
        try FileManager.default.createDirectory(atPath: dir + "/slurm", withIntermediateDirectories: true)
        let all = arrays
        return try all.enumerated().map { k, a in
            let file = dir + (all.count == 1 ? "/sweep.sbatch" : "/sweep-\(k).sbatch")
            try AtomicFile.write(
                script(dir: dir, genlab: genlab, experiment: experiment, offset: a.offset, tasks: a.tasks), to: file)
            return file
        }
    }

    /// Submits each file with sbatch; returns the job ids. No sbatch on PATH is a clear error.
    public static func submit(_ files: [String]) throws -> [String] {
        guard which("sbatch") != nil else {
            throw GenLabError.run(
                "sbatch is not on PATH: this machine has no Slurm client. Install it (Debian/Ubuntu: apt-get install "
                    + "slurm-client) on a machine of the cluster, "
                    + "or run the shards yourself with genlab sweep run DIR --shard I/N")
        }
        return try files.map { f in
            guard let out = try capture("sbatch", ["--parsable", f]) else {
                throw GenLabError.run("sbatch vanished from PATH")
            }
            return String(out.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The cluster's MaxArraySize from `scontrol show config`, or nil when it cannot be asked.
    public static func clusterMaxArraySize() -> Int? {
        guard let text = try? capture("scontrol", ["show", "config"]) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            return line.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }
}

/// A command line as a shell reads it: arguments with spaces or shell characters single-quoted.
public func shellQuoted(_ args: [String]) -> String {
    args.map { a in
        a.isEmpty || a.contains(where: { " '\"$&;|<>()*?\\`!#~{}[]".contains($0) })
            ? "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'" : a
    }.joined(separator: " ")
}
