import Foundation
import LinearAlgebra
import Measures

/// The zoo's analysis: which networks count, τ and Ψ of every measure, the verdicts, the tables.
extension MeasureZoo {
    /// Ψ per measure and hyperparameter ([measure][hyperparameter], nil where no group has a τ), and Ψ per measure.
    typealias Granulated = (perHyperparameter: [[Double?]], psi: [Double?])

    static let claims = (
        parameters:
            "The parameter count ranks the networks' generalization worse than the best measure does: capacity is not "
            + "the parameter count.",
        flatness: "Flatness (PAC-Bayes σ′) measures rank generalization near the top, as Jiang et al. found.",
        spectral: "The product of spectral norms ranks generalization among the worst measures, as Jiang et al. found."
    )

    /// `weights`: each network's weights file in the shared store (`store`), as the measurement found them.
    func result(
        points: [Point], outcomes: [Outcome], seconds: Double, command: String, notes: [String],
        weights: [String?]? = nil, store: String? = nil
    ) -> ExperimentResult {
        let weights = weights ?? outcomes.map { _ in nil }
        let converged = outcomes.indices.filter { outcomes[$0].converged }
        let missed = outcomes.indices.filter { !outcomes[$0].converged }
        var notes = notes + intakeNotes(points: points, outcomes: outcomes, weights: weights, store: store)
        let gap = converged.map { outcomes[$0].testError - outcomes[$0].trainError }
        // A measure enters the ranking when it is finite on every converged network and varies
        // within some stratum of equal training-set size (the strata τ is computed in).
        let sizeAxis = ZooGrid.names.firstIndex(of: "train_size")!
        let sizes = converged.map { points[$0].index[sizeAxis] }
        let bySize = Dictionary(grouping: sizes.indices, by: { sizes[$0] })
        let (usable, values, unusable) = usableMeasures(converged.map { outcomes[$0] }, bySize: bySize)
        notes += unusable
        var tables = [networksTable(points: points, outcomes: outcomes, weights: weights)]
        var figures = [FigureSpec]()
        var verdicts: [Verdict]
        var metrics: [String: JSONValue] = [
            "networks": JSONValue(points.count), "converged": JSONValue(converged.count),
        ]
        if converged.count < Self.minimumNetworks || usable.isEmpty {
            let why =
                "Only \(converged.count) of \(points.count) networks reached training cross-entropy ≤ "
                + "\(formatNumber(targetLoss)) (at least \(Self.minimumNetworks) "
                + "are needed for a ranking); not converged: "
                + missed.prefix(12).map { key(points[$0]) }.joined(separator: ", ") + (missed.count > 12 ? ", …" : "")
                + ". Train longer (--epochs) or change the grid."
            verdicts = [Self.claims.parameters, Self.claims.flatness, Self.claims.spectral].map {
                Verdict(.finding, claim: $0, supported: nil, evidence: why)
            }
        } else {
            (verdicts, figures) = rank(
                points: points, converged: converged, measures: (usable, values), gap: gap, tables: &tables,
                notes: &notes, metrics: &metrics)
        }
        return ExperimentResult(
            experiment: name, configuration: [:], seed: UInt64(seed), metrics: metrics, verdicts: verdicts,
            command: command,
            figures: figures, tables: tables, seconds: seconds, notes: notes,
            references: [
                Reference(
                    source:
                        "Jiang, Neyshabur, Mobahi, Krishnan & Bengio (2020), Fantastic generalization measures and "
                        + "where to find them",
                    value:
                        "over 10,000 CIFAR-10 and SVHN networks: PAC-Bayes flatness and magnitude-aware sharpness rank "
                        + "best by τ and Ψ; spectral-norm products correlate negatively with the gap; the "
                        + "parameter count ranks poorly",
                    what:
                        "their zoo: NiN networks over depth, width, batch, dropout, learning rate, weight decay and "
                        + "optimizer; here ReLU MLPs on MNIST-1D over depth, width, batch, dropout, learning rate, "
                        + "weight decay and training-set size"
                )
            ])
    }

