import LinearAlgebra

/// What a verdict is evidence of.
///
/// - `theorem`: a mathematical identity or bound checked numerically. It fails only through a
///   bug (in the code or in our reading of the theorem), or — where it compares sampled
///   estimates with the exact value — at its rule's stated α; "supported" says the check held.
/// - `finding`: an empirical claim that could come out either way on other data. Its rule can
///   conclude "not supported" (and "no effect" where the talk claims none), and the evidence says
///   what the design could have detected.
/// - `replication`: a finding held to a published number with a stated tolerance.
public enum VerdictKind: String, Codable, Sendable, CaseIterable {
    case theorem, finding, replication

    /// "1 theorem check", "24 theorem checks", "41 findings".
    public func counted(_ n: Int) -> String { n == 1 ? "1 " + singular : "\(n) " + plural }

    public var singular: String { String(plural.dropLast()) }

    /// The plural shown in counts ("24 theorem checks", "41 findings").
    public var plural: String {
        switch self {
        case .theorem: return "theorem checks"
        case .finding: return "findings"
        case .replication: return "replications"
        }
    }
}

/// One claim's verdict, computed from the run's measurements.
public struct Verdict: Codable, Equatable, Sendable {
    /// The claim in our own words.
    public var claim: String
    /// A theorem checked, a finding, or a replication of a published number.
    public var kind: VerdictKind
    /// true: supported; false: not supported; nil: inconclusive.
    public var supported: Bool?
    /// One sentence with the numbers behind the verdict.
    public var evidence: String
    /// The values the verdict was computed from.
    public var values: [String: Double]

    public init(_ kind: VerdictKind, claim: String, supported: Bool?, evidence: String, values: [String: Double] = [:])
    {
        self.claim = claim
        self.kind = kind
        self.supported = supported
        self.evidence = evidence
        self.values = values
    }

    public var label: String { supported.map { $0 ? "supported" : "not supported" } ?? "inconclusive" }

    // `supported` is always written, as null when inconclusive.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(claim, forKey: .claim)
        try c.encode(kind, forKey: .kind)
        if let s = supported { try c.encode(s, forKey: .supported) } else { try c.encodeNil(forKey: .supported) }
        try c.encode(evidence, forKey: .evidence)
        try c.encode(values.mapValues { $0.isFinite ? JSONValue.number($0) : .null }, forKey: .values)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        claim = try c.decode(String.self, forKey: .claim)
        // A verdict without its kind was written before kinds existed: a theorem check could not
        // be told from a finding, so the result is refused rather than counted under a guess.
        guard c.contains(.kind) else {
            throw DecodingError.keyNotFound(
                CodingKeys.kind,
                .init(
                    codingPath: c.codingPath,
                    debugDescription:
                        "verdict \"\(claim.prefix(60))\" has no kind (theorem, finding or replication): written before "
                        + "verdicts had kinds; rerun the experiment"
                ))
        }
        kind = try c.decode(VerdictKind.self, forKey: .kind)
        supported = try c.decodeIfPresent(Bool.self, forKey: .supported)
        evidence = try c.decode(String.self, forKey: .evidence)
        values = (try c.decodeIfPresent([String: JSONValue].self, forKey: .values) ?? [:]).compactMapValues {
            $0.number ?? .nan
        }
    }

    enum CodingKeys: String, CodingKey { case claim, kind, supported, evidence, values }
}

