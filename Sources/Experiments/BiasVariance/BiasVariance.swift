import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// The squared-loss decomposition over training sets, E[(y − f̂(x))²] = Bias² + Var + σ²
/// (expectations over training sets D, test points x and the noise of y):
/// f̄(x) = E_D f̂_D(x) (the main prediction), Bias² = E_x (f̄(x) − f(x))², Var = E_x E_D (f̂_D(x) −
/// f̄(x))².
/// With K training sets and the known f and σ the identity holds exactly for the unbiased
/// estimates (see `row`); we check it at every capacity. The "measured" total uses fresh
/// noisy test labels, so it agrees with the decomposition only up to the noise draws: compared
/// per training set (measured − expected, which has mean 0 exactly when the noise is σ² on
/// average), where the spread across training sets cancels and the check has power.
public struct BiasVarianceExperiment: Codable, Sendable {
    /// The capacity that varies along the curve.
    public enum Axis: String, Codable, Sendable, CaseIterable {
        /// Legendre polynomials of degree ≤ d (d + 1 features), minimum-norm least squares.
        case degree
        /// Random ReLU features, minimum-norm least squares.
        case features
        /// One-hidden-layer ReLU network of width h, trained by full-batch Adam on the squared
        /// loss until it fits (training MSE ≤ 1e-4·Var(y)) or 3,000 steps.
        case width
    }
    /// The capacity along the curve: degree (Legendre polynomials), features (random ReLU features) or width (a trained
    /// network).
    public var axis: Axis
    /// The regression problem y = f(x) + ε with f known exactly, so bias and variance are computed, not estimated.
    public var regression: Regression
    /// Capacities along the axis (degrees, feature counts or widths), increasing.
    public var capacities: [Int]
    /// Independent training sets K per capacity.
    public var trials: Int
    /// Test points the decomposition averages over.
    public var testPoints: Int
    /// Seed of the training sets and the random features.
    public var seed: UInt64

    public init(
        axis: Axis = .features, regression: Regression = BiasVarianceExperiment.defaultRegression,
        capacities: [Int]? = nil, trials: Int = 50,
        testPoints: Int = 500, seed: UInt64 = 0
    ) {
        self.axis = axis
        self.regression = regression
        self.trials = trials
        self.testPoints = testPoints
        self.seed = seed
        let n = regression.trainCount
        self.capacities =
            capacities
            ?? (axis == .degree
                ? Array(0...(2 * n)).filter { $0 < 6 || $0 % 2 == 0 || abs($0 + 1 - n) <= 2 }
                : Array(
                    Set(
                        [2, 4, 8, 16, 24, 32, 36, 40, 44, 48, 60, 80, 120, 200, 400, 1000, 3000].map {
                            max(1, $0 * n / 40)
                        })
                ).sorted())
    }

    public static var defaultRegression: Regression {
        // Five inputs: with one, random ReLU features are nearly collinear and the picture is noise.
        var r = Regression()
        r.function = .sin
        r.trainCount = 40
        r.noise = 0.3
        r.dimension = 5
        return r
    }

    public func validate() throws {
        guard trials >= 2 else {
            throw GenLabError.parameter(name: "trials", problem: "(K) must be ≥ 2, got \(trials)")
        }
        guard !capacities.isEmpty, capacities == capacities.sorted(), Set(capacities).count == capacities.count,
            capacities.first! >= 0
        else {
            throw GenLabError.usage("the capacity grid must be increasing and non-negative, got \(capacities)")
        }
        if axis != .degree && capacities.first! < 1 {
            throw GenLabError.usage("feature counts and widths must be ≥ 1")
        }
        guard regression.noise >= 0 else { throw GenLabError.usage("noise σ must be ≥ 0") }
    }

