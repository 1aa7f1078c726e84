import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// The bias–variance decomposition of the cross-entropy (Yang et al. 2020, after Heskes 1998).
/// The central prediction is the normalized geometric mean of the K fitted distributions,
///   π̄(x) ∝ exp(E_D log π_D(x)),
/// and for a test label t ~ p(·|x) the expected loss splits exactly:
///   E_D E_t[−log π_D(t|x)] = H(p(·|x)) + KL(p ‖ π̄) + E_D KL(π̄ ‖ π_D)
///                            noise        bias         variance
/// Variance = −log Σ_c exp(E_D log π_D(c|x)) ≥ 0 by the AM–GM inequality, and is 0 exactly when
/// every training set gives the same prediction. With K training sets the terms below are the
/// plug-in ones (over the empirical distribution of the K fits), for which the identity is exact;
/// like the squared-loss plug-in, the variance is low (and the bias high) by O(1/K).
public struct CrossEntropyTerms: Codable, Sendable, Equatable {
    public var loss = 0.0, noise = 0.0, bias = 0.0, variance = 0.0
    /// Largest |loss − (noise + bias + variance)| over the test points.
    public var identityError = 0.0

    public init() {}

    /// `logProbabilities[t]` holds the m×k log-probabilities of fit t (row-major); `labels` holds
    /// the m×k distribution p(c|x) of the test label. Averages over the m test points.
    public static func compute(logProbabilities: [[Double]], labels p: [Double], classes k: Int) -> CrossEntropyTerms {
        let trials = logProbabilities.count
        let m = p.count / k
        var r = CrossEntropyTerms()
        var meanLog = [Double](repeating: 0, count: k)
        var central = meanLog
        var centralP = meanLog
        for i in 0..<m {
            for c in 0..<k { meanLog[c] = logProbabilities.reduce(0) { $0 + $1[i * k + c] } / Double(trials) }
            // log Z by log-sum-exp; the central prediction's log-probabilities are meanLog − log Z.
            let top = meanLog.max()!
            let logZ = top + log(meanLog.reduce(0) { $0 + exp($1 - top) })
            var noise = 0.0
            var bias = 0.0
            var loss = 0.0
            for c in 0..<k {
                let pc = p[i * k + c]
                guard pc > 0 else { continue }
                noise -= pc * log(pc)
                bias += pc * (log(pc) - (meanLog[c] - logZ))
                loss -= pc * meanLog[c]  // E_D[−Σ p log π_D] = −Σ p·E_D log π_D
            }
            // E_D KL(π̄ ‖ π_D), computed from its definition rather than as −log Z, so that the
            // identity below is a check and not a rearrangement.
            for c in 0..<k {
                central[c] = meanLog[c] - logZ
                centralP[c] = exp(central[c])
            }
            var variance = 0.0
            for lp in logProbabilities {
                for c in 0..<k { variance += centralP[c] * (central[c] - lp[i * k + c]) }
            }
            variance /= Double(trials)
            r.loss += loss
            r.noise += noise
            r.bias += bias
            r.variance += variance
            r.identityError = max(r.identityError, abs(loss - (noise + bias + variance)))
        }
        let md = Double(m)
        r.loss /= md
        r.noise /= md
        r.bias /= md
        r.variance /= md
        return r
    }
}

/// Cross-entropy bias and variance of trained one-hidden-layer networks against their width.
/// Each of K training sets trains its own network (full-batch Adam), every network is tested on
/// the same test set. Two regimes:
///
/// - Yang et al.'s (`data` set): K disjoint sets of n clean samples drawn from one data set
///   (MNIST-1D by default), weight decay, one-hot test labels (so the noise term is 0 and the
///   data's own ambiguity is counted in the bias, as in the paper).
/// - The noisy, unregularized regime (`data` nil): teacher-network labels, so p(t|x) is known
///   exactly, with training labels flipped to a uniform class with probability ρ and no weight
///   decay; interpolating fits are overconfident there, which the bias then measures.
public struct CrossEntropyDecomposition: Codable, Sendable {
    /// A classification data set spec for Yang et al.'s setting; nil for the teacher.
    public var data: String?
    /// Samples per training set in Yang et al.'s setting (the data set needs K·n training rows).
    public var trainPerSet: Int
    /// L2 weight decay of Adam (added to the gradient).
    public var weightDecay: Double
    /// The teacher network whose labels the classifiers learn (when no data set is given).
    public var teacher: Teacher
    /// Hidden widths of the one-hidden-layer networks, increasing.
    public var widths: [Int]
    /// Independent training sets K per width.
    public var trials: Int
    /// Test points the decomposition averages over.
    public var testPoints: Int
    /// Training-label noise ρ (teacher labels): each label is replaced by a uniform random class with probability ρ.
    public var labelNoise: Double
    /// Full-batch Adam steps per network.
    public var steps: Int
    /// Adam's learning rate.
    public var learningRate: Double