    /// τ within strata of equal n, Ψ, the verdicts and figures, for the usable measures of the
    /// converged networks.
    func rank(
        points: [Point], converged: [Int], measures: (usable: [GeneralizationMeasure], values: [[Double]]),
        gap: [Double], tables: inout [Table], notes: inout [String], metrics: inout [String: JSONValue]
    ) -> ([Verdict], [FigureSpec]) {
        let (usable, values) = measures
        let sizeAxis = ZooGrid.names.firstIndex(of: "train_size")!
        let sizes = converged.map { points[$0].index[sizeAxis] }
        // Jiang et al. held the training-set size fixed: n drives the gap on its own, and a
        // measure with a 1/n would beat the parameter count by construction. τ is computed
        // within strata of equal n (when n varies), and n's own τ with the gap is reported.
        let strata = Set(sizes).count > 1 ? sizes : nil
        let ranking = MeasureRanking(
            names: usable.map(\.name), values: values, gap: gap, strata: strata, resamples: resamples,
            seed: UInt64(seed))
        if strata != nil {
            let nTau = Stats.kendallTau(sizes.map(Double.init), gap)
            metrics["train_size_tau"] = JSONValue(nTau)
            notes.append(
                String(
                    format:
                        "The training-set size varies over %d values; every τ and verdict is computed within networks "
                        + "of equal n (as Jiang et al. held n fixed). "
                        + "n itself has τ = %.3f with the gap over all networks: across sizes, more data alone "
                        + "shrinks the gap.",
                    Set(sizes).count, nTau))
        }
        let psi = granulated(points: converged.map { points[$0] }, values: values, gap: gap)
        tables.append(measuresTable(ranking, usable, psi))
        let verdicts = zooVerdicts(ranking, usable, psi: psi)
        let figures = zooFigures(ranking, values: values, tables: tables)
        if let p = ranking.index(of: "params") {
            tables.append(comparisonTable(ranking, reference: p, verdict: verdicts[0]))
        }
        let best = ranking.ranked[0]
        metrics["best_measure"] = .string(ranking.names[best])
        metrics["best_tau"] = JSONValue(ranking.tau[best])
        if let p = ranking.index(of: "params") { metrics["params_tau"] = JSONValue(ranking.tau[p]) }
        return (verdicts, figures)
    }

    /// Weights the store lacks, and which networks reached the target loss (the rest left out).
    func intakeNotes(points: [Point], outcomes: [Outcome], weights: [String?], store: String?) -> [String] {
        var notes = [String]()
        if let store, case let missing = outcomes.indices.filter({ weights[$0] == nil && outcomes[$0].problem == nil }),
            !missing.isEmpty
        {
            notes.append(
                "\(missing.count) of \(outcomes.count) networks have no weights in \(store): their points were read "
                    + "back from a checkpoint of a run that kept none (networks.csv leaves their weights empty); "
                    + "remove the checkpoint folder to train them again."
            )
        }
        let converged = outcomes.indices.filter { outcomes[$0].converged }
        let missed = outcomes.indices.filter { !outcomes[$0].converged }
        notes.append(
            "\(converged.count) of \(points.count) networks reached training cross-entropy ≤ "
                + "\(formatNumber(targetLoss)) within \(maxEpochs) epochs"
                + (missed.isEmpty
                    ? "."
                    : "; left out: "
                        + missed.prefix(8).map {
                            "\(key(points[$0])) (\(outcomes[$0].problem ?? outcomes[$0].stopped?.rawValue ?? "error"))"
                        }.joined(separator: ", ")
                        + (missed.count > 8 ? ", and \(missed.count - 8) more." : ".")))
        return notes
    }

