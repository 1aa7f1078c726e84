import Datasets
import Foundation
import LinearAlgebra

/// A finished point of a sweep's checkpoint folder, as another process reads it while the sweep
/// runs: its readable key and its outcome as JSON text, whose checksum matched.
public struct FinishedPoint: Sendable, Equatable {
    public var key: String
    public var outcome: String
    /// The point's file name in the folder.
    public var file: String
    public init(key: String, outcome: String, file: String) {
        self.key = key
        self.outcome = outcome
        self.file = file
    }
}

/// Reading a checkpoint folder from outside the sweep that writes it (`genlab serve` streams the
/// points as they land). A point file appears whole or not at all (`AtomicFile`: a temporary
/// sibling, then a rename), so a folder read mid-run holds only finished points.
public enum SweepPoints {
    /// The envelope `Sweep` writes, the fields a reader needs.
    struct Envelope: Decodable {
        var version: String
        var key: String
        var checksum: String
        var outcome: String
    }

    /// Every point file in `dir` written by this GenLab version whose checksum holds, by file name.
    /// Files of other versions, unreadable or corrupt ones and temporary files are skipped.
    /// `only`: just these file names (a reader that has seen the others).
    public static func finished(in dir: String, only: Set<String>? = nil) -> [FinishedPoint] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.sorted().filter { name in
            !name.hasPrefix(".") && name.hasSuffix(".json") && (only?.contains(name) ?? true)
        }.compactMap { name in
            guard let data = FileManager.default.contents(atPath: dir + "/" + name),
                let e = try? JSONDecoder().decode(Envelope.self, from: data),
                e.version == genlabVersion, ContentHash.of(e.outcome) == e.checksum
            else { return nil }
            return FinishedPoint(key: e.key, outcome: e.outcome, file: name)
        }
    }

    /// A point's outcome decoded as `Sweep` wrote it (NaN and infinities stored as strings).
    public static func decode<O: Decodable>(_ text: String, as _: O.Type) throws -> O {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(O.self, from: Data(text.utf8))
    }
}

/// An experiment whose figures and verdicts can be computed from the points finished so far, so
/// that a live view (`genlab serve`) redraws them, with their evidence, as points arrive.
public protocol PartialAnalysis: Experiment {
    /// The result of the finished points alone, analyzed by the experiment's own rules (nil while
    /// too few have finished for a figure). `finished` may hold points of this value only.
    func analyze(finished: [FinishedPoint]) -> ExperimentResult?
}

/// A measured sweep whose outcomes are one per point, as its checkpoint files hold them: the
/// partial analysis of the finished points is the experiment's own `analyze`, on the part of its
/// grid whose every point has finished. One shape for every live sweep: an experiment says only
/// what a finished part of its grid is.
public protocol LiveSweep: MeasuredExperiment, PartialAnalysis where Outcomes == [PointOutcome] {
    /// One point's outcome: what `Sweep` writes to the point's file.
    associatedtype PointOutcome: Codable & Sendable
    /// The experiment narrowed to the part of its grid whose every point is among `outcomes`, those
    /// points' outcomes, and a note saying how much has finished; nil while no part is complete.
    func finishedPart(of outcomes: [PointOutcome]) -> (grid: Self, outcomes: [PointOutcome], note: String)?
}

extension LiveSweep {
    public func analyze(finished: [FinishedPoint]) -> ExperimentResult? {
        let outcomes = finished.compactMap { try? SweepPoints.decode($0.outcome, as: PointOutcome.self) }
        guard let part = finishedPart(of: outcomes) else { return nil }
        return part.grid.analyze(Measured(part.outcomes, notes: [part.note]))
    }
}