    /// Legendre polynomials P₀…P_d at each x (of the mean input), by the three-term recurrence.
    static func legendre(_ x: Matrix<Double>, degree d: Int) -> Matrix<Double> {
        var phi = Matrix<Double>(rows: x.rows, cols: d + 1)
        for i in 0..<x.rows {
            let t = (0..<x.cols).reduce(0) { $0 + x[i, $1] } / Double(x.cols)
            var p0 = 1.0
            var p1 = t
            phi[i, 0] = 1
            if d >= 1 { phi[i, 1] = t }
            if d >= 2 {
                for k in 2...d {
                    let p2 = (Double(2 * k - 1) * t * p1 - Double(k - 1) * p0) / Double(k)
                    phi[i, k] = p2
                    p0 = p1
                    p1 = p2
                }
            }
        }
        return phi
    }

    /// A d→h→1 ReLU network fitted to (x, y) by full-batch Adam; its predictions at `test`.
    /// Also returns whether the network fitted its training set.
    static func trainedNetworkPredictions(
        width h: Int, x: Matrix<Double>, y: [Double], test: Matrix<Double>, seed: UInt64
    ) -> (predictions: [Double], fitted: Bool) {
        guard
            let net = try? Network<Double>(
                input: (x.cols, 1), hidden: [.dense(outputs: h), .relu], outputs: 1, loss: .meanSquaredError,
                initialization: .he, seed: seed)
        else { return ([Double](repeating: .nan, count: test.rows), false) }
        let opt = Optimizer<Double>(
            OptimizerConfig(kind: .adam, learningRate: 0.01, momentum: 0), parameterCount: net.parameterCount)
        let target = 1e-4 * max(Stats.variance(y), 1e-12)
        var fitted = false
        for _ in 0..<3000 {
            let loss = x.storage.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    net.lossAndGradient(
                        Batch(x: xp.baseAddress!, labels: nil, targets: yp.baseAddress!, count: x.rows), training: true)
                }
            }
            if !loss.isFinite { break }
            if loss <= target {
                fitted = true
                break
            }
            net.apply(opt, learningRate: 0.01)
        }
        let predictions = test.storage.withUnsafeBufferPointer { tp in
            let z = net.forward(tp.baseAddress!, batch: test.rows, training: false)
            return (0..<test.rows).map { z[$0] }
        }
        return (predictions, fitted)
    }

    /// One capacity's measurement over the K training sets: what the decomposition needs of the
    /// K×m predictions, which are not kept (they would be megabytes at quick scale). Per training
    /// set its variance contribution, its expected error (known f and σ) and its error measured
    /// on fresh noisy labels; the plug-in bias² and the bootstrap bounds of the unbiased bias²,
    /// which resample the predictions themselves.
    public struct Capacity: Codable, Sendable {
        var capacity: Int
        /// Training sets whose fit interpolated (always all of them for the least-squares axes).
        var fits: Int
        var plugInBias2: Double
        var bias2Lower: Double, bias2Upper: Double
        var perSetVariance: [Double], perSetTotal: [Double], measuredPerSet: [Double]
    }

    /// The test inputs, f there, and the K training sets: everything the fits at one capacity share.
    struct Problem: Sendable {
        var test: Matrix<Double>
        var f: [Double]
        var sets: [(x: Matrix<Double>, y: [Double])]
    }

    /// Fits the K training sets at every capacity, in parallel; publishes the finished prefix of
    /// the grid as a run on that shorter grid.
    public func measure(_ context: RunContext) throws -> Measured<[Capacity]> {
        let reg = regression
        let m = testPoints
        // Test inputs spread over the input range; f known exactly there.
        let tx = reg.draw(m, stream: 1_000_000).features.converted(to: Double.self)
        let problem = Problem(
            test: tx, f: (0..<m).map { reg.f(tx.row($0)) },
            sets: (0..<trials).map { t in
                let d = reg.draw(reg.trainCount, stream: UInt64(t) + 10 * seed)
                return (d.features.converted(), d.targets)
            })
        let live = liveUnits(context, count: capacities.count) { (done: [Capacity]) in
            var part = self
            part.capacities = Array(capacities.prefix(done.count))
            return (part, done, partialNote(done.count, of: capacities.count, "capacities"))
        }
        let measured: [Capacity] = parallelMap(capacities.count) { ci in
            let c = measureCapacity(ci, problem)
            live.finished(ci, c)
            return c
        }
        context.progress.report("done", 1)
        return Measured(measured)
    }

    /// The K fits' predictions at the test inputs, and how many of the fits interpolated.
    func predictions(capacity c: Int, _ problem: Problem) -> (predictions: [[Double]], fits: Int) {
        var preds = [[Double]]()
        var fits = 0
        let tx = problem.test
        for (t, (x, y)) in problem.sets.enumerated() {
            if axis == .width {
                let r = Self.trainedNetworkPredictions(width: c, x: x, y: y, test: tx, seed: UInt64(t))
                preds.append(r.predictions)
                if r.fitted { fits += 1 }
                continue
            }
            fits += 1  // minimum-norm least squares interpolates once it has ≥ n features
            let phi: Matrix<Double>
            let tphi: Matrix<Double>
            if axis == .degree {
                phi = Self.legendre(x, degree: c)
                tphi = Self.legendre(tx, degree: c)
            } else {
                let rf = RandomFeatures(kind: .relu, count: c, seed: 7)
                phi = rf.transform(x)
                tphi = rf.transform(tx)
            }
            let w =
                (try? MinimumNorm.solve(phi, Matrix(rows: y.count, cols: 1, storage: y)).storage)
                ?? [Double](repeating: .nan, count: phi.cols)
            preds.append(matvec(tphi, w))
        }
        return (preds, fits)
    }

    /// Capacity `ci`'s fits, reduced to the per-training-set numbers of `Capacity`.
    func measureCapacity(_ ci: Int, _ problem: Problem) -> Capacity {
        let (preds, fits) = predictions(capacity: capacities[ci], problem)
        let sigma = regression.noise
        let k = trials
        let m = testPoints
        let fx = problem.f
        let main = (0..<m).map { j in preds.reduce(0) { $0 + $1[j] } / Double(k) }
        // The plug-in (f̄_K − f)² overstates bias² by Var/K (the main prediction is itself an
        // average of K noisy fits; near the threshold that term dominates); `row` removes it.
        let plugInBias2 = (0..<m).reduce(0) { $0 + (main[$1] - fx[$1]) * (main[$1] - fx[$1]) } / Double(m)
        let kk = Double(k)
        let perSetVariance = preds.map { p in
            (0..<m).reduce(0) { $0 + (p[$1] - main[$1]) * (p[$1] - main[$1]) } / Double(m) * kk / (kk - 1)
        }
        let perSetTotal = preds.map { p in
            (0..<m).reduce(0) { $0 + (p[$1] - fx[$1]) * (p[$1] - fx[$1]) } / Double(m) + sigma * sigma
        }
        // Measured with noisy test labels y = f(x) + ε.
        // Fresh noise per capacity: the capacities' checks are independent, as the binomial count of misses assumes.
        var tg = Generator(seed: seed, stream: 999 + UInt64(ci))
        let noiseDraws = (0..<(k * m)).map { _ in sigma * tg.normal() }
        let measuredPerSet = preds.enumerated().map { (t, p) in
            (0..<m).reduce(0.0) {
                let r = fx[$1] + noiseDraws[t * m + $1] - p[$1]
                return $0 + r * r
            } / Double(m)
        }
        let boot = Stats.bootstrapInterval(Array(0..<k).map(Double.init), resamples: 200, seed: UInt64(ci)) { idx in
            let sets = idx.map { Int($0) }
            var b = 0.0
            var v = 0.0
            for j in 0..<m {
                let mm = sets.reduce(0) { $0 + preds[$1][j] } / Double(sets.count)
                b += (mm - fx[j]) * (mm - fx[j])
                v += sets.reduce(0) { $0 + (preds[$1][j] - mm) * (preds[$1][j] - mm) }
            }
            // The same unbiased bias² as `row`, on the resample.
            return b / Double(m) - v / Double(m) / (kk - 1) / kk
        }
        return Capacity(
            capacity: capacities[ci], fits: fits, plugInBias2: plugInBias2,
            bias2Lower: boot.lower, bias2Upper: boot.upper,
            perSetVariance: perSetVariance, perSetTotal: perSetTotal, measuredPerSet: measuredPerSet)
    }

    struct Row: Sendable {
        var capacity: Int
        var fittedFraction: Double
        var bias2: Double
        var variance: Double
        var total: Double
        var totalCI: Interval
        var varianceCI: Interval
        var bias2CI: Interval
        var measured: Interval
        /// Per training set, the error measured with noisy labels minus that set's expected error (mean 0 by the
        /// identity).
        var measuredMinusExpected: Interval
        var identityError: Double
        /// Per training set: its contribution to the variance and its total error (the replicates of the verdicts).
        var perSetVariance: [Double]
        var perSetTotal: [Double]
    }

    /// One capacity's decomposition. The unbiased pair Bias² = plug-in − v/(K−1), Var = v·K/(K−1)
    /// keeps the identity exact.
    func row(_ c: Capacity) -> Row {
        let sigma = regression.noise
        let kk = Double(c.perSetTotal.count)
        let variance = c.perSetVariance.reduce(0, +) / kk
        let bias2 = c.plugInBias2 - variance / kk
        let total = c.perSetTotal.reduce(0, +) / kk
        return Row(
            capacity: c.capacity, fittedFraction: Double(c.fits) / kk,
            bias2: bias2, variance: variance, total: total,
            totalCI: Stats.tInterval(c.perSetTotal), varianceCI: Stats.tInterval(c.perSetVariance),
            bias2CI: Interval(estimate: bias2, lower: c.bias2Lower, upper: c.bias2Upper, level: 0.95),
            measured: Stats.tInterval(c.measuredPerSet),
            measuredMinusExpected: Stats.tInterval(zip(c.measuredPerSet, c.perSetTotal).map { $0 - $1 }),
            identityError: abs(total - (bias2 + variance + sigma * sigma)) / max(total, 1e-300),
            perSetVariance: c.perSetVariance, perSetTotal: c.perSetTotal)
    }

    /// Parameters of the fit at capacity c: Legendre degree + 1, network weights, or features.
    func parameters(_ c: Int) -> Int {
        axis == .degree ? c + 1 : (axis == .width ? c * (regression.dimension + 2) + 1 : c)
    }

    /// The decomposition, its three verdicts and the figure, from the measured capacities alone.
    public func analyze(_ measured: Measured<[Capacity]>) -> ExperimentResult {
        let rows = measured.outcomes.map(row)
        let verdicts = [identityVerdict(rows), classicalVerdict(rows), varianceVerdict(rows)]
        let n = regression.trainCount
        let peakParams = Int(verdicts[2].values["peak_parameters"]!)
        let xLabel =
            axis == .degree
            ? "parameters (Legendre degree + 1; n = \(n))"
            : (axis == .width ? "network parameters (width h; n = \(n))" : "random ReLU features (n = \(n))")
        let figure = FigureSpec(
            file: "bias_variance.svg", title: "Bias², variance and test error against capacity",
            table: "bias_variance",
            x: "parameters",
            xLabel: xLabel, yLabel: "squared error", xLog: axis == .features, yLog: true,
            series: [
                .init(y: "bias2", label: "bias²", lower: "bias2_lower", upper: "bias2_upper", markers: true),
                .init(
                    y: "variance", label: "variance", lower: "variance_lower", upper: "variance_upper", markers: true),
                .init(y: "total", label: "total = bias² + var + σ²", lower: "total_lower", upper: "total_upper"),
                .init(y: "noise", label: "σ²", dashed: true),
            ])
        // The configuration is the experiment value itself (`execute` records it).
        let metrics = [
            "worst_identity_error": JSONValue(rows.map(\.identityError).max()!),
            "variance_peak_parameters": JSONValue(peakParams),
        ]
        return ExperimentResult(
            experiment: "bias-variance", configuration: [:], seed: seed, metrics: metrics,
            verdicts: verdicts, command: "", figures: [figure], tables: [table(rows)], seconds: 0
        )
        .noting(measured.notes)
    }

    func table(_ rows: [Row]) -> Table {
        let sigma = regression.noise
        var table = Table(
            name: "bias_variance",
            columns: [
                "capacity", "parameters", "bias2", "bias2_lower", "bias2_upper", "variance", "variance_lower",
                "variance_upper",
                "noise", "total", "total_lower", "total_upper", "measured_test_mse", "measured_lower", "measured_upper",
                "measured_minus_expected", "measured_minus_expected_lower",
                "measured_minus_expected_upper", "identity_relative_error",
            ])
        for r in rows {
            table.append([
                JSONValue(r.capacity), JSONValue(parameters(r.capacity)), JSONValue(r.bias2),
                JSONValue(r.bias2CI.lower), JSONValue(r.bias2CI.upper),
                JSONValue(r.variance), JSONValue(r.varianceCI.lower), JSONValue(r.varianceCI.upper),
                JSONValue(sigma * sigma),
                JSONValue(r.total), JSONValue(r.totalCI.lower), JSONValue(r.totalCI.upper),
                JSONValue(r.measured.estimate), JSONValue(r.measured.lower),
                JSONValue(r.measured.upper), JSONValue(r.measuredMinusExpected.estimate),
                JSONValue(r.measuredMinusExpected.lower),
                JSONValue(r.measuredMinusExpected.upper), JSONValue(r.identityError),
            ])
        }
        return table
    }

    /// The identity at every capacity, and the decomposition against the error measured on fresh
    /// noisy labels, paired by training set: the difference's interval should hold 0 (the
    /// agreement rule counts the misses).
    func identityVerdict(_ rows: [Row]) -> Verdict {
        let sigma = regression.noise
        let worstIdentity = rows.map(\.identityError).max()!
        let measuredAgreement = VerdictRules.agreesWithClosedForm(
            intervals: rows.map(\.measuredMinusExpected), predicted: rows.map { _ in 0 })
        let measuredInside = rows.filter { $0.measuredMinusExpected.contains(0) }.count
        let widest = rows.map { $0.measuredMinusExpected.upper - $0.measuredMinusExpected.lower }.max()! / 2
        return Verdict(
            .theorem, claim: "For squared loss the expected test error is exactly bias² + variance + noise σ².",
            supported: VerdictRules.holds(worstIdentity, atMost: 1e-9, what: "the largest identity error").supported
                == true ? measuredAgreement.supported : false,
            evidence: String(
                format:
                    "At every one of the %d capacities the decomposition matches the total to %.1e (relative, worst "
                    + "case); measured with fresh noisy labels, each training set's error minus its expected error "
                    + "has a 95%% interval holding 0 at %d of %d capacities "
                    + "(half-widths up to %.2g, against σ² = %.3g; %@).",
                rows.count, worstIdentity, measuredInside, rows.count, widest, sigma * sigma, measuredAgreement.reason),
            values: ["worst_identity_error": worstIdentity, "measured_agreeing": Double(measuredInside)])
    }

    /// The classical regime, capacities with fewer parameters than samples: bias falls,
    /// variance rises, and the total traces a U.
    func classicalVerdict(_ rows: [Row]) -> Verdict {
        let n = regression.trainCount
        let sigma = regression.noise
        let under = rows.filter { parameters($0.capacity) < n }
        let caps = under.map { Double($0.capacity) }
        let biasTrend = VerdictRules.monotoneTrend(x: caps, y: under.map(\.bias2), direction: -1)
        let varianceTrend = VerdictRules.monotoneTrend(x: caps, y: under.map(\.variance), direction: 1)
        // The U: some capacity inside the range with a total error below both ends (a peak of −total),
        // paired by training set (every capacity is fitted to the same K training sets),
        // 2% of the noise floor σ² being the least dip that matters.
        let valley = VerdictRules.interiorPeak(
            VerdictRules.Curve(x: caps, samples: under.map { $0.perSetTotal.map { -$0 } }, paired: true),
            margin: 0.02 * sigma * sigma)
        let rhoBias = biasTrend.values["spearman_rho"] ?? .nan
        let rhoVar = varianceTrend.values["spearman_rho"] ?? .nan
        let classical: Bool? =
            under.count < 4
            ? nil
            : ([biasTrend, varianceTrend, valley].allSatisfy { $0.supported == true }
                ? true
                : ([biasTrend, varianceTrend, valley].contains { $0.supported == false } ? false : nil))
        let underMin = under.indices.min { under[$0].total < under[$1].total }
        return Verdict(
            .finding,
            claim:
                "Below the interpolation threshold, more capacity lowers "
                + "bias and raises variance, and the total error traces a U.",
            supported: classical,
            evidence: String(
                format:
                    "Over the %d capacities with fewer parameters than the n = %d samples: Spearman ρ(capacity, "
                    + "bias²) = %.2f (%@), ρ(capacity, variance) = %.2f (%@); the total is smallest at %d "
                    + "parameters, and below both ends: %@ (K = %d training sets).",
                under.count, n, rhoBias, biasTrend.reason, rhoVar, varianceTrend.reason,
                underMin.map { parameters(under[$0].capacity) } ?? -1, valley.reason, trials),
            values: [
                "rho_bias": rhoBias, "rho_variance": rhoVar,
                "mde": RuleOutcome.largestMDE([biasTrend, varianceTrend, valley]),
            ])
    }

    /// The variance peak against the parameter count, per training set, near the interpolation
    /// threshold: parameters = n for the linear-in-features fits; for trained networks, the
    /// smallest width at which most training sets are fitted exactly.
    func varianceVerdict(_ rows: [Row]) -> Verdict {
        let n = regression.trainCount
        let threshold: Double =
            axis == .width
            ? (rows.first { $0.fittedFraction >= 0.5 }.map { Double(parameters($0.capacity)) } ?? .nan) : Double(n)
        // A bump counts from 10% of the largest variance.
        let varianceCurve = VerdictRules.Curve(
            x: rows.map { Double(parameters($0.capacity)) }, samples: rows.map(\.perSetVariance), paired: true)
        let peakRule =
            threshold.isFinite
            ? VerdictRules.peakNear(
                varianceCurve, threshold: threshold, window: 1.25, margin: 0.1 * rows.map(\.variance).max()!)
            : RuleOutcome(supported: nil, values: [:], reason: "no capacity in the grid interpolates")
        let peak =
            rows.indices.first { Double(parameters(rows[$0].capacity)) == peakRule.values["peak_x"] } ?? rows.indices
            .max { rows[$0].variance < rows[$1].variance }!
        let peakParams = parameters(rows[peak].capacity)
        return Verdict(
            .finding,
            claim: "Variance peaks where the model can just interpolate its training set and declines past it.",
            supported: peakRule.supported,
            evidence: String(
                format:
                    "Near the threshold (n = %d; the fits first interpolate at %@ parameters) the variance is largest "
                    + "at %d parameters: %.3g; at %d parameters it is %.3g. With simultaneous 95%% bounds over the "
                    + "K = %d training sets: %@.",
                n, threshold.isFinite ? String(Int(threshold)) : "no capacity in the grid", peakParams,
                rows[peak].variance, parameters(rows.last!.capacity),
                rows.last!.variance, trials, peakRule.reason),
            values: peakRule.values.merging(["peak_parameters": Double(peakParams), "n": Double(n)]) { a, _ in a })
    }
}

extension BiasVarianceExperiment: LiveMeasurement {
    public var name: String { "bias-variance" }
}
