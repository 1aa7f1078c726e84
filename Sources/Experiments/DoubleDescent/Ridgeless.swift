import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Ridgeless regression on isotropic features against the closed form of Hastie, Montanari,
/// Rosset & Tibshirani (2019): with γ = p/n, ‖β‖ = r and noise σ, the excess risk of the
/// minimum-norm least-squares fit tends to σ²γ/(1−γ) for γ < 1 and r²(1−1/γ) + σ²/(γ−1) for γ > 1.
public enum RidgelessTheory {
    public static func excessRisk(gamma: Double, signal r: Double, noise sigma: Double) -> Double {
        if gamma < 1 { return sigma * sigma * gamma / (1 - gamma) }
        if gamma > 1 { return r * r * (1 - 1 / gamma) + sigma * sigma / (gamma - 1) }
        return .infinity
    }
}

/// Ridgeless least squares on isotropic features (Hastie et al. 2019): the test error against γ = p/n, model-wise or
/// sample-wise, measured beside its closed form.
public struct RidgelessExperiment: Codable, Sendable {
    /// `features`: n fixed, p varies (model-wise). `samples`: p fixed (= `samples`), n varies
    /// (sample-wise: near n = p, more data hurts).
    public enum Axis: String, Codable, Sendable { case features, samples }
    /// features: the test error against γ = p/n at fixed n; samples: against n at fixed p.
    public var axis: Axis = .features
    /// Samples n (axis features), or the fixed feature count p (axis samples).
    public var samples: Int
    /// The grid of γ = p/n, increasing.
    public var gammas: [Double]
    /// Independent training sets per grid point.
    public var trials: Int
    /// Noise standard deviation σ of y = ⟨x, β⟩ + σε.
    public var noise: Double
    /// ‖β‖ = r, the signal strength.
    public var signal: Double
    /// Seed of β, the samples and the noise.
    public var seed: UInt64

