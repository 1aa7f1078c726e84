import Foundation
import LinearAlgebra
import Measures

extension GuessAndCheck {
    func result(_ sets: [SetResult], seconds: Double, command: String) -> ExperimentResult {
        let sgd = sets.map { Stats.mean($0.sgd.filter(\.isFinite)) }
        var verdicts = [Verdict]()
        var notes = [String]()
        let (table, draws) = Self.tables(sets)
        let searchSeconds = sets.map(\.searchSeconds).reduce(0, +)
        let totalDraws = sets.flatMap { $0.guessed.map(\.draws) }.reduce(0, +)
        for prior in InterpolatorSearch.Prior.allCases {
            let usable = sets.indices.filter { !sets[$0][prior].errors.isEmpty && sgd[$0].isFinite }
            let short = sets.indices.filter { sets[$0][prior].errors.count < interpolators }
            if !short.isEmpty {
                notes.append(
                    "\(prior.rawValue) prior: the search found fewer than \(interpolators) interpolators within "
                        + "\(maxDraws) draws on sets \(short)."
                )
            }
            let d = usable.map { Stats.mean(sets[$0][prior].errors) - sgd[$0] }
            let rule = VerdictRules.exceeds(
                differences: d, leastEffect: Self.leastAdvantage,
                what: "test error(random interpolator) − test error(SGD)")
            let found = sets.map { $0[prior].errors.count }.reduce(0, +)
            let drawn = sets.map { $0[prior].draws }.reduce(0, +)
            verdicts.append(
                Verdict(
                    .finding,
                    claim:
                        "SGD's solutions generalize better than random "
                        + "networks that fit the same training set (drawn from "
                        + "\(prior == .pytorch ? "PyTorch's initialization" : "a wide uniform distribution"); "
                        + "by 2 points or more to count).",
                    supported: rule.supported,
                    evidence: String(
                        format:
                            "%d sets of %d (%@), mlp:%d: random interpolators %.1f%% test error (%d found in %d draws, "
                            + "%@ per interpolator), SGD %.1f%%; %@.",
                        usable.count, n, data, width,
                        100 * Stats.mean(usable.map { Stats.mean(sets[$0][prior].errors) }), found, drawn,
                        found > 0 ? String(format: "%.3g", Double(drawn) / Double(found)) : "–",
                        100 * Stats.mean(usable.map { sgd[$0] }), rule.reason),
                    values: rule.values.merging([
                        "draws_per_interpolator": found > 0 ? Double(drawn) / Double(found) : .nan
                    ]) { a, _ in a }))
        }
        let figure = FigureSpec(
            file: "test_error.svg", title: "Test error of SGD's networks and of random networks that fit the same sets",
            kind: .dots,
            table: "networks", x: "route", xLabel: "how the training set was fitted", yLabel: "test error",
            series: [.init(y: "test_error", label: "one network")])
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: [
                "networks_per_second": JSONValue(Double(totalDraws) / max(searchSeconds, 1e-9)),
                "draws": JSONValue(totalDraws),
            ],
            verdicts: verdicts, command: command, figures: [figure], tables: [table, draws], seconds: seconds,
            notes: notes,
            references: Self.resultReferences)
    }

    /// The references of `result`.
    static var resultReferences: [Results.Reference] {
        [
            Reference(
                source:
                    "Chiang et al. (2023), Loss landscapes are all you need: neural network generalization can be "
                    + "explained without the implicit bias of gradient descent, ICLR",
                value:
                    "random networks that fit the training set generalize about as well as SGD-trained ones (small "
                    + "training sets, two classes)",
                what: "their finding; their networks, priors and data differ from these")
        ]
    }

    /// Every network's test error by route, and each search's draws per interpolator.
    static func tables(_ sets: [SetResult]) -> (networks: Table, search: Table) {
        var table = Table(name: "networks", columns: ["set", "route", "test_error"])
        var draws = Table(name: "search", columns: ["set", "prior", "found", "draws", "draws_per_interpolator"])
        for (s, r) in sets.enumerated() {
            for e in r.sgd where e.isFinite { table.append([JSONValue(s), .string("SGD"), JSONValue(e)]) }
            for prior in InterpolatorSearch.Prior.allCases {
                let g = r[prior]
                for e in g.errors {
                    table.append([JSONValue(s), .string("guessed, \(prior.rawValue) prior"), JSONValue(e)])
                }
                draws.append([
                    JSONValue(s), .string(prior.rawValue), JSONValue(g.errors.count), JSONValue(g.draws),
                    g.errors.isEmpty ? .null : JSONValue(Double(g.draws) / Double(g.errors.count)),
                ])
            }
        }
        return (table, draws)
    }
}
