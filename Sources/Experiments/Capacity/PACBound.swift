import Datasets
import Foundation
import LinearAlgebra
import Measures

/// PAC learning of a finite class on a distribution we know exactly. x ~ Uniform[0, 1], the
/// label is 1[x ≥ θ*] flipped with probability η; the class H holds |H| thresholds
/// h_t(x) = 1[x ≥ t], t on an even grid of [0, 1], whose true risks are exact:
/// R(h_t) = η + (1 − 2η)|t − θ*|. Over many draws of a training set of n, the experiment
/// measures the uniform deviation sup_H |R̂ − R| and ERM's excess risk R(ĥ) − min_H R against
/// Hoeffding's inequality with the union bound: Pr[sup |R̂ − R| ≥ ε] ≤ 2|H|e^(−2nε²), so with
/// probability ≥ 1 − δ the deviation is below ε_δ = √(log(2|H|/δ)/(2n)) and ERM's excess risk
/// below 2ε_δ.
public struct PACBound: Codable, Sendable {
    /// Training-set sizes n, increasing.
    public var sizes: [Int]
    /// Sizes |H| of the finite hypothesis classes, increasing.
    public var classSizes: [Int]
    /// Training sets drawn per point.
    public var draws: Int
    /// δ: the bound holds with probability at least 1 − δ.
    public var delta: Double
    /// The ε of the sample-size comparison: n the bound asks for against n the runs need.
    public var epsilon: Double
    /// Label noise η: each label is flipped with probability η (so the best hypothesis has risk η or more).
    public var labelNoise: Double
    /// The target threshold t* of the true labels y = 1[x ≤ t*], x uniform on [0, 1].
    public var threshold: Double
    /// Seed of the hypotheses and the training sets.
    public var seed: UInt64

    public init(
        sizes: [Int] = [50, 100, 200, 500, 1000, 2000, 5000], classSizes: [Int] = [10, 100, 1000], draws: Int = 1000,
        delta: Double = 0.05,
        epsilon: Double = 0.05, labelNoise: Double = 0.1, threshold: Double = 0.3, seed: UInt64 = 0
    ) {
        self.sizes = sizes
        self.classSizes = classSizes
        self.draws = draws
        self.delta = delta
        self.epsilon = epsilon
        self.labelNoise = labelNoise
        self.threshold = threshold
        self.seed = seed
    }

    /// ε_δ = √(log(2|H|/δ)/(2n)): the deviation Hoeffding and the union bound allow at confidence 1 − δ.
    public static func deviationBound(classSize h: Int, n: Int, delta: Double) -> Double {
        (log(2 * Double(h) / delta) / (2 * Double(n))).squareRoot()
    }

    /// The n the bound asks for to promise deviation ε with confidence 1 − δ: log(2|H|/δ)/(2ε²).
    public static func sampleSize(classSize h: Int, epsilon: Double, delta: Double) -> Double {
        log(2 * Double(h) / delta) / (2 * epsilon * epsilon)
    }

    /// The exact true risk of h_t.
    func trueRisk(_ t: Double) -> Double { labelNoise + (1 - 2 * labelNoise) * abs(t - threshold) }

    /// The class: |H| thresholds evenly spaced on [0, 1], ends included.
    static func thresholds(_ h: Int) -> [Double] { h == 1 ? [0.5] : (0..<h).map { Double($0) / Double(h - 1) } }

    /// One training set of n: its uniform deviation over H and ERM's excess risk (ties to the first
    /// threshold of least empirical risk).
    func draw(n: Int, thresholds ts: [Double], risks: [Double], rng: inout Generator) -> (
        deviation: Double, excess: Double
    ) {
        let points = (0..<n).map { _ -> (x: Double, y: Bool) in
            let x = rng.uniform()
            let clean = x >= threshold
            return (x, rng.uniform() < labelNoise ? !clean : clean)
        }
        let errors = Self.errorCounts(points, thresholds: ts)
        var deviation = 0.0
        for j in ts.indices { deviation = max(deviation, abs(Double(errors[j]) / Double(n) - risks[j])) }
        let erm = errors.indices.min { errors[$0] < errors[$1] }!
        return (deviation, risks[erm] - risks.min()!)
    }

    /// Training errors of every h_t (increasing t) from one sort and prefix counts: h_t says 0
    /// below t and 1 from t on, so its errors are the 1s below t and the 0s from t on.
    static func errorCounts(_ unsorted: [(x: Double, y: Bool)], thresholds ts: [Double]) -> [Int] {
        let points = unsorted.sorted { $0.x < $1.x }
        let n = points.count
        var onesBefore = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { onesBefore[i + 1] = onesBefore[i] + (points[i].y ? 1 : 0) }
        let ones = onesBefore[n]
        var i = 0
        return ts.map { t in
            while i < n && points[i].x < t { i += 1 }
            return onesBefore[i] + (n - i) - (ones - onesBefore[i])
        }
    }

