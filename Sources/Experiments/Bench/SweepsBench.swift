import Foundation
import LinearAlgebra

/// The wall-clock time of each sweep's default run, against the targets of issue #5: the
/// ridgeless and random-features sweeps under a minute, the MNIST-1D width sweep (19 widths,
/// 4,000 samples, 500 epochs, one seed) under 5 minutes, the default model-size sweep under 20;
/// and of issue #30 (many small networks at once): the width sweep at the published setting with
/// 5 seeds (the full scale's value) under 150 s, the default measures zoo (174 networks) under 90 s.
/// Each run starts from scratch (no checkpoint) and its verdicts are reported beside its time.
public struct SweepsBench: BenchReport {
    /// Each sweep: its name, the registry entry and scale it runs (the value `genlab COMMAND`
    /// runs with no options, or the full scale's), and its target in seconds.
    public static let targets: [(name: String, folder: String, scale: Scale, target: Double)] = [
        ("ridgeless", "double-descent-ridgeless", .default, 60),
        ("random-features", "double-descent-random-features", .default, 60),
        ("width", "double-descent-width", .default, 300), ("epochs", "double-descent-epochs", .default, 120),
        ("model-size", "model-size", .default, 1200), ("width5", "double-descent-width", .full, 150),
        ("zoo", "measures", .default, 90),
    ]

    public struct Row: Encodable, Sendable {
        public var sweep: String
        public var seconds: Double
        public var targetSeconds: Double
        public var met: Bool
        public var verdicts: [String]
        enum CodingKeys: String, CodingKey {
            case sweep, seconds
            case targetSeconds = "target_seconds"
            case met, verdicts
        }

        public var lines: [String] {
            [
                sweep.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(
                        format: "%7.1f s  (target < %4.0f s: %@)", seconds, targetSeconds,
                        (met ? "met" : "MISSED") as NSString)
            ]
                + verdicts.map { "    " + $0 }
        }
    }

    public var blas = BLAS.description
    public var cores = ProcessInfo.activeCores
    public var rows: [Row] = []
    public var lines: [String] { rows.flatMap(\.lines) }

    /// Runs the sweeps named (in that order); `each` gets every row as it finishes. An unknown
    /// name is a usage error before anything runs.
    static func run(_ names: [String], dataDirectory: String?, each: (Row) -> Void = { _ in }) throws
        -> SweepsBench
    {
        let chosen = try names.map { n in
            guard let t = targets.first(where: { $0.name == n }) else {
                throw GenLabError.usage(
                    "the sweeps bench has no sweep \"\(n)\"; choose from " + targets.map(\.name).joined(separator: ", ")
                )
            }
            return t
        }
        var report = SweepsBench()
        for t in chosen {
            let planned = Registry.entry(folder: t.folder)!.plan(t.scale)
            let context = RunContext(
                command: "genlab " + planned.arguments.joined(separator: " "), dataDirectory: dataDirectory)
            let start = Timing.now()
            let r = try planned.experiment.execute(context)
            let s = Timing.now() - start
            let verdicts = r.verdicts.map {
                "[\($0.supported.map { $0 ? "supported" : "not supported" } ?? "inconclusive")] \($0.claim)"
            }
            report.rows.append(
                Row(sweep: t.name, seconds: s, targetSeconds: t.target, met: s < t.target, verdicts: verdicts))
            each(report.rows.last!)
        }
        return report
    }
}
