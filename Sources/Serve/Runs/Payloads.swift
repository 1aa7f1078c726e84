import Experiments
import Foundation
import LinearAlgebra
import Reports

/// What the page draws of a result (final or partial): the figures drawn by the report's own
/// figure code, the verdicts with their evidence and minimum detectable effect, the notes.
struct ResultBody: Codable, Sendable {
    struct VerdictBody: Codable, Sendable {
        var claim: String
        var kind: String
        /// "supported", "not supported" or "inconclusive".
        var label: String
        var evidence: String
        /// The minimum detectable effect, where the verdict's rule has one.
        var mde: Double?
    }
    struct FigureBody: Codable, Sendable {
        var file: String
        var title: String
        var svg: String
    }
    var partial: Bool
    var verdicts: [VerdictBody]
    var figures: [FigureBody]
    var notes: [String]
    var seconds: Double
    /// Files of the result folder, as paths under /files/ (empty for a partial result).
    var files: [String]

    init(_ r: ExperimentResult, partial: Bool, files: [String] = []) {
        self.partial = partial
        verdicts = r.verdicts.map { v in
            VerdictBody(
                claim: v.claim, kind: v.kind.rawValue, label: v.label, evidence: v.evidence,
                mde: v.values["mde"].flatMap { $0.isFinite ? $0 : nil })
        }
        figures = r.figures.compactMap { f in
            r.tables.first { $0.name == f.table }.map {
                FigureBody(file: f.file, title: f.title, svg: Plot.render(f, table: $0))
            }
        }
        notes = r.notes
        seconds = r.seconds
        self.files = files
    }
}

/// A finished point as the page lists it: its key and the numbers of its outcome.
struct PointBody: Codable, Sendable {
    /// How many points have arrived, this one included.
    var n: Int
    var key: String
    /// The outcome's top-level numbers (a network's test error, its width, …).
    var values: [String: Double]

    init(n: Int, _ p: FinishedPoint) {
        self.n = n
        key = p.key
        var numbers = [String: Double]()
        if case .object(let o)? = try? JSONDecoder().decode(JSONValue.self, from: Data(p.outcome.utf8)) {
            for (k, v) in o { if let d = v.number, d.isFinite { numbers[k] = d } }
        }
        values = numbers
    }
}

/// A progress line of the run (`LABEL: STAGE (NN%)`, as genlab prints it when stderr is no terminal).
struct ProgressBody: Codable, Sendable, Equatable {
    var stage: String
    var fraction: Double?

    /// Nil for a line that is not progress (an error, a note).
    init?(line: String) {
        guard let colon = line.range(of: ": "), !line.hasPrefix("genlab:") else { return nil }
        var rest = String(line[colon.upperBound...])
        fraction = nil
        if rest.hasSuffix("%)"), let open = rest.range(of: " (", options: .backwards),
            let pct = Double(rest[open.upperBound...].dropLast(2))
        {
            fraction = pct / 100
            rest = String(rest[..<open.lowerBound])
        }
        guard fraction != nil else { return nil }
        stage = rest
    }
}