    /// One (n, |H|) point: the uniform deviation and ERM's excess risk of every draw.
    public struct Point: Codable, Sendable {
        var n: Int
        var classSize: Int
        var deviations: [Double]
        var excesses: [Double]
    }
}

extension PACBound: LiveMeasurement {
    public var name: String { "pac" }

    public func validate() throws {
        for (key, what, grid) in [("sizes", "sample sizes", sizes), ("classSizes", "class sizes", classSizes)] {
            guard !grid.isEmpty, grid.allSatisfy({ $0 >= 1 }), grid == grid.sorted(), Set(grid).count == grid.count
            else {
                throw GenLabError.parameter(
                    name: key,
                    problem: "(the \(what)) must be positive and increasing, got \(grid)")
            }
        }
        guard draws >= 20 else {
            throw GenLabError.parameter(
                name: "draws",
                problem: "must be ≥ 20 (a probability from fewer draws says little), got \(draws)")
        }
        guard delta > 0 && delta < 1 else {
            throw GenLabError.parameter(name: "delta", problem: "(δ) must be in (0, 1), got \(delta)")
        }
        guard epsilon > 0 && epsilon < 1 else {
            throw GenLabError.parameter(name: "epsilon", problem: "(ε) must be in (0, 1), got \(epsilon)")
        }
        guard labelNoise >= 0 && labelNoise < 0.5 else {
            throw GenLabError.usage("label noise η must be in [0, 0.5), got \(labelNoise)")
        }
        guard threshold >= 0 && threshold <= 1 else {
            throw GenLabError.usage("θ* must be in [0, 1], got \(threshold)")
        }
    }

    /// Draws `draws` training sets at every (n, |H|), in parallel; every true risk is exact.
    public func measure(_ context: RunContext) throws -> Measured<[Point]> {
        let grid = classSizes.flatMap { h in sizes.map { (n: $0, h: h) } }
        let cfg = self
        // Live: the class sizes whose every sample size has finished.
        let live = liveUnits(context, count: grid.count) { (done: [Point]) in
            let k = done.count / max(sizes.count, 1)
            guard k >= 1 else { return nil }
            var part = self
            part.classSizes = Array(classSizes.prefix(k))
            return (part, Array(done.prefix(k * sizes.count)), partialNote(k, of: classSizes.count, "class sizes"))
        }
        let points: [Point] = parallelMap(grid.count) { k in
            let (n, h) = grid[k]
            let ts = Self.thresholds(h)
            let risks = ts.map(cfg.trueRisk)
            var rng = Generator(seed: cfg.seed, stream: UInt64(k) + 1)
            var dev = [Double]()
            var exc = [Double]()
            for _ in 0..<cfg.draws {
                let d = cfg.draw(n: n, thresholds: ts, risks: risks, rng: &rng)
                dev.append(d.deviation)
                exc.append(d.excess)
            }
            let point = Point(n: n, classSize: h, deviations: dev, excesses: exc)
            live.finished(k, point)
            return point
        }
        context.progress.report("done", 1)
        return Measured(points)
    }

