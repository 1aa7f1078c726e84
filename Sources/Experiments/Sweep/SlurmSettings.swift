import Common

/// The settings of `genlab sweep slurm`, read off this value as an experiment's are (options,
/// help, `--parameters`); `array(points:)` is the job array they describe.
public struct SlurmSettings: Configurable {
    public var name: String { "sweep slurm" }
    /// Shards, one array task each (default: one per point, at most 1000).
    public var shards: Int?
    /// Tasks running at once (%P of --array).
    public var arrayParallelism = 8
    /// Time limit of a task in minutes; a task requeues itself before it.
    public var time = 60
    /// Partition (default: the cluster's).
    public var partition: String?
    /// CPUs per task.
    public var cpusPerTask = 1
    /// Memory per task, as sbatch takes it (e.g. 4G; default: the cluster's).
    public var mem: String?
    /// Seconds before the time limit at which a task stops and requeues itself.
    public var grace = 60
    /// The cluster's MaxArraySize (default: asked of scontrol, else 1001); more shards are split into several
    /// arrays.
    public var maxArraySize: Int?
    /// Submit the array(s) with sbatch.
    public var submit = false
    public static let names = OptionNames(flags: ["submit": ("submit", "true")])
    public init() {}

    /// The sweep's folder and the settings, from the words of `genlab sweep slurm` in any order:
    /// the folder is the one word that is neither an option nor an option's value (a bare flag
    /// takes `true` or `false` after it, nothing else).
    public static func parse(_ words: [String]) throws -> (folder: String?, settings: SlurmSettings) {
        var folder: String?
        var rest = [String]()
        var i = 0
        while i < words.count {
            let w = words[i]
            let flag = names.flags[String(w.dropFirst(2))] != nil
            let valued =
                w.hasPrefix("--") && !w.contains("=") && i + 1 < words.count
                && (!flag || ["true", "false"].contains(words[i + 1]))
            if !w.hasPrefix("--") && folder == nil {
                folder = w
            } else {
                rest += valued ? [w, words[i + 1]] : [w]
                i += valued ? 1 : 0
            }
            i += 1
        }
        return (folder, try SlurmSettings().setting(names.settings(rest)))
    }

    /// The job array over a sweep of `points` points.
    public func array(points: Int) -> SlurmArray {
        SlurmArray(
            shards: shards ?? min(points, 1000), parallelism: arrayParallelism, minutes: time,
            cpusPerTask: cpusPerTask, partition: partition, memory: mem, grace: grace,
            maxArraySize: maxArraySize ?? SlurmArray.clusterMaxArraySize() ?? 1001)
    }
}