    public init(
        samples: Int = 200,
        gammas: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.5, 2, 3, 5, 10],
        trials: Int = 60, noise: Double = 0.5, signal: Double = 1, seed: UInt64 = 0
    ) {
        self.samples = samples
        self.gammas = gammas
        self.trials = trials
        self.noise = noise
        self.signal = signal
        self.seed = seed
    }

    public func validate() throws {
        guard samples >= 2 else {
            throw GenLabError.parameter(name: "samples", problem: "must be ≥ 2, got \(samples)")
        }
        guard trials >= 2 else {
            throw GenLabError.parameter(
                name: "trials",
                problem: "must be ≥ 2 (K ≥ 2 for an interval), got \(trials)")
        }
        guard !gammas.isEmpty, gammas.allSatisfy({ $0 > 0 }), gammas == gammas.sorted() else {
            throw GenLabError.usage("the γ = p/n grid must be positive and increasing")
        }
        guard noise >= 0, signal >= 0 else { throw GenLabError.usage("noise and signal must be ≥ 0") }
    }

    /// The γ = p/n grid of the samples axis: dense around the threshold n = p, where more data hurts.
    public static let samplesAxisGammas: [Double] = [
        0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.25, 1.5, 2, 3, 5,
    ]

    /// One grid point: its γ, p and n, and the excess risk ‖β̂ − β‖² of each trial.
    public struct Point: Codable, Sendable {
        var gamma: Double
        var p: Int
        var n: Int
        var excess: [Double]
    }

    /// Fits `trials` training sets at every grid point (no data files: the features are drawn).
    public func measure(_ context: RunContext) throws -> Measured<[Point]> {
        try validate()
        let sigma = noise
        let r = signal
        let k = trials
        // (γ, n, p) per grid point; for the samples axis `samples` is the fixed p and n = p/γ.
        let grid: [(Double, Int, Int)] = gammas.map { g in
            axis == .features
                ? (g, samples, max(1, Int((g * Double(samples)).rounded())))
                : (g, max(1, Int((Double(samples) / g).rounded())), samples)
        }
        let live = liveUnits(context, count: grid.count) { (done: [Point]) in
            var part = self
            part.gammas = Array(gammas.prefix(done.count))
            return (part, done, partialNote(done.count, of: gammas.count, "ratios"))
        }
        let points: [Point] = parallelMap(grid.count) { i in
            let (gamma, n, p) = grid[i]
            var excess = [Double]()
            for t in 0..<k {
                var g = Generator(seed: seed, stream: UInt64(i) << 32 | UInt64(t))
                let beta = g.unitVector(p).map { $0 * r }
                let x = Matrix<Double>(rows: n, cols: p, storage: g.normalVector(n * p))
                let y = matvec(x, beta).map { $0 + sigma * g.normal() }
                let fit =
                    (try? MinimumNorm.solve(x, Matrix(rows: n, cols: 1, storage: y)).storage)
                    ?? [Double](repeating: .nan, count: p)
                // x isotropic: E(x·(β̂ − β))² = ‖β̂ − β‖² exactly, no test sample needed.
                excess.append(zip(fit, beta).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
            }
            let point = Point(gamma: gamma, p: p, n: n, excess: excess)
            live.finished(i, point)
            return point
        }
        context.progress.report("done", 1)
        return Measured(points)
    }

    /// The closed-form check, the peak and (samples axis) the rise, from the points alone.
    public func analyze(_ measured: Measured<[Point]>) -> ExperimentResult {
        let points = measured.outcomes
        let sigma = noise
        let (table, outside) = tabulate(points)
        let means = table.column("test_mse")
        // The closed form against each point's interval off the threshold (finite-n effects dominate within 0.25).
        let away = points.indices.filter { abs(points[$0].gamma - 1) >= 0.25 }
        let intervals = points.map { Stats.tInterval($0.excess.map { $0 + sigma * sigma }) }
        let theory = points.map {
            RidgelessTheory.excessRisk(gamma: $0.gamma, signal: signal, noise: sigma) + sigma * sigma
        }
        let agreement = VerdictRules.agreesWithClosedForm(
            intervals: away.map { intervals[$0] }, predicted: away.map { theory[$0] })
        // The peak, on a log scale (per trial), along the axis that varies: γ for features, n for samples.
        let xs = points.map { axis == .samples ? Double($0.n) : $0.gamma }
        let logCurve = VerdictRules.Curve(x: xs, samples: points.map { $0.excess.map { log($0 + sigma * sigma) } })
        let peak = VerdictRules.peakNear(logCurve, threshold: axis == .samples ? Double(samples) : 1, margin: log(1.25))
        let peakAt = points.indices.first { xs[$0] == peak.values["peak_x"] } ?? 0
        let peakValues: [String: Double] = ["peak_gamma": points[peakAt].gamma, "peak_test_mse": means[peakAt]]
        var verdicts = [
            Verdict(
                .theorem,
                claim: (axis == .samples ? "Sample-wise (p fixed, n varies): t" : "T")
                    + "he test error of ridgeless regression follows the closed form of Hastie et al. away from the "
                    + "interpolation threshold γ = p/n = 1.",
                supported: agreement.supported,
                evidence:
                    "The closed form lies inside the 95% interval of the measured test MSE at "
                    + "\(away.count - outside.count) of \(away.count) grid points with |γ − 1| ≥ 0.25 "
                    + "(\(trials) trials each, \(axis == .samples ? "p" : "n") = \(samples)); "
                    + agreement.reason
                    + (outside.isEmpty ? "." : "; outside: " + outside.joined(separator: "; ") + "."),
                values: agreement.values),
            Verdict(
                .theorem,
                claim: axis == .samples
                    ? "Sample-wise: test error peaks at n = p and falls again with more samples."
                    : "Test error peaks at the interpolation threshold "
                        + "γ = 1 and falls again beyond it (double descent).",
                supported: peak.supported,
                evidence: String(
                    format:
                        "Near the threshold the mean test MSE is largest at γ = %.3g: %.3g; at γ = %.3g it is %.3g. "
                        + "On a log scale the rise and fall are at least ×%.2f and ×%.2f (simultaneous 95%% "
                        + "bounds over %d trials): %@.",
                    points[peakAt].gamma, means[peakAt], points.last!.gamma, means.last!,
                    exp(peak.values["rise_lower"] ?? .nan),
                    exp(peak.values["fall_lower"] ?? .nan), trials, peak.reason),
                values: peak.values.merging(peakValues) { a, _ in a }),
        ]
        if axis == .samples {
            verdicts.append(moreDataHurtsVerdict(points, logCurve: logCurve, means: means, intervals: intervals))
        }
        return ExperimentResult(
            experiment: name, configuration: resultConfiguration,
            seed: seed, metrics: ["peak_gamma": JSONValue(points[peakAt].gamma)], verdicts: verdicts, command: "",
            figures: [figure], tables: [table], notes: measured.notes)
    }

    /// The configuration `analyze` records.
    var resultConfiguration: [String: JSONValue] {
        [
            "axis": JSONValue(axis.rawValue), "model": "ridgeless least squares",
            axis == .samples ? "p" : "n": JSONValue(samples), "trials": JSONValue(trials),
            "noise": JSONValue(noise), "signal": JSONValue(signal),
        ]
    }

    /// The measured test MSE with its interval beside the closed form, and the points (away from
    /// the threshold) whose interval misses it.
    func tabulate(_ points: [Point]) -> (Table, outside: [String]) {
        let sigma = noise
        var table = Table(
            name: "ridgeless",
            columns: ["gamma", "p", "n", "test_mse", "ci_lower", "ci_upper", "closed_form_test_mse", "trials"])
        var outside = [String]()
        for pt in points {
            let ci = Stats.tInterval(pt.excess.map { $0 + sigma * sigma })
            let theory = RidgelessTheory.excessRisk(gamma: pt.gamma, signal: signal, noise: sigma) + sigma * sigma
            table.append([
                JSONValue(pt.gamma), JSONValue(pt.p), JSONValue(pt.n), JSONValue(ci.estimate), JSONValue(ci.lower),
                JSONValue(ci.upper),
                theory.isFinite ? JSONValue(theory) : .null, JSONValue(trials),
            ])
            // "Away from γ = 1": finite-n effects dominate within 0.25 of the threshold.
            if abs(pt.gamma - 1) >= 0.25 {
                if !ci.contains(theory) {
                    outside.append(
                        String(
                            format: "γ=%.3g: %.3f [%.3f, %.3f] vs %.3f", pt.gamma, ci.estimate, ci.lower, ci.upper,
                            theory))
                }
            }
        }
        return (table, outside)
    }

    /// Sample-wise: going from n to a larger n' (both ≤ p), does the test error rise? (log scale, 10% counts)
    func moreDataHurtsVerdict(_ points: [Point], logCurve: VerdictRules.Curve, means: [Double], intervals: [Interval])
        -> Verdict
    {
        let ns = points.map(\.n)
        let xs = logCurve.x
        let pairs = points.indices.flatMap { a in
            points.indices.filter { ns[$0] > ns[a] && ns[$0] <= samples }.map { (a, $0) }
        }
        let rise = VerdictRules.someIncrease(logCurve, pairs: pairs, margin: log(1.1))
        let from = points.indices.first { xs[$0] == rise.values["from_x"] }
        let to = points.indices.first { xs[$0] == rise.values["to_x"] }
        return Verdict(
            .theorem,
            claim:
                "Near the interpolation threshold more data can hurt: with "
                + "p fixed, adding samples up to n = p raises the test error.",
            supported: rise.supported,
            evidence: (from != nil && to != nil
                ? String(
                    format: "With p = %d, n = %d gives test MSE %.3g [%.3g, %.3g] and n = %d gives %.3g [%.3g, %.3g]. ",
                    samples, ns[from!], means[from!], intervals[from!].lower, intervals[from!].upper,
                    ns[to!], means[to!], intervals[to!].lower, intervals[to!].upper) : "")
                + "Over the \(pairs.count) pairs n < n' ≤ p, on a log scale with simultaneous 95% bounds: "
                + rise.reason + ".",
            values: rise.values)
    }

    var figure: FigureSpec {
        axis == .samples
            ? FigureSpec(
                file: "ridgeless.svg", title: "Sample-wise: test error against n at fixed p = \(samples)",
                table: "ridgeless", x: "n",
                xLabel: "training samples n (p = \(samples) features)", yLabel: "test MSE", xLog: true, yLog: true,
                series: [
                    .init(
                        y: "test_mse", label: "measured (95% CI)", lower: "ci_lower", upper: "ci_upper", markers: true),
                    .init(y: "closed_form_test_mse", label: "closed form (Hastie et al.)", dashed: true),
                ])
            : FigureSpec(
                file: "ridgeless.svg", title: "Ridgeless regression: test error against γ = p/n", table: "ridgeless",
                x: "gamma",
                xLabel: "γ = p/n (features per sample)", yLabel: "test MSE", xLog: true, yLog: true,
                series: [
                    .init(
                        y: "test_mse", label: "measured (95% CI)", lower: "ci_lower", upper: "ci_upper", markers: true),
                    .init(y: "closed_form_test_mse", label: "closed form (Hastie et al.)", dashed: true),
                ])
    }
}

extension RidgelessExperiment: LiveMeasurement {
    public var name: String { axis == .samples ? "double-descent-samples" : "double-descent-ridgeless" }
}
