import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Model-wise double descent with random features (Belkin, Hsu, Ma & Mandal 2019): minimum-norm
/// least squares on one-hot targets, test error and ‖W‖ against the number of features N.
/// The interpolation threshold is N = n (each output is its own regression on N features).
public struct RandomFeaturesSweep: Codable, Sendable {
    /// Dataset spec, with class labels.
    public var data: String
    /// The random features: relu or fourier.
    public var kind: RandomFeatures.Kind
    /// Feature counts N, increasing (empty: a grid around the interpolation threshold N = n).
    public var counts: [Int]
    /// Seeds (feature draws) per point.
    public var seeds: Int

    public init(
        data: String = "mnist1d:train=1000,test=1000", kind: RandomFeatures.Kind = .relu, counts: [Int]? = nil,
        seeds: Int = 3
    ) {
        self.data = data
        self.kind = kind
        self.counts = counts ?? []
        self.seeds = seeds
    }

    /// One (N, seed) point.
    public struct Outcome: Codable, Sendable {
        var features: Int
        var seed: Int
        var testError: Double
        var testMSE: Double
        var trainMSE: Double
        var norm: Double
    }
    /// Every point, and the training-set size n the threshold N = n is drawn at.
    public struct Outcomes: Codable, Sendable {
        var n: Int
        var points: [Outcome]
    }

    /// The feature counts of the run on n training samples.
    func grid(n: Int) -> [Int] { counts.isEmpty ? Self.defaultCounts(n: n) : counts }