/// A tidy table: one row per observation, one column per variable. Written as `<name>.csv`.
public struct Table: Codable, Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var rows: [[JSONValue]]

    public init(name: String, columns: [String], rows: [[JSONValue]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    public mutating func append(_ row: [JSONValue]) {
        precondition(
            row.count == columns.count, "table \(name): row of \(row.count) values for \(columns.count) columns")
        rows.append(row)
    }

    /// The column's numbers (NaN where a cell is not a number). A name the table does not have
    /// is a programming error, never an empty column that a caller would read as "no data".
    public func column(_ name: String) -> [Double] {
        guard let j = columns.firstIndex(of: name) else {
            preconditionFailure(
                "table \(self.name) has no column \"\(name)\"; its columns: \(columns.joined(separator: ", "))")
        }
        return rows.map { $0[j].number ?? .nan }
    }
}

/// How to draw one figure from a table (so that a report can redraw it from the CSV alone).
public struct FigureSpec: Codable, Equatable, Sendable {
    /// Lines, scatter points, a heatmap, contour lines, or one of the two categorical kinds:
    /// `dots` (the table's rows grouped by the category in `x`, every row a point and each
    /// category's mean with its 95% t interval) and `forest` (one row per comparison: its
    /// estimate and interval against `reference`, the equivalence margin shaded, sorted).
    /// Categorical figures are drawn with the categories as named rows.
    public enum Kind: String, Codable, Sendable { case line, scatter, heatmap, contour, dots, forest }
    /// One curve of a figure: its column, label, band and style, optionally a subset of the table's rows.
    public struct Series: Codable, Equatable, Sendable {
        public var y: String
        public var label: String
        /// Columns holding a band's lower and upper edges (a confidence interval), if any.
        public var lower: String?
        public var upper: String?
        public var dashed: Bool
        public var markers: Bool
        /// Draw only the rows whose `filterColumn` equals `filterValue` (one table, several curves).
        public var filterColumn: String?
        public var filterValue: String?
        public init(
            y: String, label: String, lower: String? = nil, upper: String? = nil, dashed: Bool = false,
            markers: Bool = false,
            filterColumn: String? = nil, filterValue: String? = nil
        ) {
            self.y = y
            self.label = label
            self.lower = lower
            self.upper = upper
            self.dashed = dashed
            self.markers = markers
            self.filterColumn = filterColumn
            self.filterValue = filterValue
        }
    }
    /// File name of the SVG, e.g. "proof_trace.svg".
    public var file: String
    public var title: String
    public var kind: Kind
    /// Name of the table (CSV) the figure reads.
    public var table: String
    public var x: String
    public var xLabel: String
    public var yLabel: String
    public var xLog: Bool
    public var yLog: Bool
    public var series: [Series]
    /// For a scatter: draw the least-squares line through the first series.
    public var fitLine: Bool
    /// For a heatmap or contour plot: the column of values; x and the first series' y give the grid coordinates.
    public var value: String?

    /// For a forest plot: the value every comparison is made against (a line; 0 when nil).
    public var reference: Double?
    /// For a forest plot: the column of each row's equivalence margin, shaded as reference ± margin.
    public var margin: String?
    /// For a forest plot: the column of each row's outcome ("supported", …), written beside the row.
    public var outcome: String?
    /// Published values drawn beside the measurements, marked "published": never evidence.
    public var published: [PublishedMark]?

    public init(
        file: String, title: String, kind: Kind = .line, table: String, x: String, xLabel: String, yLabel: String,
        xLog: Bool = false, yLog: Bool = false, series: [Series], fitLine: Bool = false, value: String? = nil,
        reference: Double? = nil, margin: String? = nil, outcome: String? = nil, published: [PublishedMark]? = nil
    ) {
        self.file = file
        self.title = title
        self.kind = kind
        self.table = table
        self.x = x
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xLog = xLog
        self.yLog = yLog
        self.series = series
        self.fitLine = fitLine
        self.value = value
        self.reference = reference
        self.margin = margin
        self.outcome = outcome
        self.published = published
    }

    /// A forest plot of the comparisons a verdict decided, from a table written by `ComparisonTable`.
    /// `interval` names the interval in the legend (the level the rule decided at).
    public static func forest(
        file: String, title: String, table: String = ComparisonTable.name, quantity: String? = nil, xLabel: String,
        interval: String = "estimate (95% CI)", reference: Double = 0, published: [PublishedMark]? = nil
    ) -> FigureSpec {
        FigureSpec(
            file: file, title: title, kind: .forest, table: table, x: "comparison", xLabel: "", yLabel: xLabel,
            series: [
                .init(
                    y: "estimate", label: interval, lower: "lower", upper: "upper",
                    filterColumn: quantity == nil ? nil : "quantity", filterValue: quantity)
            ],
            reference: reference, margin: "margin", outcome: "outcome", published: published)
    }
}

/// A published value drawn in a figure: a point, a segment over an x range, or a band of y —
/// labelled "published" and drawn apart from the measurements. It never enters a verdict.
public struct PublishedMark: Codable, Equatable, Sendable {
    /// What the reader sees beside the mark, e.g. "notebook: 54.0% at h ≈ 47–61".
    public var label: String
    /// Where on x (a range when `xUpper` is set); nil: across the whole plot.
    public var x: Double?
    public var xUpper: Double?
    /// Where on y (a band when `yUpper` is set); nil: across the whole plot.
    public var y: Double?
    public var yUpper: Double?
    /// For a categorical figure: the row the mark belongs to (nil: every row).
    public var category: String?
    public init(
        label: String, x: Double? = nil, xUpper: Double? = nil, y: Double? = nil, yUpper: Double? = nil,
        category: String? = nil
    ) {
        self.label = label
        self.x = x
        self.xUpper = xUpper
        self.y = y
        self.yUpper = yUpper
        self.category = category
    }
}

/// The comparisons a verdict decided, one row each, written as a table a forest plot draws:
/// the estimate and its interval exactly as the rule used them, the equivalence margin where the
/// rule has one (0 where it has none), and the outcome. `quantity` separates comparisons in
/// different units (one forest plot each).
public struct ComparisonTable: Sendable {
    public static let name = "comparisons"
    public private(set) var table = Table(
        name: ComparisonTable.name,
        columns: ["comparison", "quantity", "estimate", "lower", "upper", "margin", "outcome"])

    public init() {}

    public mutating func add(
        _ comparison: String, quantity: String, estimate: Double, lower: Double, upper: Double, margin: Double = 0,
        outcome: String
    ) {
        table.append([
            .string(comparison), .string(quantity), JSONValue(estimate), JSONValue(lower), JSONValue(upper),
            JSONValue(margin), .string(outcome),
        ])
    }

    /// A verdict's own outcome label as a row's outcome.
    public mutating func add(
        _ comparison: String, quantity: String, estimate: Double, lower: Double, upper: Double, margin: Double = 0,
        verdict: Verdict
    ) {
        add(
            comparison, quantity: quantity, estimate: estimate, lower: lower, upper: upper, margin: margin,
            outcome: verdict.label)
    }
}

/// What every experiment returns and writes as `result.json`.
public struct ExperimentResult: Codable, Equatable, Sendable {
    /// Machine name, e.g. "perceptron-mistakes".
    public var experiment: String
    public var configuration: [String: JSONValue]
    public var seed: UInt64
    public var genlabVersion: String
    public var metrics: [String: JSONValue]
    public var verdicts: [Verdict]
    /// The command line that reproduces this result.
    public var command: String
    public var figures: [FigureSpec]
    /// Table names; each is `<name>.csv` beside result.json. The tables themselves are not in the JSON.
    public var tableNames: [String]
    /// Wall-clock seconds the run took.
    public var seconds: Double
    /// Notes the report shows (e.g. "the data are not separable").
    public var notes: [String]

    /// Published values the result can be compared with: shown apart from the evidence, never part of it.
    public var references: [Reference]
    /// Set when this run departs from the primary setting the claim is tested in (a setting
    /// changed after a verdict): what was changed and why. The report labels its section and
    /// verdicts as a sensitivity run, never as evidence for the primary claim.
    public var sensitivity: String?

    /// The tables, carried in memory until written; not part of result.json.
    public var tables: [Table] = []
    /// Other files of the folder (e.g. "weights.npy" → its bytes), carried in memory until written.
    public var artifacts: [String: [UInt8]] = [:]

    public init(
        experiment: String, configuration: [String: JSONValue], seed: UInt64, metrics: [String: JSONValue] = [:],
        verdicts: [Verdict] = [], command: String, figures: [FigureSpec] = [], tables: [Table] = [],
        seconds: Double = 0, notes: [String] = [],
        references: [Reference] = []
    ) {
        self.experiment = experiment
        self.configuration = configuration
        self.seed = seed
        self.genlabVersion = Common.genlabVersion
        self.metrics = metrics
        self.verdicts = verdicts
        self.command = command
        self.figures = figures
        self.tables = tables
        self.tableNames = tables.map(\.name)
        self.seconds = seconds
        self.notes = notes
        self.references = references
    }

    enum CodingKeys: String, CodingKey {
        case experiment, configuration, seed
        case genlabVersion = "genlab_version"
        case metrics, verdicts, command, figures
        case tableNames = "tables"
        case seconds, notes, references, sensitivity
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        experiment = try c.decode(String.self, forKey: .experiment)
        configuration = try c.decode([String: JSONValue].self, forKey: .configuration)
        seed = try c.decode(UInt64.self, forKey: .seed)
        genlabVersion = try c.decode(String.self, forKey: .genlabVersion)
        metrics = try c.decode([String: JSONValue].self, forKey: .metrics)
        verdicts = try c.decode([Verdict].self, forKey: .verdicts)
        command = try c.decode(String.self, forKey: .command)
        figures = try c.decode([FigureSpec].self, forKey: .figures)
        tableNames = try c.decode([String].self, forKey: .tableNames)
        seconds = try c.decode(Double.self, forKey: .seconds)
        notes = try c.decode([String].self, forKey: .notes)
        // Results written before references existed have none.
        references = try c.decodeIfPresent([Reference].self, forKey: .references) ?? []
        sensitivity = try c.decodeIfPresent(String.self, forKey: .sensitivity)
    }
}

/// A published value to compare a result with (a paper's figure, a notebook's number).
public struct Reference: Codable, Equatable, Sendable {
    /// Where it was published, e.g. "MNIST-1D notebooks (Greydanus 2020)".
    public var source: String
    /// The value as published, with its unit, e.g. "54.0%".
    public var value: String
    /// What it is, e.g. "peak test error of the width sweep, at h ≈ 47–61".
    public var what: String
    public init(source: String, value: String, what: String) {
        self.source = source
        self.value = value
        self.what = what
    }
}