    /// The measures that enter the ranking (`outcomes`: the converged networks'): finite on every
    /// network and varying within some stratum of equal training-set size (`bySize`: the networks'
    /// positions by size), with their values; the others named in notes.
    func usableMeasures(_ outcomes: [Outcome], bySize: [Int: [Int]]) -> (
        measures: [GeneralizationMeasure], values: [[Double]], notes: [String]
    ) {
        var usable = [GeneralizationMeasure]()
        var notes = [String]()
        var values = [[Double]]()
        for m in MeasureCatalog.all {
            let v = outcomes.map { $0.measures[m.name] ?? .nan }
            if !v.allSatisfy(\.isFinite) {
                notes.append(
                    "\(m.name) is undefined on some networks (\(v.filter { !$0.isFinite }.count) of \(v.count)): left "
                        + "out of the ranking."
                )
                continue
            }
            if v.count >= 2 && bySize.values.allSatisfy({ g in Set(g.map { v[$0] }).count <= 1 }) {
                notes.append(
                    "\(m.name) is the same for every network of one training-set "
                        + "size: its τ is undefined, left out of the ranking."
                )
                continue
            }
            usable.append(m)
            values.append(v)
        }
        return (usable, values, notes)
    }

    /// Ψ per measure: for each hyperparameter that varies, τ within the groups of networks that
    /// share every other hyperparameter, averaged over groups; then Ψ the mean over hyperparameters.
    /// [measure][hyperparameter] (nil where no group has a τ), and Ψ per measure.
    func granulated(points: [Point], values: [[Double]], gap: [Double]) -> Granulated {
        var groupsByH = [[[Int]]]()
        for h in 0..<ZooGrid.names.count {
            var groups = [[Int]: [Int]]()
            for (i, p) in points.enumerated() {
                var rest = p.index
                rest[h] = -1
                groups[rest, default: []].append(i)
            }
            groupsByH.append(
                groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { groups[$0]! }.filter { $0.count >= 2 })
        }
        let per = values.map { v in groupsByH.map { MeasureRanking.granulated(values: v, gap: gap, groups: $0) } }
        let psi = per.map { row -> Double? in
            let defined = row.compactMap { $0 }
            return defined.isEmpty ? nil : Stats.mean(defined)
        }
        return (per, psi)
    }

    func zooVerdicts(_ r: MeasureRanking, _ usable: [GeneralizationMeasure], psi: Granulated) -> [Verdict] {
        func psiText(_ m: Int) -> String { psi.psi[m].map { String(format: "Ψ = %.3f", $0) } ?? "Ψ undefined" }
        var verdicts = [Verdict]()
        if let p = r.index(of: "params") {
            let rule = r.someOutranks(p, margin: Self.tauMargin)
            let best = r.ranked[0]
            let ciP = r.interval(p)
            let ciB = r.interval(best)
            let disjoint = ciB.lower > ciP.upper
            verdicts.append(
                Verdict(
                    .finding, claim: Self.claims.parameters, supported: rule.supported,
                    evidence: String(
                        format:
                            "Over %d networks: τ(params, gap) = %.3f [%.3f, %.3f] (%@, rank %d of %d); the best, %@: "
                            + "τ = %.3f [%.3f, %.3f] (%@); their 95%% intervals %@: %@.",
                        r.networks, r.tau[p], ciP.lower, ciP.upper, psiText(p), r.ranked.firstIndex(of: p)! + 1,
                        r.names.count,
                        r.names[best], r.tau[best], ciB.lower, ciB.upper, psiText(best),
                        disjoint ? "are disjoint" : "overlap", rule.reason),
                    values: rule.values))
        } else {
            verdicts.append(
                Verdict(
                    .finding, claim: Self.claims.parameters, supported: nil,
                    evidence:
                        "The parameter count is the same for every converged network (one width and one depth): it "
                        + "cannot rank them."
                ))
        }
        verdicts.append(flatnessVerdict(r, usable, psi: psi))
        if let s = r.index(of: "spectral-product") {
            let rule = r.amongWorst(s)
            verdicts.append(
                Verdict(
                    .finding, claim: Self.claims.spectral, supported: rule.supported,
                    evidence: rule.reason
                        + String(
                            format: " (its τ with the gap is %@; Jiang et al. found it negative).",
                            r.tau[s] < 0 ? "negative" : "positive"), values: rule.values))
        } else {
            verdicts.append(
                Verdict(
                    .finding, claim: Self.claims.spectral, supported: nil,
                    evidence: "The spectral-norm product could not be ranked."))
        }
        return verdicts
    }