    public static let defaultWidths = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512]
    /// Across MNIST-1D's interpolation threshold for a few hundred samples per set.
    public static let cleanWidths = [2, 4, 8, 12, 16, 24, 32, 48, 64, 128, 256]

    public init(
        teacher: Teacher = ZeroOneDecomposition.defaultTeacher, widths: [Int] = CrossEntropyDecomposition.defaultWidths,
        trials: Int = 50, testPoints: Int = 2000, labelNoise: Double = 0.1, steps: Int = 2000,
        learningRate: Double = 0.01
    ) {
        self.data = nil
        self.trainPerSet = 0
        self.weightDecay = 0
        self.teacher = teacher
        self.widths = widths
        self.trials = trials
        self.testPoints = testPoints
        self.labelNoise = labelNoise
        self.steps = steps
        self.learningRate = learningRate
    }

    /// Yang et al.'s setting: K disjoint clean training sets of n samples from `data`, one shared
    /// test set (its first `testPoints` rows), weight decay at their value, 5e-4. Any other weight
    /// decay on a data set is a sensitivity run, labelled as such (5e-3 was tried after the bias
    /// at 5e-4 was not monotone on a few hundred MNIST-1D samples: the claim tested).
    public init(
        data: String, trainPerSet: Int, widths: [Int] = CrossEntropyDecomposition.defaultWidths, trials: Int = 8,
        testPoints: Int = 2000,
        weightDecay: Double = CrossEntropyDecomposition.yangWeightDecay, steps: Int = 2000, learningRate: Double = 0.01
    ) {
        self.init(
            widths: widths, trials: trials, testPoints: testPoints, labelNoise: 0, steps: steps,
            learningRate: learningRate)
        self.data = data
        self.trainPerSet = trainPerSet
        self.weightDecay = weightDecay
    }

    /// Yang et al.'s weight decay, the primary setting of the clean-data claim.
    public static let yangWeightDecay = 5e-4

    /// What departs from Yang et al.'s setting, when something does (nil on the teacher: a
    /// contrast run of its own, not a variation of theirs).
    var sensitivity: String? {
        guard data != nil, weightDecay != Self.yangWeightDecay else { return nil }
        let history =
            weightDecay == 5e-3
            ? "; an earlier version of GenLab switched to it after a run "
                + "at 5e-4 found the bias not monotone, the very claim tested"
            : ""
        return
            "weight decay \(formatNumber(weightDecay)) instead of Yang et al.'s \(formatNumber(Self.yangWeightDecay))"
            + history
    }

    public func validate() throws {
        guard trials >= 2 else {
            throw GenLabError.parameter(name: "trials", problem: "(K) must be ≥ 2, got \(trials)")
        }
        guard labelNoise >= 0 && labelNoise <= 1 else {
            throw GenLabError.usage("label noise must be in [0, 1], got \(labelNoise)")
        }
        guard !widths.isEmpty, widths == widths.sorted(), Set(widths).count == widths.count, widths.first! >= 1 else {
            throw GenLabError.parameter(name: "widths", problem: "must be positive and increasing, got \(widths)")
        }
        guard steps >= 1, learningRate > 0 else {
            throw GenLabError.usage("steps must be ≥ 1 and the learning rate > 0")
        }
        guard weightDecay >= 0 else { throw GenLabError.usage("weight decay must be ≥ 0, got \(weightDecay)") }
        if data != nil {
            guard trainPerSet >= 1, labelNoise == 0 else {
                throw GenLabError.usage(
                    "Yang et al.'s setting takes n ≥ 1 clean samples per set (no label noise), got n = "
                        + "\(trainPerSet), noise \(labelNoise)"
                )
            }
        }
    }

    /// The K training sets (features, labels), the test features and p(t|x) (m×k), the classes
    /// and the input dimension — from the teacher or from a data set.
    func problem(_ context: RunContext) throws -> (
        sets: [(Matrix<Double>, [Int])], test: Matrix<Double>, p: [Double], classes: Int, dimension: Int,
        description: String
    ) {
        if let spec = data {
            let split = try context.load(spec, for: "the cross-entropy decomposition")
            guard !split.train.isRegression else {
                throw GenLabError.usage("\(spec): the cross-entropy decomposition needs class labels")
            }
            let need = trials * trainPerSet
            guard split.train.count >= need else {
                throw GenLabError.usage(
                    "\(spec) has \(split.train.count) training rows; K = "
                        + "\(trials) disjoint sets of n = \(trainPerSet) need \(need)"
                )
            }
            // Disjoint sets: one shuffle of the training rows, cut into K runs of n.
            var g = Generator(seed: 5, stream: 17)
            var order = Array(0..<split.train.count)
            g.shuffle(&order)
            let sets = (0..<trials).map { t -> (Matrix<Double>, [Int]) in
                let s = split.train.subset(Array(order[(t * trainPerSet)..<((t + 1) * trainPerSet)]))
                return (s.features.converted(), s.labels)
            }
            let test = split.test.subset(Array(0..<min(testPoints, split.test.count)))
            let k = split.train.classCount
            var p = [Double](repeating: 0, count: test.count * k)
            for (i, c) in test.labels.enumerated() { p[i * k + c] = 1 }
            return (
                sets, test.features.converted(), p, k, split.train.featureCount,
                "\(spec), K = \(trials) disjoint sets of n = \(trainPerSet)"
            )
        }
        let k = teacher.classes
        let n = teacher.trainCount
        let m = testPoints
        let rho = labelNoise
        var big = teacher
        big.trainCount = n * trials
        big.testCount = m
        let pool = big.generate()
        // p(t|x): the teacher's class with probability 1 − ρ(k−1)/k, every other class ρ/k.
        var p = [Double](repeating: rho / Double(k), count: m * k)
        for (i, c) in pool.test.labels.enumerated() { p[i * k + c] = 1 - rho + rho / Double(k) }
        let sets: [(Matrix<Double>, [Int])] = try (0..<trials).map { t in
            var s = pool.train.subset(Array((t * n)..<((t + 1) * n)))
            if rho > 0 { s = try s.withLabelNoise(rho, seed: UInt64(t) + 1) }
            return (s.features.converted(), s.labels)
        }
        return (
            sets, pool.test.features.converted(), p, k, teacher.dimension,
            "teacher:d=\(teacher.dimension),width=\(teacher.width),k=\(k),n=\(n)"
        )
    }

    /// Log-softmax of a network trained on (x, labels), evaluated at `test` (m×k, row-major).
    static func fittedLogProbabilities(
        width h: Int, x: Matrix<Double>, labels: [Int], classes k: Int, test: Matrix<Double>,
        steps: Int, learningRate: Double, weightDecay: Double = 0, seed: UInt64
    ) -> (logProbabilities: [Double], trainError: Double) {
        let net = try! Network<Double>(
            input: (x.cols, 1), hidden: [.dense(outputs: h), .relu], outputs: k, loss: .crossEntropy,
            initialization: .he, seed: seed)
        let opt = Optimizer<Double>(
            OptimizerConfig(kind: .adam, learningRate: learningRate, momentum: 0, weightDecay: weightDecay),
            parameterCount: net.parameterCount)
        let y = labels.map { Int32($0) }
        for _ in 0..<steps {
            let loss = x.storage.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    net.lossAndGradient(
                        Batch(x: xp.baseAddress!, labels: yp.baseAddress!, targets: nil, count: x.rows), training: true)
                }
            }
            if !loss.isFinite { break }
            net.apply(opt, learningRate: learningRate)
        }
        func logSoftmax(_ z: UnsafePointer<Double>, rows: Int) -> [Double] {
            var out = [Double](repeating: 0, count: rows * k)
            for i in 0..<rows {
                var top = -Double.infinity
                for c in 0..<k { top = max(top, z[i * k + c]) }
                var s = 0.0
                for c in 0..<k { s += exp(z[i * k + c] - top) }
                let lse = top + log(s)
                for c in 0..<k { out[i * k + c] = z[i * k + c] - lse }
            }
            return out
        }
        let trainLog = x.storage.withUnsafeBufferPointer {
            logSoftmax(net.forward($0.baseAddress!, batch: x.rows, training: false), rows: x.rows)
        }
        let wrong = (0..<x.rows).filter { i in (0..<k).max { trainLog[i * k + $0] < trainLog[i * k + $1] }! != labels[i]
        }.count
        let testLog = test.storage.withUnsafeBufferPointer {
            logSoftmax(net.forward($0.baseAddress!, batch: test.rows, training: false), rows: test.rows)
        }
        return (testLog, Double(wrong) / Double(x.rows))
    }

    /// One width's K networks: each one's training error, the decomposition over all K fits and
    /// over each leave-one-out K − 1 (the jackknife's replicates). The decomposition is kept, not
    /// the K×m×k log-probabilities it reads (tens of megabytes at quick scale).
    public struct Width: Codable, Sendable {
        var width: Int
        var trainErrors: [Double]
        var terms: CrossEntropyTerms
        var leaveOneOut: [CrossEntropyTerms]
    }

    /// Every width, and what the analysis needs of the problem: its classes, input dimension and
    /// samples per training set.
    public struct Outcomes: Codable, Sendable {
        var classes: Int, dimension: Int, trainPerSet: Int
        var widths: [Width]
    }

    /// Trains K networks at every width, in parallel; publishes the finished prefix of the widths
    /// as a run on those widths.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let progress = context.progress
        let problem = try self.problem(context)
        let sets = problem.sets
        let tx = problem.test
        let p = problem.p
        let k = problem.classes
        func outcomes(_ done: [Width]) -> Outcomes {
            Outcomes(classes: k, dimension: problem.dimension, trainPerSet: sets[0].0.rows, widths: done)
        }
        let live = liveUnits(context, count: widths.count) { (done: [Width]) in
            var part = self
            part.widths = Array(widths.prefix(done.count))
            return (part, outcomes(done), partialNote(done.count, of: widths.count, "widths"))
        }
        let cfg = self
        let done = Counter()
        let measured: [Width] = parallelMap(widths.count) { wi in
            let h = cfg.widths[wi]
            var logs = [[Double]]()
            var trainErrors = [Double]()
            for (t, (x, y)) in sets.enumerated() {
                let r = Self.fittedLogProbabilities(
                    width: h, x: x, labels: y, classes: k, test: tx, steps: cfg.steps, learningRate: cfg.learningRate,
                    weightDecay: cfg.weightDecay, seed: UInt64(t))
                logs.append(r.logProbabilities)
                trainErrors.append(r.trainError)
            }
            let terms = CrossEntropyTerms.compute(logProbabilities: logs, labels: p, classes: k)
            // The jackknife's replicates: the decomposition without each training set in turn.
            let leaveOut = (0..<logs.count).map { j in
                CrossEntropyTerms.compute(
                    logProbabilities: logs.enumerated().filter { $0.offset != j }.map(\.element), labels: p, classes: k)
            }
            let finished = done.increment()
            progress.report("\(finished)/\(cfg.widths.count) widths", Double(finished) / Double(cfg.widths.count))
            let w = Width(width: h, trainErrors: trainErrors, terms: terms, leaveOneOut: leaveOut)
            live.finished(wi, w)
            return w
        }
        return Measured(outcomes(measured))
    }

    struct Row: Sendable {
        var width: Int
        var parameters: Int
        var terms: CrossEntropyTerms
        var trainError: Double
        var biasSE: Double
        var varianceSE: Double
    }

    /// One width's row: jackknife standard errors over the K training sets.
    static func row(_ w: Width, classes k: Int, dimension d: Int) -> Row {
        func jackknifeSE(_ v: [Double]) -> Double {
            let mean = v.reduce(0, +) / Double(v.count)
            return (Double(v.count - 1) / Double(v.count) * v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }).squareRoot()
        }
        let h = w.width
        return Row(
            width: h, parameters: h * (d + 1) + k * (h + 1), terms: w.terms,
            trainError: Stats.mean(w.trainErrors), biasSE: jackknifeSE(w.leaveOneOut.map(\.bias)),
            varianceSE: jackknifeSE(w.leaveOneOut.map(\.variance)))
    }

    /// The decomposition against width, its three verdicts and the figure, from the widths' terms.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        let rows = o.widths.map { Self.row($0, classes: o.classes, dimension: o.dimension) }
        var table = Table(
            name: "cross_entropy",
            columns: [
                "width", "parameters", "train_error", "expected_loss", "noise", "bias", "bias_lower", "bias_upper",
                "variance", "variance_lower", "variance_upper", "identity_max_error",
            ])
        for r in rows {
            let t = r.terms
            table.append([
                JSONValue(r.width), JSONValue(r.parameters), JSONValue(r.trainError), JSONValue(t.loss),
                JSONValue(t.noise),
                JSONValue(t.bias), JSONValue(t.bias - 2 * r.biasSE), JSONValue(t.bias + 2 * r.biasSE),
                JSONValue(t.variance), JSONValue(max(0, t.variance - 2 * r.varianceSE)),
                JSONValue(t.variance + 2 * r.varianceSE), JSONValue(t.identityError),
            ])
        }
        let (verdicts, peak) = self.verdicts(rows)
        let figure = FigureSpec(
            file: "cross_entropy.svg", title: "Cross-entropy: bias and variance against width (Yang et al.)",
            table: "cross_entropy",
            x: "width",
            xLabel: "hidden width (n = \(o.trainPerSet) per training set, "
                + (data != nil
                    ? String(format: "clean labels, weight decay %g)", weightDecay)
                    : "\(Int(labelNoise * 100))% label noise, no weight decay)"),
            yLabel: "nats", xLog: true,
            series: [
                .init(y: "expected_loss", label: "expected test cross-entropy", markers: true),
                .init(y: "bias", label: "bias KL(p ‖ π̄)", lower: "bias_lower", upper: "bias_upper"),
                .init(
                    y: "variance", label: "variance E KL(π̄ ‖ π)", lower: "variance_lower",
                    upper: "variance_upper",
                    markers: true),
                .init(y: "noise", label: "noise H(p)", dashed: true),
            ])
        // The configuration is the experiment value itself (`execute` records it).
        var result = ExperimentResult(
            experiment: name, configuration: [:],
            seed: data == nil ? teacher.seed : 0,
            metrics: [
                "identity_max_error": JSONValue(rows.map(\.terms.identityError).max()!),
                "variance_peak_width": JSONValue(rows[peak].width),
            ],
            verdicts: verdicts, command: "", figures: [figure], tables: [table], seconds: 0)
        result.sensitivity = sensitivity
        return result.noting(measured.notes)
    }

    /// The identity, the bell-shaped variance and the falling bias; and the variance peak's row.
    func verdicts(_ rows: [Row]) -> (verdicts: [Verdict], peak: Int) {
        let worst = rows.map(\.terms.identityError).max()!
        let largest = rows.indices.max { rows[$0].terms.variance < rows[$1].terms.variance }!
        // Bell-shaped: an interior width whose variance stands above both ends (jackknife standard
        // errors over the K training sets); a bump counts from 10% of the largest variance.
        let varianceCurve = VerdictRules.Curve(
            x: rows.map { Double($0.width) }, means: rows.map(\.terms.variance),
            standardErrors: rows.map(\.varianceSE), degreesOfFreedom: Double(trials - 1))
        let bell = VerdictRules.interiorPeak(varianceCurve, margin: 0.1 * rows.map(\.terms.variance).max()!)
        let peak = rows.indices.first { Double(rows[$0].width) == bell.values["peak_x"] } ?? largest
        let pv = rows[peak].terms.variance
        let pse = rows[peak].varianceSE
        let interpolating = rows.first { $0.trainError == 0 }
        var verdicts = [
            Verdict(
                .theorem,
                claim:
                    "For cross-entropy the expected loss is exactly noise + bias + variance, with the normalized "
                    + "geometric mean as the central prediction (Yang et al. 2020).",
                // Double rounding over sums of a few thousand terms: 1e-9 leaves room, a wrong term would not.
                supported: VerdictRules.holds(worst, atMost: 1e-9, what: "the largest identity error").supported,
                evidence: String(
                    format:
                        "At every test point of every width the terms computed from their definitions add up to the "
                        + "expected loss to %.1e.",
                    worst),
                values: ["identity_max_error": worst]),
            Verdict(
                .finding, claim: "Cross-entropy variance is bell-shaped in width: it rises, peaks and falls.",
                supported: bell.supported,
                evidence: String(
                    format:
                        "Variance peaks at width %d (%.3f ± %.3f, 2 SE by jackknife) against %.3f at width %d and "
                        + "%.3f at width %d; with simultaneous 95%% bounds: %@. %@",
                    rows[peak].width, pv, 2 * pse, rows[0].terms.variance, rows[0].width, rows.last!.terms.variance,
                    rows.last!.width,
                    bell.reason,
                    interpolating.map { "Training error first averages 0 at width \($0.width)." }
                        ?? "No width fits its training labels exactly.")
                    + (data != nil
                        ? " Test labels are one-hot: the noise term is 0 and the data's own ambiguity counts as bias, "
                            + "as in Yang et al."
                        : ""),
                values: ["peak_width": Double(rows[peak].width), "mde": bell.mde]),
            biasVerdict(rows),
        ]
        // A sensitivity run says so in every claim and evidence, not only in its heading.
        if let why = sensitivity {
            for i in verdicts.indices where verdicts[i].kind != .theorem {
                verdicts[i].claim =
                    "Sensitivity run (\(formatNumber(weightDecay)) weight decay, not Yang et al.'s setting): "
                    + verdicts[i].claim
                verdicts[i].evidence = "Sensitivity run: \(why). " + verdicts[i].evidence
            }
        }
        return (verdicts, peak)
    }

    /// Bias falls with width: overall (Spearman's trend) and throughout (no rise between two widths
    /// of more than 5% of the largest bias, beyond simultaneous bounds from the jackknife standard
    /// errors; `VerdictRules.fallsThroughout`). The second test is new on 2026-12-07, after this
    /// verdict came out inconclusive at quick: the bias rose to the interpolation width and fell
    /// after it, a bump Spearman's ρ over the widths averages away. Differences between widths use
    /// unpaired standard errors; the widths share their training sets, so the bounds are wider
    /// than a paired jackknife's would be (it errs toward "inconclusive").
    func biasVerdict(_ rows: [Row]) -> Verdict {
        let curve = VerdictRules.Curve(
            x: rows.map { Double($0.width) }, means: rows.map(\.terms.bias), standardErrors: rows.map(\.biasSE),
            degreesOfFreedom: Double(trials - 1))
        let margin = 0.05 * rows.map(\.terms.bias).max()!
        let rule = VerdictRules.fallsThroughout(curve, margin: margin)
        let rhoBias = rule.values["spearman_rho"] ?? .nan
        let biasPeak = rows.indices.max { rows[$0].terms.bias < rows[$1].terms.bias }!
        var values = ["rho_bias": rhoBias, "bias_peak_width": Double(rows[biasPeak].width), "mde": rule.mde]
        for key in ["rise_lower", "from_x", "to_x", "margin", "rise_mde"] { values[key] = rule.values[key] }
        return Verdict(
            .finding, claim: "Cross-entropy bias falls as the network widens.",
            supported: rule.supported,
            evidence: String(
                format:
                    "Bias is %.3f at width %d, largest at width %d (%.3f), and %.3f at width %d; "
                    + "a rise counts from 5%% of the largest bias (%.3f): %@.",
                rows[0].terms.bias, rows[0].width, rows[biasPeak].width, rows[biasPeak].terms.bias,
                rows.last!.terms.bias, rows.last!.width, margin, rule.reason),
            values: values)
    }
}

extension CrossEntropyDecomposition: LiveMeasurement {
    /// Yang et al.'s setting is the claim; the teacher run is the noisy, unregularized regime beside it.
    public var name: String { data == nil ? "bias-variance-cross-entropy-noisy" : "bias-variance-cross-entropy" }
}
