import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra
import Reports

/// `genlab tour`: every experiment of the registry, in the talk's order, into one folder, then
/// the report (which only reads the folders).
public struct Tour: Sendable {
    public var scale: Scale
    public var out: String
    public var dataDirectory: String?
    /// Where the trained networks are shared (nil: OUT/networks).
    public var networksFolder: String?

    public init(
        scale: Scale = .quick, out: String = "tour", dataDirectory: String? = nil, networksFolder: String? = nil
    ) {
        self.scale = scale
        self.out = out
        self.dataDirectory = dataDirectory
        self.networksFolder = networksFolder
    }

    /// One experiment of the tour: its registry entry at this scale, and the command that reproduces it.
    public struct Step: Sendable {
        public var entry: RegistryEntry
        public var planned: Planned
        public var command: String
        public var folder: String { entry.folder }
        public var label: String { entry.label }
    }

    /// Where every training of the tour writes TensorBoard scalars (`--tensorboard`; nil: nowhere).
    public var events: TrainingEvents?

    /// Trained networks shared by the tour's experiments (and by a rerun of the tour into the same
    /// folder, or by any run given the same folder).
    public var networks: NetworkStore { NetworkStore(folder: networksFolder ?? out + "/networks") }

    public var steps: [Step] {
        Registry.entries.filter(\.inTour).map { e in
            let p = e.plan(scale)
            var args = ["genlab"] + p.arguments + ["--out", out + "/" + e.folder]
            if p.readsFashionMNIST, let dd = dataDirectory { args += ["--data-dir", dd] }
            return Step(entry: e, planned: p, command: shellQuoted(args))
        }
    }

    /// One experiment of the tour: its folder, its result, and how long it took.
    public struct Outcome: Sendable {
        public var folder: String
        public var result: ExperimentResult
        public var failed: Bool
    }

    /// Runs every step (a failing step becomes an "inconclusive" section naming the error),
    /// writes each folder, then the report. `progress(stepIndex, stepCount, label, fraction, eta)`.
    public func run(progress: @escaping @Sendable (Int, Int, String, Double, Double?) -> Void) throws -> (
        outcomes: [Outcome], report: String
    ) {
        let all = steps
        let total = all.map(\.planned.estimate).reduce(0, +)
        var outcomes = [Outcome]()
        let start = Timing.now()
        var doneEstimate = 0.0
        let store = networks
        for (k, step) in all.enumerated() {
            let elapsed = Timing.now() - start
            // ETA: the remaining estimate, rescaled by how fast the estimates have run so far.
            let speed = doneEstimate > 0 ? elapsed / doneEstimate : 1
            progress(k, all.count, step.label, 0, (total - doneEstimate) * speed)
            var context = RunContext(
                command: step.command, dataDirectory: dataDirectory,
                progress: RunProgress { _, f in progress(k, all.count, step.label, f, nil) }, networks: store)
            context.events = events
            var result: ExperimentResult
            var failed = false
            do {
                result = try step.planned.experiment.execute(context)
            } catch {
                failed = true
                result = ExperimentResult(
                    experiment: step.entry.name, configuration: (try? step.planned.experiment.configuration()) ?? [:],
                    seed: 0,
                    verdicts: [
                        Verdict(
                            .finding, claim: step.label, supported: nil,
                            evidence: "The experiment could not run: \(error)")
                    ],
                    command: step.command, notes: ["This experiment could not run: \(error)"])
            }
            try ResultWriter.write(result, to: out + "/" + step.folder)
            outcomes.append(Outcome(folder: step.folder, result: result, failed: failed))
            doneEstimate += step.planned.estimate
            progress(k, all.count, step.label, 1, nil)
        }
        let report = try Report.render(out, catalog: .talk)
        return (outcomes, report)
    }
}


extension Tour {
    /// The tour's verdicts as a table (label, kind, claim), then the tally of the runs that count
    /// and the sensitivity runs that do not.
    public static func verdictLines(_ outcomes: [Outcome]) -> [String] {
        var lines = ["", "verdict          kind         claim"]
        for v in outcomes.flatMap(\.result.verdicts) {
            lines.append(
                v.label.padding(toLength: 16, withPad: " ", startingAt: 0) + " "
                    + v.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + v.claim)
        }
        let sensitivity = outcomes.filter { $0.result.sensitivity != nil }
        lines += [
            "",
            VerdictTally(outcomes.filter { $0.result.sensitivity == nil }.flatMap(\.result.verdicts)).sentence
                + (sensitivity.isEmpty
                    ? "" : "; sensitivity runs, not counted: " + sensitivity.map(\.folder).joined(separator: ", ")),
        ]
        return lines
    }
}