    /// Flatness near the top (the rule on τ), with where the family stands by Ψ beside it.
    func flatnessVerdict(_ r: MeasureRanking, _ usable: [GeneralizationMeasure], psi: Granulated) -> Verdict {
        let family = usable.indices.filter { usable[$0].family == "flatness" }
        if family.isEmpty {
            return Verdict(
                .finding, claim: Self.claims.flatness, supported: nil, evidence: "No flatness measure could be ranked.")
        }
        let rule = r.nearTop(family, margin: Self.tauMargin)
        // Jiang et al. rank by Ψ as well: where the family stands by it (reported, not tested).
        let byPsi = usable.indices.filter { psi.psi[$0] != nil }.sorted { psi.psi[$0]! > psi.psi[$1]! }
        let bestPsi = family.filter { psi.psi[$0] != nil }.max { psi.psi[$0]! < psi.psi[$1]! }
        let psiLine =
            bestPsi.map {
                String(
                    format: " By the granulated Ψ, %@ ranks %d of %d (Ψ = %.3f; the best, %@, %.3f).",
                    usable[$0].name, byPsi.firstIndex(of: $0)! + 1, byPsi.count,
                    psi.psi[$0]!, usable[byPsi[0]].name, psi.psi[byPsi[0]]!)
            } ?? ""
        return Verdict(
            .finding, claim: Self.claims.flatness, supported: rule.supported,
            evidence: rule.reason + "." + psiLine, values: rule.values)
    }

