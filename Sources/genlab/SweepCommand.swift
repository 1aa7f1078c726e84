import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra

/// `genlab sweep`: any experiment of the registry cut into shards of its points, run by hand or
/// as Slurm job arrays, and collected into the same result as a local run.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract:
            "Plan an experiment's points, run them in shards (by hand or as Slurm arrays), follow and collect them.",
        discussion: """
            genlab sweep plan measures --scale full --out zoo
            genlab sweep slurm zoo --shards 200 --array-parallelism 50 --time 120 --submit
            genlab sweep status zoo
            genlab sweep collect zoo            (the result in zoo/result, as genlab run would write it)
            Every finished point is kept under DIR/points; rerunning a shard, or the whole sbatch, computes only
            what is missing.
            """,
        subcommands: [
            SweepPlanCommand.self, SweepRunCommand.self, SweepSlurmCommand.self, SweepStatusCommand.self,
            SweepCollectCommand.self,
        ])
}

struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract:
            "Write DIR/experiment.json: the experiment value and its points (keys, checkpoint files); computes nothing."
    )
    @Argument(help: "The experiment (a tour folder name, as for genlab run).") var experiment: String
    @OptionGroup var source: ExperimentSource
    @Option(help: "The sweep's folder.") var out: String
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let exp = try source.experiment(experiment)
        let plan = try SweepPlan.make(folder: experiment, experiment: exp, into: out, dataDirectory: global.dataDir)
        print(
            "planned \(plan.points.count) point\(plan.points.count == 1 ? "" : "s") of \(plan.experiment) in \(out)"
                + (plan.whole ? " (an experiment without a sweep of points: one point, the whole run)" : ""))
    }
}

struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Compute the unfinished points of one shard; each goes to DIR/points as it finishes, its log to DIR/logs."
    )
    @Argument(help: "The planned sweep's folder.") var dir: String
    @Option(help: "The shard, I/N: point k belongs to shard k mod N.") var shard: String?
    @Option(help: "One point only: the task I of a one-point-per-task array (shard I of the point count).") var task:
        Int?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (shard == nil) != (task == nil) else { throw ValidationError("give --shard I/N or --task I") }
        if let s = shard { _ = try asUsage { try SweepPlan.parseShard(s) } }
        if let t = task, t < 0 { throw ValidationError("--task must be ≥ 0, got \(t)") }
    }

    func run() throws {
        global.apply()
        let plan = try SweepPlan.load(dir)
        let (i, n) = try shard.map(SweepPlan.parseShard) ?? (task!, plan.points.count)
        guard i < n else {
            throw GenLabError.usage(
                "--task \(i): the sweep has \(plan.points.count) points (tasks 0 … \(plan.points.count - 1))")
        }
        let context = global.context(label: "shard \(i)/\(n)")
        let r = try plan.runShard(
            i, of: n, dir: dir, dataDirectory: global.dataDir, progress: context.progress, networks: context.networks,
            events: context.events)
        print(
            "shard \(i)/\(n) of \(plan.experiment): \(r.computed) point\(r.computed == 1 ? "" : "s") computed, "
                + "\(r.reused) already finished"
        )
    }
}

struct SweepSlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write DIR/sweep.sbatch, a Slurm job array over the shards, and submit it with --submit.",
        discussion: SlurmSettings.names.help(SlurmSettings(), scaled: false))
    @Flag(help: "List the job array's settings (after any given) instead of writing it.") var parameters = false
    @Argument(parsing: .allUnrecognized, help: "DIR, the planned sweep's folder, and settings, --NAME VALUE (above).")
    var words: [String] = []
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (folder, slurm) = try SlurmSettings.parse(words)
        if parameters { return Parameter.list(slurm).forEach { print($0) } }
        guard let dir = folder else { throw GenLabError.usage("sweep slurm needs DIR, the planned sweep's folder") }
        let plan = try SweepPlan.load(dir)
        let absolute = URL(fileURLWithPath: dir).standardizedFileURL.path
        let array = slurm.array(points: plan.points.count)
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let files = try array.write(dir: absolute, genlab: binary, experiment: plan.folder)
        print("wrote " + files.joined(separator: ", ") + " (\(array.shards) shards of \(plan.points.count) points)")
        if slurm.submit {
            for (f, j) in zip(files, try SlurmArray.submit(files, logIn: dir)) { print("submitted \(f): job \(j)") }
        }
    }
}

struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Finished, running, missing and failed points; for failed ones the last lines of their logs.")
    @Argument(help: "The planned sweep's folder.") var dir: String
    @Option(help: "Show each point's shard for this shard count.") var shards: Int?

    func run() throws { try SweepPlan.load(dir).statusLines(dir: dir, shards: shards).forEach { print($0) } }
}

struct SweepCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract:
            "Build the experiment's result.json, CSVs and figures from the finished points (as a local run would)."
    )
    @Argument(help: "The planned sweep's folder.") var dir: String
    @Flag(help: "Collect what is finished even if points are missing; the result names the absent ones.") var partial =
        false
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let plan = try SweepPlan.load(dir)
        var result = try plan.collect(dir: dir, dataDirectory: global.dataDir, partial: partial)
        result.command = "genlab sweep collect \(shellQuoted([dir]))"
        var o = output
        if o.out == nil { o.out = dir + "/result" }
        try finish(result, output: o)
    }
}
