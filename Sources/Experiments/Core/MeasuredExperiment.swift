import Foundation
import LinearAlgebra

/// Measure, then analyze (issue #32): an experiment whose run is split into a measurement that
/// produces raw, Codable outcomes (the per-point, per-seed numbers) and a pure analysis that turns
/// them into tables, verdicts and figures. The outcomes are stored beside result.json
/// (`MeasurementRecord.file`), so that `genlab reanalyze` recomputes the analysis of an old run
/// without training: an improved rule applies to it, and an unchanged rule rewrites every file
/// byte for byte.
public protocol MeasuredExperiment: Experiment {
    /// What the measurement leaves: every number the analysis reads, and nothing it computes.
    associatedtype Outcomes: Codable & Sendable
    /// The measurement (data, training, checkpoints). Its notes say what it did (points reused, …).
    func measure(_ context: RunContext) throws -> Measured<Outcomes>
    /// Tables, verdicts, figures and metrics from the outcomes alone: no data, no training, no
    /// clock. Returns `measured.notes` first among its notes. `command`, `seconds`, `experiment`
    /// and `configuration` are filled in by the caller.
    func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult
}

/// A measurement's outcomes and its notes, in the order the result shows them.
public struct Measured<Outcomes: Codable & Sendable>: Codable, Sendable {
    public var outcomes: Outcomes
    public var notes: [String]
    public init(_ outcomes: Outcomes, notes: [String] = []) {
        self.outcomes = outcomes
        self.notes = notes
    }
}

/// What `outcomes.json` holds: the measurement, and what result.json records of the run that
/// made it (its command and seconds), so that a reanalysis writes the same result.json. The
/// experiment and its configuration tie the file to the result.json beside it.
public struct MeasurementRecord<Outcomes: Codable & Sendable>: Codable, Sendable {
    /// The file beside result.json.
    public static var file: String { MeasurementFile.name }
    public var experiment: String
    public var configuration: [String: JSONValue]
    public var genlabVersion: String
    public var command: String
    public var seconds: Double
    public var measured: Measured<Outcomes>

    enum CodingKeys: String, CodingKey {
        case experiment, configuration
        case genlabVersion = "genlab_version"
        case command, seconds, measured
    }
}

/// The name of the outcomes file, the same for every experiment.
public enum MeasurementFile {
    public static let name = "outcomes.json"
}

extension MeasuredExperiment {
    /// Measure, then analyze; the outcomes travel with the result as `outcomes.json`.
    public func run(_ context: RunContext) throws -> ExperimentResult { try measureThenAnalyze(context) }

    /// The measurement with the run's own notes around it (the data it loaded first, the shared
    /// networks it used last: what `execute` adds to every result), then its analysis.
    func measureThenAnalyze(_ context: RunContext) throws -> ExperimentResult {
        let start = Timing.now()
        let before = context.networks?.counts
        var measured = try measure(context)
        measured.notes = context.loaded.lines + measured.notes + networkNotes(context, before: before)
        let record = MeasurementRecord(
            experiment: name, configuration: try configuration(), genlabVersion: genlabVersion,
            command: context.command, seconds: Timing.now() - start, measured: measured)
        return try analyzed(record)
    }

    /// The result of a stored measurement: the analysis of today's code, with the run's command,
    /// seconds and configuration, and the record itself as the folder's `outcomes.json`.
    public func analyzed(_ record: MeasurementRecord<Outcomes>) throws -> ExperimentResult {
        var result = analyze(record.measured)
        result.experiment = record.experiment
        result.configuration = record.configuration
        result.command = record.command
        result.seconds = record.seconds
        result.artifacts[MeasurementFile.name] = Array(try ResultFolder.encodeJSON(record).utf8)
        return result
    }

    /// Reanalyzes `outcomes.json` (its bytes) for the result.json it sits beside: `source` names
    /// the file in errors.
    public func reanalyzed(_ data: Data, source: String, result: ExperimentResult) throws -> ExperimentResult {
        let record: MeasurementRecord<Outcomes>
        do { record = try MeasurementFile.decoder.decode(MeasurementRecord<Outcomes>.self, from: data) } catch {
            throw GenLabError.data(
                source: source, expected: "the outcomes of a \(name) run",
                found: "unreadable content (\(ResultFolder.shortReason(error)))",
                fix: "rerun the experiment (genlab rerun)")
        }
        guard record.experiment == result.experiment, record.configuration == result.configuration else {
            throw GenLabError.data(
                source: source,
                expected: "the outcomes of the run result.json records (\(result.experiment), its configuration)",
                found:
                    "outcomes of another run (\(record.experiment)"
                    + "\(record.experiment == result.experiment ? ", another configuration" : ""))",
                fix: "rerun the experiment (genlab rerun)")
        }
        return try analyzed(record)
    }

}

extension MeasurementFile {
    /// Reads NaN and infinities back as `ResultFolder.encodeJSON` writes them (strings).
    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}

extension ExperimentResult {
    /// The result with the measurement's notes first, then the analysis's own.
    func noting(_ measurementNotes: [String]) -> ExperimentResult {
        var r = self
        r.notes = measurementNotes + r.notes
        return r
    }
}