    /// Each network's weights file in `store`, where it is there (nil: no store, or not kept in it).
    func weightFiles(_ outcomes: [Outcome], in store: NetworkStore?) -> [String?] {
        outcomes.map { o in
            guard let store, let key = o.recipe else { return nil }
            let path = store.paths(key).weights
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
    }

    func networksTable(points: [Point], outcomes: [Outcome], weights: [String?]) -> Table {
        var t = Table(
            name: "networks",
            columns: ["network"] + ZooGrid.names + [
                "converged", "stopped", "steps", "epochs", "train_loss", "train_error", "test_error", "gap",
            ]
                + MeasureCatalog.all.map(\.name) + ["weights"])
        for (i, (p, o)) in zip(points, outcomes).enumerated() {
            var row: [JSONValue] =
                [.string(key(p))] + (0..<ZooGrid.names.count).map { JSONValue(grid.values($0)[p.index[$0]]) }
            row += [
                JSONValue(o.converged ? 1 : 0), .string(o.problem == nil ? o.stopped?.rawValue ?? "error" : "error"),
                JSONValue(o.steps), JSONValue(o.epochs),
                o.trainLoss.isFinite ? JSONValue(o.trainLoss) : .null,
                o.trainError.isFinite ? JSONValue(o.trainError) : .null,
                o.testError.isFinite ? JSONValue(o.testError) : .null,
                o.testError.isFinite ? JSONValue(o.testError - o.trainError) : .null,
            ]
            row += MeasureCatalog.all.map { m in
                o.measures[m.name].flatMap { $0.isFinite ? JSONValue($0) : nil } ?? .null
            }
            row.append(weights[i].map { .string($0) } ?? .null)
            t.append(row)
        }
        return t
    }

    func measuresTable(_ r: MeasureRanking, _ usable: [GeneralizationMeasure], _ psi: Granulated) -> Table {
        var t = Table(
            name: "measures",
            columns: ["rank", "measure", "family", "tau", "tau_lower", "tau_upper", "psi"]
                + ZooGrid.names.map { "psi_" + $0 } + ["formula"])
        for (k, m) in r.ranked.enumerated() {
            let ci = r.interval(m)
            t.append(
                [
                    JSONValue(k + 1), .string(r.names[m]), .string(usable[m].family), JSONValue(r.tau[m]),
                    ci.lower.isFinite ? JSONValue(ci.lower) : .null,
                    ci.upper.isFinite ? JSONValue(ci.upper) : .null, psi.psi[m].map { JSONValue($0) } ?? .null,
                ]
                    + psi.perHyperparameter[m].map { $0.map { JSONValue($0) } ?? .null } + [.string(usable[m].formula)])
        }
        return t
    }

    /// Each measure's τ lead over the parameter count, at the level `someOutranks` decides at
    /// (one-sided 1 − α/(M−1) each, Bonferroni over the M−1 comparisons), with its margin; the
    /// rows are the intervals the rule compared with 0, the verdict's label on the best measure's.
    func comparisonTable(_ r: MeasureRanking, reference p: Int, verdict: Verdict) -> Table {
        var t = ComparisonTable()
        let others = r.names.indices.filter { $0 != p }
        let level = 1 - 2 * VerdictRules.alpha / Double(max(others.count, 1))
        let best = others.max { r.tau[$0] < r.tau[$1] }
        for m in others {
            let ci = r.difference(m, p, level: level)
            let outcome = m == best ? verdict.label : (ci.lower > 0 ? "ranks better" : "")
            t.add(
                r.names[m] + " − params", quantity: "τ", estimate: ci.estimate, lower: ci.lower, upper: ci.upper,
                margin: Self.tauMargin, outcome: outcome)
        }
        return t.table
    }

    func zooFigures(_ r: MeasureRanking, values: [[Double]], tables: [Table]) -> [FigureSpec] {
        var figures = [
            FigureSpec(
                file: "measures_tau.svg", title: "Kendall τ of each measure with the generalization gap, best first",
                kind: .forest, table: "measures", x: "measure", xLabel: "measure",
                yLabel: "τ with the gap (95% bootstrap CI over networks); Ψ: granulated τ",
                series: [
                    .init(y: "tau", label: "τ (95% bootstrap CI)", lower: "tau_lower", upper: "tau_upper"),
                    .init(y: "psi", label: "Ψ (τ within groups that share the other hyperparameters)"),
                ],
                reference: 0)
        ]
        if r.index(of: "params") != nil {
            figures.append(
                .forest(
                    file: "comparisons.svg",
                    title: "What the parameter-count verdict decided: each measure's lead in τ over params",
                    xLabel:
                        "τ(measure) − τ(params), paired bootstrap at the "
                        + "Bonferroni level; right of the margin: ranks better",
                    interval: "lead (interval at the Bonferroni level)"))
        }
        // The gap against the parameter count and against the three best measures.
        var shown = [Int]()
        if let p = r.index(of: "params") { shown.append(p) }
        shown += r.ranked.filter { $0 != r.index(of: "params") }.prefix(3)
        for m in shown {
            let positive = values[m].allSatisfy { $0 > 0 }
            figures.append(
                FigureSpec(
                    file: "gap_vs_\(r.names[m]).svg",
                    title: String(format: "Generalization gap against %@ (τ = %.2f)", r.names[m], r.tau[m]),
                    kind: .scatter,
                    table: "networks", x: r.names[m], xLabel: r.names[m] + (positive ? " (log scale)" : ""),
                    yLabel: "test error − train error",
                    xLog: positive,
                    series: [
                        .init(y: "gap", label: "a network (converged)", filterColumn: "converged", filterValue: "1")
                    ]))
        }
        return figures
    }
}