    /// Fits the minimum-norm solution at every (N, seed), each a content-addressed checkpoint.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, for: name)
        let progress = context.progress
        try validate()
        guard !split.train.isRegression else {
            throw GenLabError.usage("\(data): random-features double descent here needs class labels")
        }
        let n = split.train.count
        let x: Matrix<Double> = split.train.features.converted()
        let tx: Matrix<Double> = split.test.features.converted()
        let k = split.train.classCount
        var oneHot = Matrix<Double>(rows: n, cols: k)
        for (i, c) in split.train.labels.enumerated() { oneHot[i, c] = 1 }
        let y = oneHot
        let testLabels = split.test.labels
        let trainLabels = split.train.labels
        let points = grid(n: n).flatMap { f in (0..<seeds).map { (f, $0) } }
        let kind = self.kind
        let sweep = try Sweep<(Int, Int), Outcome>(
            points: points, of: self, recipe: "min-norm one-hot", data: split.fingerprint, in: context
        ) {
            "rf-\(kind.rawValue)-N\($0.0)-seed\($0.1)"
        }
        // Live: the feature counts of the grid whose every seed has finished.
        let counts = grid(n: n)
        let live = liveUnits(context, count: points.count) { (done: [Outcome]) in
            let k = done.count / seeds
            guard k >= 1 else { return nil }
            var part = self
            part.counts = Array(counts.prefix(k))
            return (
                part, Outcomes(n: n, points: Array(done.prefix(k * seeds))),
                partialNote(k, of: counts.count, "feature counts")
            )
        }
        let swept = try sweep.run(
            progress: { d, t in progress.report("\(d)/\(t) points", Double(d) / Double(t)) },
            finished: { live.finished($0, $1) }
        ) { (features, seed) in
            Self.fit(
                RandomFeatures(kind: kind, count: features, seed: UInt64(seed)), seed: seed, train: (x, y, trainLabels),
                test: (tx, testLabels))
        }
        return Measured(Outcomes(n: n, points: swept.outcomes), notes: swept.note.map { [$0] } ?? [])
    }

    /// The minimum-norm fit of one-hot targets `train.y` on the features of `rf`: its test error
    /// (by the argmax), test and training MSE against the one-hot labels, and ‖W‖ (NaN where the
    /// solve fails).
    static func fit(
        _ rf: RandomFeatures, seed: Int, train: (x: Matrix<Double>, y: Matrix<Double>, labels: [Int]),
        test: (x: Matrix<Double>, labels: [Int])
    ) -> Outcome {
        let phi = rf.transform(train.x)
        guard let w = try? MinimumNorm.solve(phi, train.y) else {
            return Outcome(features: rf.count, seed: seed, testError: .nan, testMSE: .nan, trainMSE: .nan, norm: .nan)
        }
        let testPred = matmul(rf.transform(test.x), w)
        let trainPred = matmul(phi, w)
        let k = train.y.cols
        func mse(_ p: Matrix<Double>, _ labels: [Int]) -> Double {
            var s = 0.0
            for i in 0..<p.rows {
                for c in 0..<k {
                    let t = labels[i] == c ? 1.0 : 0
                    s += (p[i, c] - t) * (p[i, c] - t)
                }
            }
            return s / Double(p.rows)
        }
        var wrong = 0
        for i in 0..<testPred.rows {
            if (0..<k).max(by: { testPred[i, $0] < testPred[i, $1] })! != test.labels[i] { wrong += 1 }
        }
        return Outcome(
            features: rf.count, seed: seed, testError: Double(wrong) / Double(testPred.rows),
            testMSE: mse(testPred, test.labels), trainMSE: mse(trainPred, train.labels), norm: norm(w.storage))
    }

    /// Means over seeds per N: (test error with its interval, test MSE, ‖W‖), and the table.
    func tabulate(_ outcomes: [Outcome], grid: [Int]) -> (Table, error: [Double], mse: [Double], norm: [Double]) {
        var table = Table(
            name: "random_features",
            columns: [
                "features", "test_error", "test_error_lower", "test_error_upper", "test_mse", "train_mse",
                "train_mse_floored", "weight_norm",
            ])
        var meanError = [Double]()
        var meanMSE = [Double]()
        var meanNorm = [Double]()
        for f in grid {
            let o = outcomes.filter { $0.features == f }
            let e =
                seeds > 1
                ? Stats.tInterval(o.map(\.testError))
                : Interval(estimate: o[0].testError, lower: o[0].testError, upper: o[0].testError, level: 0.95)
            let m = Stats.mean(o.map(\.testMSE))
            let nrm = Stats.mean(o.map(\.norm))
            // Interpolating fits have training MSE at rounding level (1e-25): the figure draws it on
            // a floor so that its log axis shows the test curves; the CSV keeps the value.
            let trainMSE = Stats.mean(o.map(\.trainMSE))
            table.append([
                JSONValue(f), JSONValue(e.estimate), JSONValue(e.lower), JSONValue(e.upper), JSONValue(m),
                JSONValue(trainMSE),
                JSONValue(max(trainMSE, Self.trainMSEFloor)), JSONValue(nrm),
            ])
            meanError.append(e.estimate)
            meanMSE.append(m)
            meanNorm.append(nrm)
        }
        return (table, meanError, meanMSE, meanNorm)
    }

    /// The peaks at N = n and the widest model against the under-parameterized ones, from the outcomes alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let outcomes = measured.outcomes.points
        let n = measured.outcomes.n
        let grid = grid(n: n)
        let (table, meanError, meanMSE, meanNorm) = tabulate(outcomes, grid: grid)
        // On a log scale (the peak spans orders of magnitude; the scatter is closer to constant there),
        // a bump counts from 25% up.
        func logCurve(_ value: (Outcome) -> Double) -> VerdictRules.Curve {
            VerdictRules.Curve(
                x: grid.map(Double.init),
                samples: grid.map { f in outcomes.filter { $0.features == f }.map { log(value($0)) } })
        }
        let mse = VerdictRules.peakNear(logCurve(\.testMSE), threshold: Double(n), margin: log(1.25))
        let weights = VerdictRules.peakNear(logCurve(\.norm), threshold: Double(n), margin: log(1.25))
        let peakN = mse.values["peak_x"] ?? .nan
        // Belkin et al.'s main point: the widest interpolating fit beats every under-parameterized
        // one (N < n), judged for the 0-1 error and for the MSE apart — they need not agree.
        let under = grid.indices.filter { grid[$0] < n }
        // The bounds pool the scatter of the compared points alone: near N = n the seeds' log MSE
        // spreads about a hundred times wider than elsewhere (sd 1.2 against 0.01 at 10 seeds), and
        // pooled over the whole curve that spike decided every comparison's width. Changed on
        // 2026-12-07 after the MSE verdict had come out inconclusive at quick (3 and 10 seeds); it
        // now comes out not supported there.
        let compared = under + [grid.count - 1]
        // One seed has no scatter of its own: it comes from the whole curve's roughness, which a
        // curve of the compared points alone would not show.
        func beats(_ curve: VerdictRules.Curve) -> RuleOutcome {
            guard grid.last! > n else {
                return RuleOutcome(supported: nil, values: [:], reason: "the grid does not reach past N = n")
            }
            guard curve.replicates > 1 else {
                return VerdictRules.lowerThanAll(curve, point: grid.count - 1, others: under)
            }
            return VerdictRules.lowerThanAll(
                curve.restricted(to: compared), point: compared.count - 1, others: Array(under.indices))
        }
        let errorCurve = VerdictRules.Curve(
            x: grid.map(Double.init), samples: grid.map { f in outcomes.filter { $0.features == f }.map(\.testError) })
        let curves = Curves(grid: grid, n: n, error: meanError, mse: meanMSE, norm: meanNorm)
        let verdicts =
            widestVerdicts(curves, under: under, error: beats(errorCurve), mse: beats(logCurve(\.testMSE)))
            + peakVerdicts(curves, mse: mse, weights: weights)
        return ExperimentResult(
            experiment: name,
            configuration: [
                "axis": "features", "data": JSONValue(data), "kind": JSONValue(kind.rawValue),
                "seeds": JSONValue(seeds),
                "features": .array(grid.map { JSONValue($0) }),
            ],
            seed: 0, metrics: ["n": JSONValue(n), "peak_features": peakN.isFinite ? JSONValue(peakN) : .null],
            verdicts: verdicts, command: "",
            figures: figures(n: n), tables: [table], notes: measured.notes)
    }

    /// The grid, n, and the curves of means over seeds that the verdicts quote.
    struct Curves {
        var grid: [Int]
        var n: Int
        var error: [Double]
        var mse: [Double]
        var norm: [Double]
    }

    var scatter: String { seeds > 1 ? "\(seeds) seeds" : "one seed, scatter from the curve's roughness" }

    /// The widest interpolating model against every under-parameterized one, for the 0-1 error and the MSE.
    func widestVerdicts(_ c: Curves, under: [Int], error wideError: RuleOutcome, mse wideMSE: RuleOutcome) -> [Verdict]
    {
        let grid = c.grid
        let bestUnder = { (v: [Double]) -> (Int, Double) in
            under.map { (grid[$0], v[$0]) }.min { $0.1 < $1.1 } ?? (0, .nan)
        }
        let (eN, eV) = bestUnder(c.error)
        let (mN, mV) = bestUnder(c.mse)
        return [
            Verdict(
                .finding,
                claim:
                    "The widest interpolating model (N = \(grid.last!)) has lower test error (0-1) than every "
                    + "under-parameterized one (N < n).",
                supported: wideError.supported,
                evidence: String(
                    format:
                        "Test error %.4f at N = %d against the best under-parameterized %.4f at N = %d (n = %d; "
                        + "simultaneous 95%% bounds, %@): %@.",
                    c.error.last!, grid.last!, eV, eN, c.n, scatter, wideError.reason),
                values: wideError.values),
            Verdict(
                .finding,
                claim:
                    "The widest interpolating model (N = \(grid.last!)) has lower test MSE than every "
                    + "under-parameterized one (N < n).",
                supported: wideMSE.supported,
                evidence: String(
                    format:
                        "Test MSE %.4g at N = %d against the best under-parameterized %.4g at N = %d (compared on a "
                        + "log scale, simultaneous 95%% bounds, %@): %@.%@",
                    c.mse.last!, grid.last!, mV, mN, scatter, wideMSE.reason,
                    wideError.supported != wideMSE.supported
                        ? " The two losses disagree here: the argmax of a one-hot least-squares fit can improve while "
                            + "its squared error does not."
                        : ""),
                values: wideMSE.values),
        ]
    }

    /// The peaks of test MSE and of ‖W‖ near N = n.
    func peakVerdicts(_ c: Curves, mse: RuleOutcome, weights: RuleOutcome) -> [Verdict] {
        let grid = c.grid
        let n = c.n
        let peakN = mse.values["peak_x"] ?? .nan
        let normN = weights.values["peak_x"] ?? .nan
        let at = { (x: Double) -> Int in grid.firstIndex { Double($0) == x } ?? 0 }
        return [
            Verdict(
                .finding,
                claim:
                    "With random features, test error peaks where the model can first interpolate the training set (N "
                    + "≈ n) and falls again as N grows.",
                supported: mse.supported,
                evidence: !peakN.isFinite
                    ? String(
                        format: "No peak near N = n = %d could be located on this grid of %d points: %@.", n,
                        grid.count, mse.reason)
                    : String(
                        format:
                            "Near N = n = %d the test MSE is largest at N = %.0f: %.3g (test error %.3f), against %.3g "
                            + "at N = %d (test error %.3f). On a log scale, with simultaneous 95%% bounds (%@), "
                            + "the rise and fall are at least ×%.2f and ×%.2f: %@.",
                        n, peakN, c.mse[at(peakN)], c.error[at(peakN)], c.mse.last!, grid.last!, c.error.last!, scatter,
                        exp(mse.values["rise_lower"] ?? .nan), exp(mse.values["fall_lower"] ?? .nan), mse.reason),
                values: mse.values.merging(["n": Double(n)]) { a, _ in a }),
            Verdict(
                .finding, claim: "The norm of the minimum-norm solution peaks at the interpolation threshold too.",
                supported: weights.supported,
                evidence: !normN.isFinite
                    ? String(
                        format: "No peak of ‖W‖ near N = n = %d could be located on this grid of %d points: %@.", n,
                        grid.count, weights.reason)
                    : String(
                        format:
                            "Near N = n, ‖W‖ is largest at N = %.0f (%.3g); at N = %d it is %.3g. Rise and fall at "
                            + "least ×%.2f and ×%.2f: %@.",
                        normN, c.norm[at(normN)], grid.last!, c.norm.last!, exp(weights.values["rise_lower"] ?? .nan),
                        exp(weights.values["fall_lower"] ?? .nan), weights.reason),
                values: weights.values),
        ]
    }

    func figures(n: Int) -> [FigureSpec] {
        [
            FigureSpec(
                file: "random_features_error.svg", title: "Random \(kind.rawValue) features: test error against N",
                table: "random_features", x: "features",
                xLabel: "random features N (n = \(n))", yLabel: "test error / test MSE", xLog: true, yLog: true,
                series: [
                    .init(
                        y: "test_error", label: "test error (0-1)", lower: "test_error_lower",
                        upper: "test_error_upper", markers: true),
                    .init(y: "test_mse", label: "test MSE", markers: true),
                    .init(y: "train_mse_floored", label: "train MSE (floored at 1e-8)", dashed: true),
                ]),
            FigureSpec(
                file: "random_features_norm.svg", title: "Norm of the minimum-norm solution against N",
                table: "random_features", x: "features",
                xLabel: "random features N (n = \(n))", yLabel: "‖W‖", xLog: true, yLog: true,
                series: [.init(y: "weight_norm", label: "‖W‖", markers: true)]),
        ]
    }

    /// The figure's floor for training MSE: below it is rounding.
    static let trainMSEFloor = 1e-8

    /// Log-spaced from n/10 to 10n, with n itself and its neighbours.
    public static func defaultCounts(n: Int) -> [Int] {
        let ratios = [0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2, 3, 5, 10]
        return Array(Set(ratios.map { max(1, Int((Double(n) * $0).rounded())) })).sorted()
    }
}

extension RandomFeaturesSweep: LiveMeasurement, PointwiseExperiment {
    public static let perPointFields: Set<String> = ["counts", "seeds"]
    public var name: String { "double-descent-random-features" }
    public func validate() throws {
        guard seeds >= 1 else {
            throw GenLabError.parameter(name: "seeds", problem: "(per point) must be ≥ 1, got \(seeds)")
        }
        guard counts == counts.sorted(), counts.allSatisfy({ $0 >= 1 }), Set(counts).count == counts.count else {
            throw GenLabError.parameter(
                name: "counts",
                problem: "(the feature counts) must be positive and increasing, got \(counts)")
        }
    }
}
