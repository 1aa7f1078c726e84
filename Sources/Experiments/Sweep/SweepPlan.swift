import Datasets
import Foundation
import Learners
import LinearAlgebra

/// An experiment whose work is one `Sweep` of independent points: `genlab sweep` cuts it into
/// shards point by point. Any other experiment is planned as a single point, the whole run.
public protocol PointwiseExperiment: Experiment {
    /// The configuration keys that lay out the grid of points (the widths, the seeds: each
    /// point's key names its place in them) or that only the analysis reads. Every other setting
    /// is in every point's address (`Sweep.init(points:of:recipe:data:in:key:)`), so a field
    /// added later can never be left out of it: at worst a point is computed again.
    static var perPointFields: Set<String> { get }
}

/// A sweep planned on disk (`genlab sweep plan`): DIR/experiment.json holds the experiment value
/// and the GenLab version that planned it, DIR/points.json the points' keys and checkpoint
/// files; finished points go to DIR/points, per-point logs to DIR/logs. Shards, Slurm tasks and
/// the collection all read the experiment back from the folder, so they compute and name the
/// points alike.
public struct SweepPlan: Codable, Sendable {
    public var genlabVersion: String
    /// The registry folder and the experiment's name.
    public var folder: String
    public var experiment: String
    public var configuration: [String: JSONValue]
    public var points: [PlannedPoint]
    /// The experiment has no sweep of points: its one point is the whole run.
    public var whole: Bool

    enum CodingKeys: String, CodingKey {
        case genlabVersion = "genlab_version"
        case folder, experiment, configuration, points, whole
    }

    public static func pointsFolder(_ dir: String) -> String { dir + "/points" }
    public static func logsFolder(_ dir: String) -> String { dir + "/logs" }

    /// Plans `experiment` (the registry entry `folder`) into `dir`: loads its data, records its
    /// points, computes nothing.
    public static func make(folder: String, experiment: any Experiment, dir: String, dataDirectory: String?) throws
        -> SweepPlan
    {
        try experiment.validate()
        let configuration = try experiment.configuration()
        var points: [PlannedPoint]
        let whole = !(experiment is any PointwiseExperiment)
        if whole {
            let text = try ResultFolder.encodeJSON(JSONValue.object(configuration))
            let key = "whole-" + experiment.name
            points = [
                PlannedPoint(
                    key: key,
                    file: key + "-" + ContentHash.of(Common.genlabVersion, experiment.name, text).prefix(16) + ".json")
            ]
        } else {
            var context = RunContext(
                command: "genlab sweep plan", dataDirectory: dataDirectory, checkpoint: pointsFolder(dir))
            context.sweep = SweepControl(.plan)
            do {
                _ = try experiment.execute(context)
                throw GenLabError.run("\(experiment.name) finished without reaching its sweep: nothing to plan")
            } catch SweepStop.planned {
                points = context.sweep.recorded
            }
        }
        let plan = SweepPlan(
            genlabVersion: Common.genlabVersion, folder: folder, experiment: experiment.name,
            configuration: configuration, points: points, whole: whole)
        try AtomicFile.write(try ResultFolder.encodeJSON(plan), to: dir + "/experiment.json")
        return plan
    }

