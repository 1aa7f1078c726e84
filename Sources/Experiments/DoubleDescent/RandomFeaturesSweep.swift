import Datasets
import Foundation
import Learners
import LinearAlgebra

/// Model-wise double descent with random features (Belkin, Hsu, Ma & Mandal 2019): minimum-norm
/// least squares on one-hot targets, test error and ‖W‖ against the number of features N.
/// The interpolation threshold is N = n (each output is its own regression on N features).
public struct RandomFeaturesSweep: Codable, Sendable {
    public var data: String
    public var kind: RandomFeatures.Kind
    public var counts: [Int]
    public var seeds: Int

    public init(data: String = "mnist1d:train=1000,test=1000", kind: RandomFeatures.Kind = .relu, counts: [Int]? = nil, seeds: Int = 3) {
        self.data = data; self.kind = kind; self.counts = counts ?? []; self.seeds = seeds
    }

    struct Outcome: Codable, Sendable { var features: Int; var seed: Int; var testError: Double; var testMSE: Double; var trainMSE: Double; var norm: Double }

    public func run(_ split: DataSplit, command: String, checkpoint: String? = nil, progress: RunProgress = .silent) throws -> ExperimentResult {
        try validate()
        guard !split.train.isRegression else { throw GenLabError.usage("\(data): random-features double descent here needs class labels") }
        let n = split.train.count
        let grid = counts.isEmpty ? Self.defaultCounts(n: n) : counts
        let start = Timing.now()
        let x: Matrix<Double> = split.train.features.converted(), tx: Matrix<Double> = split.test.features.converted()
        let k = split.train.classCount
        var oneHot = Matrix<Double>(rows: n, cols: k)
        for (i, c) in split.train.labels.enumerated() { oneHot[i, c] = 1 }
        let y = oneHot
        let testLabels = split.test.labels, trainLabels = split.train.labels
        let points = grid.flatMap { f in (0..<seeds).map { (f, $0) } }
        let kind = self.kind
        let context = "random-features \(kind.rawValue) min-norm one-hot data=\(split.fingerprint)"
        let sweep = Sweep<(Int, Int), Outcome>(points: points, context: context, checkpoint: checkpoint) { "rf-\(kind.rawValue)-N\($0.0)-seed\($0.1)" }
        let swept = sweep.run(progress: { d, t in progress.report("\(d)/\(t) points", Double(d) / Double(t)) }) { (features, seed) in
            let rf = RandomFeatures(kind: kind, count: features, seed: UInt64(seed))
            let phi = rf.transform(x)
            guard let w = try? MinimumNorm.solve(phi, y) else {
                return Outcome(features: features, seed: seed, testError: .nan, testMSE: .nan, trainMSE: .nan, norm: .nan)
            }
            let testPred = matmul(rf.transform(tx), w), trainPred = matmul(phi, w)
            func mse(_ p: Matrix<Double>, _ labels: [Int]) -> Double {
                var s = 0.0
                for i in 0..<p.rows { for c in 0..<k { let t = labels[i] == c ? 1.0 : 0; s += (p[i, c] - t) * (p[i, c] - t) } }
                return s / Double(p.rows)
            }
            var wrong = 0
            for i in 0..<testPred.rows { if (0..<k).max(by: { testPred[i, $0] < testPred[i, $1] })! != testLabels[i] { wrong += 1 } }
            return Outcome(features: features, seed: seed, testError: Double(wrong) / Double(testPred.rows), testMSE: mse(testPred, testLabels),
                           trainMSE: mse(trainPred, trainLabels), norm: norm(w.storage))
        }
        let outcomes = swept.outcomes
        var table = Table(name: "random_features", columns: ["features", "test_error", "test_error_lower", "test_error_upper", "test_mse", "train_mse", "weight_norm"])
        var meanError = [Double](), meanMSE = [Double](), meanNorm = [Double]()
        for f in grid {
            let o = outcomes.filter { $0.features == f }
            let e = seeds > 1 ? Stats.tInterval(o.map(\.testError)) : Interval(estimate: o[0].testError, lower: o[0].testError, upper: o[0].testError, level: 0.95)
            let m = Stats.mean(o.map(\.testMSE)), nrm = Stats.mean(o.map(\.norm))
            table.append([JSONValue(f), JSONValue(e.estimate), JSONValue(e.lower), JSONValue(e.upper), JSONValue(m), JSONValue(Stats.mean(o.map(\.trainMSE))), JSONValue(nrm)])
            meanError.append(e.estimate); meanMSE.append(m); meanNorm.append(nrm)
        }
        // The grid point nearest the threshold N = n (in log ratio).
        let nearest = grid.indices.min { abs(log(Double(grid[$0]) / Double(n))) < abs(log(Double(grid[$1]) / Double(n))) }!
        let peakMSE = meanMSE.indices.max { meanMSE[$0] < meanMSE[$1] }!
        let peakNorm = meanNorm.indices.max { meanNorm[$0] < meanNorm[$1] }!
        func near(_ i: Int) -> Bool { abs(i - nearest) <= 1 }
        let verdicts = [
            Verdict(claim: "With random features, test error peaks where the model can first interpolate the training set (N ≈ n) and falls again as N grows.",
                    supported: near(peakMSE) && meanMSE.last! < meanMSE[peakMSE],
                    evidence: String(format: "Test MSE peaks at N = %d (n = %d; the grid point nearest n is N = %d): %.3g, against %.3g at N = %d. Test error there %.3f; at N = %d it is %.3f.",
                                     grid[peakMSE], n, grid[nearest], meanMSE[peakMSE], meanMSE.last!, grid.last!, meanError[peakMSE], grid.last!, meanError.last!),
                    values: ["peak_features": Double(grid[peakMSE]), "n": Double(n)]),
            Verdict(claim: "The norm of the minimum-norm solution peaks at the interpolation threshold too.",
                    supported: near(peakNorm),
                    evidence: String(format: "‖W‖ is largest at N = %d (%.3g); at N = %d it is %.3g.", grid[peakNorm], meanNorm[peakNorm], grid.last!, meanNorm.last!),
                    values: ["peak_norm_features": Double(grid[peakNorm])]),
        ]
        let figures = [
            FigureSpec(file: "random_features_error.svg", title: "Random \(kind.rawValue) features: test error against N", table: "random_features", x: "features",
                       xLabel: "random features N (n = \(n))", yLabel: "test error / test MSE", xLog: true, yLog: true,
                       series: [.init(y: "test_error", label: "test error (0-1)", lower: "test_error_lower", upper: "test_error_upper", markers: true),
                                .init(y: "test_mse", label: "test MSE", markers: true), .init(y: "train_mse", label: "train MSE", dashed: true)]),
            FigureSpec(file: "random_features_norm.svg", title: "Norm of the minimum-norm solution against N", table: "random_features", x: "features",
                       xLabel: "random features N (n = \(n))", yLabel: "‖W‖", xLog: true, yLog: true, series: [.init(y: "weight_norm", label: "‖W‖", markers: true)]),
        ]
        return ExperimentResult(experiment: "double-descent-random-features",
                                configuration: ["axis": "features", "data": JSONValue(data), "kind": JSONValue(kind.rawValue), "seeds": JSONValue(seeds),
                                                "features": .array(grid.map { JSONValue($0) })],
                                seed: 0, metrics: ["n": JSONValue(n), "peak_features": JSONValue(grid[peakMSE])], verdicts: verdicts, command: command,
                                figures: figures, tables: [table], seconds: Timing.now() - start, notes: swept.note.map { [$0] } ?? [])
    }

    /// Log-spaced from n/10 to 10n, with n itself and its neighbours.
    public static func defaultCounts(n: Int) -> [Int] {
        let ratios = [0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2, 3, 5, 10]
        return Array(Set(ratios.map { max(1, Int((Double(n) * $0).rounded())) })).sorted()
    }
}

extension RandomFeaturesSweep: Experiment {
    public var name: String { "double-descent-random-features" }
    public func validate() throws {
        guard seeds >= 1 else { throw GenLabError.usage("the seeds per point (--trials) must be ≥ 1, got \(seeds)") }
        guard counts == counts.sorted(), counts.allSatisfy({ $0 >= 1 }), Set(counts).count == counts.count else {
            throw GenLabError.usage("the feature counts (--grid) must be positive and increasing, got \(counts)")
        }
    }
    public func run(_ context: RunContext) throws -> ExperimentResult {
        try run(context.load(data, for: name), command: context.command, checkpoint: context.checkpoint, progress: context.progress)
    }
}