    /// The bounds against the measured rates and quantiles, from the draws alone.
    public func analyze(_ measured: Measured<[Point]>) -> ExperimentResult {
        let points = measured.outcomes
        // The measured (1 − δ) quantiles, one per point.
        let deviationQuantiles = points.map { Stats.orderQuantile($0.deviations, 1 - delta) }
        let (table, deviationEvents, excessEvents) = pacTable(points, quantiles: deviationQuantiles)
        let counts = points.map { _ in draws }
        let limits = points.map { _ in delta }
        let deviationRule = VerdictRules.probabilityAtMost(events: deviationEvents, draws: counts, limits: limits)
        let excessRule = VerdictRules.probabilityAtMost(events: excessEvents, draws: counts, limits: limits)
        let slacks = table.column("slack")
        let needs = sampleSizeNeeds(points, quantiles: deviationQuantiles)
        let verdicts = [
            Verdict(
                .theorem,
                claim:
                    "Hoeffding's inequality with the union bound holds: at every n and |H|, the uniform deviation "
                    + "sup_H |R̂ − R| exceeds ε_δ = √(log(2|H|/δ)/(2n)) with probability at most δ.",
                supported: deviationRule.supported,
                evidence: String(
                    format:
                        "%d draws per point, δ = %g, %d points: %@. The bound is loose: ε_δ is %.1f× to %.1f× the "
                        + "measured (1 − δ) quantile of the deviation. %@.",
                    draws, delta, points.count, deviationRule.reason, slacks.min()!, slacks.max()!,
                    needs.joined(separator: "; ")),
                values: deviationRule.values.merging(["slack_min": slacks.min()!, "slack_max": slacks.max()!]) { a, _ in
                    a
                }),
            Verdict(
                .theorem,
                claim:
                    "ERM's excess risk over the best hypothesis in H "
                    + "is at most 2ε_δ with probability at least 1 − δ.",
                supported: excessRule.supported,
                evidence: String(
                    format:
                        "%@; the measured (1 − δ) quantile of the excess risk "
                        + "reaches at most %.0f%% of 2ε_δ at the same point.",
                    excessRule.reason,
                    100 * zip(table.column("excess_quantile"), table.column("excess_bound")).map { $0 / $1 }.max()!),
                values: excessRule.values),
        ]
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: ["slack_min": JSONValue(slacks.min()!), "slack_max": JSONValue(slacks.max()!)],
            verdicts: verdicts, command: "", figures: figures, tables: [table], notes: measured.notes)
    }

    /// Each point's bound, measured quantiles and rates, and the draws beyond the bounds (the
    /// deviation beyond ε_δ, the excess risk beyond 2ε_δ) per point.
    func pacTable(_ points: [Point], quantiles deviationQuantiles: [Double]) -> (
        table: Table, deviationEvents: [Int], excessEvents: [Int]
    ) {
        var table = Table(
            name: "pac",
            columns: [
                "class_size", "n", "epsilon_delta", "deviation_quantile", "slack", "deviation_rate",
                "deviation_rate_upper",
                "excess_quantile", "excess_bound", "excess_rate",
            ])
        var deviationEvents = [Int]()
        var excessEvents = [Int]()
        for (p, dq) in zip(points, deviationQuantiles) {
            let eps = Self.deviationBound(classSize: p.classSize, n: p.n, delta: delta)
            let eq = Stats.orderQuantile(p.excesses, 1 - delta)
            let over = p.deviations.filter { $0 >= eps }.count
            let overExcess = p.excesses.filter { $0 >= 2 * eps }.count
            deviationEvents.append(over)
            excessEvents.append(overExcess)
            table.append([
                JSONValue(p.classSize), JSONValue(p.n), JSONValue(eps), JSONValue(dq), JSONValue(eps / max(dq, 1e-12)),
                JSONValue(Double(over) / Double(draws)),
                JSONValue(Stats.clopperPearson(successes: over, trials: draws).upper),
                JSONValue(eq), JSONValue(2 * eps), JSONValue(Double(overExcess) / Double(draws)),
            ])
        }
        return (table, deviationEvents, excessEvents)
    }

    /// The sample size for ε, per class size: the bound's, and the least n of the grid whose
    /// measured (1 − δ) quantile of the deviation (`quantiles`, one per point) is within ε.
    func sampleSizeNeeds(_ points: [Point], quantiles deviationQuantiles: [Double]) -> [String] {
        classSizes.map { h -> String in
            let bound = Self.sampleSize(classSize: h, epsilon: epsilon, delta: delta)
            let measured = points.indices.first { points[$0].classSize == h && deviationQuantiles[$0] <= epsilon }.map {
                points[$0].n
            }
            return String(
                format: "|H| = %d: the bound asks for n ≥ %.0f, the runs reach it by n = %@", h, bound.rounded(.up),
                measured.map(String.init) ?? "more than \(sizes.last!)")
        }
    }

    /// The bounds against the measured quantiles, per class size.
    var figures: [FigureSpec] {
        let series: [FigureSpec.Series] = classSizes.flatMap { h -> [FigureSpec.Series] in
            [
                .init(
                    y: "epsilon_delta", label: "ε_δ, |H| = \(h)", dashed: true, filterColumn: "class_size",
                    filterValue: String(h)),
                .init(
                    y: "deviation_quantile", label: "measured, |H| = \(h)", markers: true, filterColumn: "class_size",
                    filterValue: String(h)),
            ]
        }
        return [
            FigureSpec(
                file: "deviation.svg",
                title: "Uniform deviation: Hoeffding + union bound against the measured (1 − δ) quantile",
                table: "pac",
                x: "n",
                xLabel: "training samples n (δ = \(formatNumber(delta)), η = \(formatNumber(labelNoise)))",
                yLabel: "sup over H of |R̂ − R|", xLog: true, yLog: true, series: series),
            FigureSpec(
                file: "excess.svg", title: "ERM's excess risk: measured (1 − δ) quantile against 2ε_δ",
                table: "pac",
                x: "n", xLabel: "training samples n",
                yLabel: "R(ĥ) − min R", xLog: true, yLog: true,
                series: classSizes.flatMap { h -> [FigureSpec.Series] in
                    [
                        .init(
                            y: "excess_bound", label: "2ε_δ, |H| = \(h)", dashed: true, filterColumn: "class_size",
                            filterValue: String(h)),
                        .init(
                            y: "excess_quantile", label: "measured, |H| = \(h)", markers: true,
                            filterColumn: "class_size", filterValue: String(h)),
                    ]
                }),
        ]
    }
}
