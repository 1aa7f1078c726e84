import Foundation
import LinearAlgebra
import Measures

extension TrajectoryDimension {
    /// The verdict on the seeds' shares against the walks', with the first path's plane (`drawn`,
    /// the landscape tool's result) as the figure.
    func result(
        _ drawn: ExperimentResult, shares: [[Double]], walk: (mean: Double, standardError: Double, shares: [Double]),
        limit: Double,
        checkpoints: Int, parameters: Int
    ) -> ExperimentResult {
        let topTwo = shares.map { $0[0] + $0[1] }
        let rule = VerdictRules.exceeds(
            differences: topTwo.map { $0 - walk.mean }, referenceStandardError: walk.standardError,
            leastEffect: Self.leastExcess, what: "path's top-two share − random walk's")
        let ci = Stats.tInterval(topTwo)
        let verdict = Verdict(
            .finding,
            claim:
                "A training path is nearly two-dimensional beyond what a random walk is: its top two principal "
                + "directions hold more of its variance than those of a random walk of the same length in the same "
                + "dimension (by \(Int(Self.leastExcess * 100)) points or more to count).",
            supported: rule.supported,
            evidence: String(
                format:
                    "%@ on %@, %d seeds, %d checkpoints, P = %d: top-two share %.3f [%.3f, %.3f]; %d random walks %.3f "
                    + "± %.3f (limit of a long walk 7.5/π² = %.3f, for %d checkpoints %.3f); %@.",
                model, data, shares.count, checkpoints, parameters, ci.estimate, ci.lower, ci.upper, walk.shares.count,
                walk.mean, walk.standardError, RandomWalkPlane.asymptoticShare, checkpoints, limit, rule.reason),
            values: rule.values.merging(["share": ci.estimate, "walk_share": walk.mean, "walk_limit": limit]) { a, _ in
                a
            })
        let table = sharesTable(shares, walks: walk.shares)
        let dots = FigureSpec(
            file: "shares.svg",
            title: "Variance in the top two principal directions: training paths against random walks",
            kind: .dots, table: "shares", x: "path", xLabel: "path",
            yLabel: "share of the path's variance in its top two directions",
            series: [.init(y: "share", label: "one path")])
        var metrics = drawn.metrics
        metrics["share_mean"] = JSONValue(ci.estimate)
        metrics["walk_share"] = JSONValue(walk.mean)
        metrics["walk_limit"] = JSONValue(limit)
        metrics["seeds"] = JSONValue(shares.count)
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed, metrics: metrics, verdicts: [verdict],
            command: drawn.command,
            figures: drawn.figures + [dots], tables: drawn.tables + [table], seconds: 0, notes: drawn.notes,
            references: Self.resultReferences)
    }

    /// The references of `result`.
    static var resultReferences: [Results.Reference] {
        [
            Reference(
                source:
                    "Li, Xu, Taylor, Studer & Goldstein (2018), Visualizing the loss landscape of neural nets, §7",
                value:
                    "the path lies in a very low-dimensional space: two "
                    + "principal directions hold most of its variation",
                what: "the observation tested, drawn the same way (PCA "
                    + "of θᵢ − θₙ, the final weights at the origin)"
            ),
            Reference(
                source:
                    "Antognini & Sohl-Dickstein (2018), PCA of high dimensional random walks with comparison to "
                    + "neural network training",
                value:
                    "k-th principal share of a long high-dimensional "
                    + "random walk → 6/(π²k²); top two 7.5/π² ≈ 0.760",
                what: "the null the shares are compared with (computed here for the run's own length and dimension)"
            ),
        ]
    }

    /// Each training path's top-two share (and its two parts), then each random walk's.
    func sharesTable(_ shares: [[Double]], walks: [Double]) -> Table {
        var table = Table(name: "shares", columns: ["path", "seed", "share_1", "share_2", "share"])
        for (s, v) in shares.enumerated() {
            table.append([
                .string("training (SGD)"), JSONValue(Int(seed) + s), JSONValue(v[0]), JSONValue(v[1]),
                JSONValue(v[0] + v[1]),
            ])
        }
        for (k, v) in walks.enumerated() {
            table.append([.string("random walk"), JSONValue(k), .null, .null, JSONValue(v)])
        }
        return table
    }
}