    /// The plan in `dir`, checked: a planned sweep of this GenLab version.
    public static func load(_ dir: String) throws -> SweepPlan {
        let file = dir + "/experiment.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GenLabError.data(
                source: dir, expected: "a planned sweep (experiment.json)", found: "no experiment.json",
                fix: "plan one with genlab sweep plan EXPERIMENT --out \(dir)")
        }
        guard let plan = try? JSONDecoder().decode(SweepPlan.self, from: data) else {
            throw GenLabError.data(
                source: file, expected: "a sweep plan written by genlab sweep plan", found: "JSON without its fields")
        }
        guard plan.genlabVersion == Common.genlabVersion else {
            throw GenLabError.data(
                source: file, expected: "a plan made by GenLab \(Common.genlabVersion)",
                found: "one made by GenLab \(plan.genlabVersion)",
                fix: "plan the sweep again with this version (its points would be computed and named differently)")
        }
        return plan
    }

    /// The experiment value the plan holds.
    public func experimentValue() throws -> any Experiment {
        try Registry.decode(name: experiment, configuration: configuration)
    }

    /// Point i belongs to shard i mod count.
    public func shard(of point: Int, count: Int) -> Int { point % count }

    /// Computes the unfinished points of shard `index` of `count`; returns (computed, reused).
    /// `networks`: trained networks shared with other runs (nil: every network is trained here);
    /// `events`: where its trainings write TensorBoard scalars (nil: nowhere).
    public func runShard(
        _ index: Int, of count: Int, dir: String, dataDirectory: String?, progress: RunProgress = .silent,
        networks: NetworkStore? = nil, events: TrainingEvents? = nil
    ) throws -> (computed: Int, reused: Int) {
        try Self.checkShard(index, count)
        var context = RunContext(
            command: "genlab sweep run", dataDirectory: dataDirectory, checkpoint: Self.pointsFolder(dir),
            progress: progress,
            networks: networks)
        context.events = events
        context.sweep = SweepControl(.shard(index: index, count: count), logs: Self.logsFolder(dir))
        if whole {
            guard index == 0 else { return (0, 0) }
            let file = Self.pointsFolder(dir) + "/" + points[0].file
            if FileManager.default.fileExists(atPath: file) { return (0, 1) }
            let logs = Self.logsFolder(dir)
            let started = Timing.now()
            PointLog.started(folder: logs, key: points[0].key)
            var whole = RunContext(
                command: "genlab sweep run", dataDirectory: dataDirectory, checkpoint: nil, progress: progress,
                networks: networks)
            whole.events = events
            var exp = try experimentValue().execute(whole)
            exp.notes.append("Computed as one point of a planned sweep.")
            try AtomicFile.write(
                try ResultFolder.encodeJSON(WholeRun(result: exp, tables: exp.tables, data: whole.loaded.data)),
                to: file)
            PointLog.finished(folder: logs, key: points[0].key, seconds: Timing.now() - started)
            return (1, 0)
        }
        do {
            _ = try experimentValue().execute(context)
            throw GenLabError.run("\(experiment) finished without reaching its sweep")
        } catch SweepStop.shardFinished(let computed, let reused) {
            return (computed, reused)
        }
    }

    static func checkShard(_ index: Int, _ count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw GenLabError.usage("a shard is I/N with 0 ≤ I < N and N ≥ 1, got \(index)/\(count)")
        }
    }

    /// The whole run of an experiment without points, as stored (result.json does not carry tables),
    /// with the data it read: collecting checks that the same specs give the same data here.
    struct WholeRun: Codable {
        var result: ExperimentResult
        var tables: [Table]
        var data: [DataUse]
    }

    /// A whole run computed on other data than the specs give here (a node with another
    /// Fashion-MNIST, a CSV changed since) is refused: a pointwise sweep's points carry the data's
    /// fingerprint in their addresses, and the whole run must not be laxer.
    static func checkData(_ used: [DataUse], file: String, dataDirectory: String?) throws {
        for use in used {
            let here = try DatasetSpec(parsing: use.spec).load(dataDirectory: dataDirectory).fingerprint
            guard here == use.fingerprint else {
                throw GenLabError.data(
                    source: file,
                    expected: "a run on the data \"\(use.spec)\" gives here (fingerprint \(here.prefix(16)))",
                    found: "one computed on other data (fingerprint \(use.fingerprint.prefix(16)))",
                    fix:
                        "collect where the data is the same as on the nodes "
                        + "(--data-dir), or delete the point and run its shard again"
                )
            }
        }
    }

    /// The experiment's result from its finished points. Missing points are an error naming
    /// them, unless `partial`: then the result is the finished points' outcomes, and its notes
    /// name the absent ones.
    public func collect(dir: String, dataDirectory: String?, partial: Bool) throws -> ExperimentResult {
        if whole {
            let file = Self.pointsFolder(dir) + "/" + points[0].file
            guard let data = FileManager.default.contents(atPath: file) else {
                if partial { return partialResult(finished: [], missing: [points[0].key]) }
                throw GenLabError.run(
                    "the sweep in \(dir) is not finished: its one point, \(points[0].key), is missing; run genlab "
                        + "sweep run \(dir) --shard 0/1"
                )
            }
            guard let stored = try? JSONDecoder().decode(WholeRun.self, from: data) else {
                throw GenLabError.data(
                    source: file, expected: "a finished run written by genlab sweep run",
                    found: "a file that does not decode", fix: "delete it and run the shard again")
            }
            try Self.checkData(stored.data, file: file, dataDirectory: dataDirectory)
            var r = stored.result
            r.tables = stored.tables
            return r
        }
        var context = RunContext(
            command: "genlab sweep collect \(dir)", dataDirectory: dataDirectory, checkpoint: Self.pointsFolder(dir))
        context.sweep = SweepControl(.collect)
        do {
            return try experimentValue().execute(context)
        } catch SweepStop.missing(let keys, let total, let finished) {
            if partial { return partialResult(finished: finished, missing: keys) }
            throw GenLabError.run(
                "the sweep in \(dir) is not finished: \(keys.count) of \(total) points are missing "
                    + "(\(keys.prefix(10).joined(separator: ", "))\(keys.count > 10 ? ", …" : "")); "
                    + "run their shards again (genlab sweep status \(dir)), or collect what is there with --partial")
        }
    }

    /// What a partial collection gives: the finished points' outcomes as a table, the absent
    /// points named, no verdicts (the experiment's analysis needs every point).
    func partialResult(finished: [(key: String, outcome: String)], missing: [String]) -> ExperimentResult {
        var table = Table(name: "points", columns: ["key", "outcome"])
        for f in finished { table.append([.string(f.key), .string(f.outcome)]) }
        return ExperimentResult(
            experiment: experiment, configuration: configuration, seed: 0,
            metrics: ["finished_points": JSONValue(finished.count), "missing_points": JSONValue(missing.count)],
            verdicts: [], command: "genlab sweep collect --partial", tables: [table],
            notes: [
                "Partial: \(missing.count) of \(finished.count + missing.count) points are absent, so the experiment's "
                    + "tables, figures and verdicts are not built; the "
                    + "finished points' outcomes are in points.csv. Absent: "
                    + missing.joined(separator: ", ") + "."
            ])
    }
}
