import Datasets
import Foundation
import LinearAlgebra

/// A measured experiment whose measurement finishes in units (seeds, conditions, sample sizes)
/// and publishes, as they finish, the analysis of the finished ones (`RunContext.liveResult`): a
/// live view redraws its figure and verdicts while it runs. Sweeps that checkpoint their points
/// are live through `PartialAnalysis` instead.
public protocol LiveMeasurement: MeasuredExperiment {}

/// A measured experiment whose measurement is one indivisible computation (one solver run, one
/// set of fits that no setting narrows): nothing can be analyzed before its end, so a live view
/// shows its progress, then its result. Declared, so that "every experiment redraws live or is one
/// unit" is checked, not assumed (CatalogTests).
public protocol SingleUnitMeasurement: MeasuredExperiment {}

/// What `RunContext.liveResult` holds: the analysis of the units finished so far, tables
/// included (result.json keeps them in CSV files beside it), in one file written whole.
public struct LiveResult: Codable, Sendable {
    public var result: ExperimentResult
    public var tables: [Table]

    /// The partial result in `path`; nil while there is none or it does not read (a run of another
    /// version): a live view then waits for the next one.
    public static func read(_ path: String) -> ExperimentResult? {
        FileManager.default.contents(atPath: path).flatMap(decode)
    }

    /// The partial result in a file's bytes (nil: not a `LiveResult`).
    public static func decode(_ data: Data) -> ExperimentResult? {
        guard let live = try? MeasurementFile.decoder.decode(LiveResult.self, from: data) else { return nil }
        var r = live.result
        r.tables = live.tables
        return r
    }
}

/// Seconds between two publications of a live measurement: a partial analysis (tables, verdicts,
/// figures) is cheap beside a unit of training, but not free, and a view polls a few times a second.
/// GENLAB_LIVE_INTERVAL sets it (0: every prefix, as the suite runs it).
public enum LiveInterval {
    public static let seconds =
        ProcessInfo.processInfo.environment["GENLAB_LIVE_INTERVAL"].flatMap(Double.init).map { max($0, 0) } ?? 0.5
}

/// Collects a measurement's units as they finish (in any order, from any thread) and, whenever
/// the run of finished units from the first grows, publishes the analysis of that prefix: `part`
/// turns it into the experiment narrowed to those units (fewer seeds, a shorter grid) and their
/// outcomes. Does nothing, and keeps nothing, when the run has no `liveResult`.
public final class LiveUnits<Unit: Sendable>: @unchecked Sendable {
    private let path: String?
    private let publish: ([Unit]) throws -> ExperimentResult?
    private var units: [Unit?]
    private var published = 0
    private var last = -Double.infinity
    private let lock = NSLock()

    /// `count` units; `publish` analyzes a prefix of them (nil: nothing to show yet).
    public init(count: Int, path: String?, publish: @escaping ([Unit]) throws -> ExperimentResult?) {
        self.path = path
        self.publish = publish
        units = path == nil ? [] : Array(repeating: nil, count: count)
    }

    /// Unit `index` has finished with `unit`.
    public func finished(_ index: Int, _ unit: Unit) {
        guard let path else { return }
        lock.lock()
        defer { lock.unlock() }
        units[index] = unit
        var prefix = published
        while prefix < units.count, units[prefix] != nil { prefix += 1 }
        // The first prefix at once (a view shows something within one unit), then at most every
        // `LiveInterval.seconds`.
        guard prefix > published, published == 0 || Timing.now() - last >= LiveInterval.seconds else { return }
        // A partial view is a convenience: a unit that cannot be shown yet never stops the run.
        guard let result = try? publish(units[..<prefix].map { $0! }),
            let text = try? ResultFolder.encodeJSON(LiveResult(result: result, tables: result.tables))
        else { return }
        try? AtomicFile.write(text, to: path)
        published = prefix
        last = Timing.now()
    }
}

extension MeasuredExperiment {
    /// The live units of this run: `part` maps the finished prefix of `count` units to the
    /// experiment narrowed to them, their outcomes and a note ("Partial: 2 of 5 seeds finished.").
    public func liveUnits<Unit: Sendable>(
        _ context: RunContext, count: Int,
        part: @escaping ([Unit]) -> (experiment: Self, outcomes: Outcomes, note: String)?
    ) -> LiveUnits<Unit> {
        let start = Timing.now()
        return LiveUnits(count: count, path: context.liveResult) { done in
            guard let p = part(done) else { return nil }
            var r = p.experiment.analyze(Measured(p.outcomes, notes: [p.note]))
            r.experiment = p.experiment.name
            r.configuration = try p.experiment.configuration()
            r.command = context.command
            r.seconds = Timing.now() - start
            return r
        }
    }
}

/// "Partial: 2 of 5 seeds finished." — the note every partial result carries.
public func partialNote(_ done: Int, of total: Int, _ units: String) -> String {
    "Partial: \(done) of \(total) \(units) finished."
}

extension MeasuredExperiment {
    /// Live units for a measurement laid out seed by seed (`perSeed` units each, in a fixed order):
    /// the seeds whose every unit has finished are the run `narrowed(k)` with k seeds.
    public func liveSeeds<Unit: Sendable>(
        _ context: RunContext, seeds: Int, perSeed: Int, narrowed: @escaping (Int) -> Self,
        outcomes: @escaping ([Unit]) -> Outcomes
    ) -> LiveUnits<Unit> {
        liveUnits(context, count: seeds * perSeed) { done in
            let k = done.count / max(perSeed, 1)
            guard k >= 1 else { return nil }
            return (narrowed(k), outcomes(Array(done.prefix(k * perSeed))), partialNote(k, of: seeds, "seeds"))
        }
    }
}

/// An experiment whose `seeds` repeat its whole measurement: narrowed to k seeds, it is the run of
/// its first k, so its live units need no narrowing of their own.
public protocol RepeatedOverSeeds: MeasuredExperiment {
    var seeds: Int { get set }
}

extension RepeatedOverSeeds {
    /// `liveSeeds` with the experiment narrowed to the seeds finished.
    public func liveSeeds<Unit: Sendable>(_ context: RunContext, perSeed: Int, outcomes: @escaping ([Unit]) -> Outcomes)
        -> LiveUnits<Unit>
    {
        liveSeeds(
            context, seeds: seeds, perSeed: perSeed,
            narrowed: { k in
                var part = self
                part.seeds = k
                return part
            }, outcomes: outcomes)
    }
}

extension Result where Failure == Error, Success: Sendable {
    /// The result, with a success handed to `live` as unit `index` first.
    public func publishing(_ index: Int, to live: LiveUnits<Success>) -> Result {
        if case .success(let unit) = self { live.finished(index, unit) }
        return self
    }
}
