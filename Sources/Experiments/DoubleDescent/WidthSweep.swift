import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Model-wise (and epoch-wise) double descent with MLP width, the published MNIST-1D setup by
/// default: 40→h→h→10 ReLU, He-uniform init, 4,000 training samples with 15% of their labels
/// replaced by uniform random labels, clean test set, cross-entropy, SGD lr 0.01 momentum 0.9,
/// batch 100, 500 epochs. Each width is trained with and without label noise.
public struct WidthSweep: Codable, Sendable {
    /// Dataset spec, with class labels (the published setup: MNIST-1D, 4,000 training and 4,000 test samples).
    public var data: String
    /// Hidden widths h, increasing.
    public var widths: [Int]
    /// Hidden layers, each of width h.
    public var depth: Int
    /// Epochs each network trains (SGD, batch 100, momentum 0.9).
    public var epochs: Int
    /// Fraction of training labels replaced by a uniform random class.
    public var labelNoise: Double
    /// Also train each width on the clean labels (the control: no noise, no peak).
    public var withoutNoise: Bool
    /// Seeds (networks) per width.
    public var seeds: Int
    /// Learning rate, constant.
    public var learningRate: Double
    /// Record test error every this many epochs (the epoch-wise curves).
    public var recordEvery: Int
    /// The network of width h: unset, the published MLP (depth layers of h units, He-uniform);
    /// `standard-cnn`, Nakkiran et al.'s standard CNN of width k = h on images (convolutions of
    /// k, 2k, 4k, 8k channels, then a linear layer; `depth` is not used).
    public var architecture: Architecture?
    /// The optimizer at the learning rate: unset, SGD with momentum 0.9 (the published setup);
    /// `adam`, Adam with PyTorch's defaults (Nakkiran et al.'s CNN setting).
    public var optimizer: OptimizerConfig.Kind?

    /// The families of networks a width indexes.
    public enum Architecture: String, Codable, Sendable { case standardCNN = "standard-cnn" }

    /// The MNIST-1D notebooks' grid, `geomspace(2, 300, 20).astype(int)`: 19 widths (2 repeats),
    /// among them the h = 16, 27, 47, 61 and 300 their published numbers name.
    public static let publishedWidths = Grid.geomspace(2, 300, count: 20)

    public init(
        data: String = "mnist1d:train=4000,test=4000", widths: [Int] = WidthSweep.publishedWidths, depth: Int = 2,
        epochs: Int = 500,
        labelNoise: Double = 0.15, withoutNoise: Bool = true, seeds: Int = 1, learningRate: Double = 0.01,
        recordEvery: Int = 10,
        architecture: Architecture? = nil, optimizer: OptimizerConfig.Kind? = nil
    ) {
        self.data = data
        self.widths = widths
        self.depth = depth
        self.epochs = epochs
        self.labelNoise = labelNoise
        self.withoutNoise = withoutNoise
        self.seeds = seeds
        self.learningRate = learningRate
        self.recordEvery = recordEvery
        self.architecture = architecture
        self.optimizer = optimizer
    }

    /// The untrained network of width `h` for `split`, and its initialization.
    func network(width h: Int, for split: DataSplit, seed: Int) throws -> (Network<Float>, Initialization) {
        switch architecture {
        case nil:
            let hidden = (0..<depth).flatMap { _ in [LayerSpec.dense(outputs: h), .relu] }
            return (
                try Network<Float>(
                    input: (split.train.featureCount, 1), hidden: hidden, outputs: split.train.classCount,
                    initialization: .heUniform, seed: UInt64(seed)), .heUniform
            )
        case .standardCNN?:
            let spec = try ModelSpec(parsing: ModelSpec.standardCNN(width: h))
            return (
                try spec.network(for: split.train, imageShape: split.sampleShape, seed: UInt64(seed)),
                spec.initialization(nil)
            )
        }
    }

    /// The width's name in the evidence: h, the hidden units of the MLP; k, the CNN's channels.
    var symbol: String { architecture == nil ? "h" : "k" }

    /// The optimizer of every network: SGD with momentum 0.9 unless `optimizer` says otherwise.
    var optimizerConfig: OptimizerConfig {
        OptimizerConfig(kind: optimizer ?? .sgd, learningRate: learningRate, momentum: 0.9)
    }


    public func validate() throws {
        guard !widths.isEmpty, widths.allSatisfy({ $0 >= 1 }), widths == widths.sorted(),
            Set(widths).count == widths.count
        else {
            throw GenLabError.parameter(name: "widths", problem: "must be positive and increasing, got \(widths)")
        }
        guard labelNoise >= 0 && labelNoise <= 1 else {
            throw GenLabError.parameter(name: "labelNoise", problem: "must be in [0, 1], got \(labelNoise)")
        }
        guard epochs >= 1 else { throw GenLabError.parameter(name: "epochs", problem: "must be ≥ 1, got \(epochs)") }
        guard seeds >= 1 else { throw GenLabError.parameter(name: "seeds", problem: "must be ≥ 1, got \(seeds)") }
        guard depth >= 1 else { throw GenLabError.parameter(name: "depth", problem: "must be ≥ 1, got \(depth)") }
        // A step size ≤ 0 records no epoch at all: refused here, before any network trains.
        try optimizerConfig.validate()
    }

    struct Point: Codable, Sendable {
        var noise: Double
        var width: Int
        var seed: Int
    }

    /// Epochs between test-error records: every epoch for the widest network of seed 0 (the
    /// epoch-wise curve drawn), else `recordEvery`. The widest networks of the other seeds
    /// recorded every epoch too until 2026-12-07, for a curve nobody drew: at h = 300 that cost
    /// about 40% of each such run.
    func recordInterval(width: Int, seed: Int) -> Int { width == widths.last! && seed == 0 ? 1 : recordEvery }
    public struct Outcome: Codable, Sendable {
        var noise: Double
        var width: Int
        var seed: Int
        var parameters: Int
        var trainError: Double
        var testError: Double
        var trainLoss: Double
        /// Epoch at which training error first reached 0 (nil: never).
        var interpolationEpoch: Int?
        var curve: [EpochRecord]
    }

    /// The label-noise levels trained: the chosen one, then the clean control.
    var noiseLevels: [Double] { [labelNoise] + (withoutNoise && labelNoise > 0 ? [0] : []) }

    /// The measurement as `MeasuredExperiment` takes it: the sweep's outcomes, and its note on
    /// checkpoints. (The sweep itself is the `SweepRun` overload below.)
    public func measure(_ context: RunContext) throws -> Measured<[Outcome]> {
        let swept: SweepRun<Outcome> = try measure(context)
        return Measured(swept.outcomes, notes: swept.note.map { [$0] } ?? [])
    }

    /// Trains every (noise, width, seed) point, widest first, each a content-addressed checkpoint.
    func measure(_ context: RunContext) throws -> SweepRun<Outcome> {
        let clean = try context.load(data, for: name)
        let progress = context.progress
        let networks = context.networks
        let trainer = context.trainer
        try validate()
        // Every width's network, built once here: a network the data cannot feed (a CNN on
        // vectors) is a clear error before any training.
        for w in widths { _ = try network(width: w, for: clean, seed: 0) }
        let noises = noiseLevels
        var splits = [Double: DataSplit]()
        for v in noises {
            var s = clean
            if v > 0 { s.train = try clean.train.withLabelNoise(v, seed: 1) }
            splits[v] = s
        }
        let frozen = splits
        let fingerprints = splits.mapValues(\.fingerprint)
        let points = noises.flatMap { v in
            widths.flatMap { w in (0..<seeds).map { Point(noise: v, width: w, seed: $0) } }
        }
        let cfg = self
        let order = Self.order(points, cheapestFirst: context.cheapestFirst)
        // Shared by every point: what the code fixes, every setting but the grid's, and the clean
        // data bit for bit (the noisy labels are drawn from it with seed 1).
        let sweep = try Sweep<Point, Outcome>(
            points: order.map { points[$0] }, of: self,
            recipe: "batch=100 momentum=0.9 mlp=relu,he-uniform label-noise-seed=1",
            data: clean.fingerprint, in: context
        ) { p in
            "width-\(p.width)-noise\(p.noise)-seed\(p.seed)-record\(cfg.recordInterval(width: p.width, seed: p.seed))"
        }
        return try sweep.run(progress: { d, t in progress.report("\(d)/\(t) networks", Double(d) / Double(t)) }) { p in
            let split = frozen[p.noise]!
            // validate() has built every width's network already: a failure here is a bug.
            let (net, initialization) = try! cfg.network(width: p.width, for: split, seed: p.seed)
            let config = TrainingConfig(
                epochs: cfg.epochs, batchSize: 100, optimizer: cfg.optimizerConfig,
                seed: UInt64(p.seed), evaluateEvery: cfg.recordInterval(width: p.width, seed: p.seed))
            let recipe = TrainingRecipe(
                data: fingerprints[p.noise]!,
                architecture: TrainingRecipe.architecture(
                    of: net, initialization: initialization, seed: UInt64(p.seed), batch: config.batchSize),
                training: config)
            let train = { (n: Network<Float>) in trainer(config).train(n, train: split.train, test: split.test) }
            let run = networks.map { $0.trained(recipe, network: net, train: train).run } ?? train(net)
            let f = run.final!
            return Outcome(
                noise: p.noise, width: p.width, seed: p.seed, parameters: net.parameterCount, trainError: f.trainError,
                testError: f.testError,
                trainLoss: f.trainLoss, interpolationEpoch: run.records.first { $0.trainError == 0 }?.epoch,
                curve: run.records)
        }
    }

    /// The order the points run in: widest first, so that the longest runs start early and both
    /// cores stay busy to the end; narrowest first when a live view wants points soon.
    static func order(_ points: [Point], cheapestFirst: Bool) -> [Int] {
        points.indices.sorted {
            cheapestFirst ? points[$0].width < points[$1].width : points[$0].width > points[$1].width
        }
    }

    /// Tables, verdicts and figures from the outcomes of every point of `widths` (pure: no data, no training).
    public func analyze(_ measured: Measured<[Outcome]>) -> ExperimentResult {
        let outcomes = measured.outcomes
        let (table, epochTable, summary) = tabulate(outcomes)
        let noisy = summary[labelNoise]!
        // The interpolation width: the smallest width whose training error reaches 0 (≤ 0.1% counts).
        let interpWidth = noisy.first { $0.train <= 0.001 }?.width
        func curve(_ v: Double) -> VerdictRules.Curve {
            VerdictRules.Curve(
                x: widths.map(Double.init),
                samples: widths.map { w in outcomes.filter { $0.noise == v && $0.width == w }.map(\.testError) })
        }
        // The least bump that matters: 2 points of test error.
        let peak =
            interpWidth.map { VerdictRules.peakNear(curve(labelNoise), threshold: Double($0), margin: 0.02) }
            ?? RuleOutcome(
                supported: nil, values: [:],
                reason: "no width in the grid fits the training set (train longer or wider)")
        var verdicts = [peakVerdict(peak, noisy: noisy, interpWidth: interpWidth)]
        if let clean = summary[0], labelNoise > 0 {
            let cleanInterp = clean.first { $0.train <= 0.001 }?.width
            let cleanPeak = cleanInterp.map { VerdictRules.peakNear(curve(0), threshold: Double($0), margin: 0.02) }
            // The noisy curve's excess over the clean one, seed by seed (`noiseMakesPeakVerdict`).
            let excess =
                interpWidth.flatMap { w in
                    excessCurve(outcomes).map { VerdictRules.peakNear($0, threshold: Double(w), margin: 0.02) }
                }
                ?? RuleOutcome(
                    supported: nil, values: [:],
                    reason: "no width fits the noisy training set, or a seed lacks its clean twin")
            verdicts.append(
                noiseMakesPeakVerdict(excess, peak: peak, cleanPeak: cleanPeak, cleanInterp: cleanInterp))
        }
        // The epoch-wise verdict lives in `EpochWise` (--axis epochs), which trains several seeds
        // of one network; here the widest network's curve is only drawn.
        return ExperimentResult(
            experiment: "double-descent-width",
            configuration: [
                "axis": "width", "data": JSONValue(data), "widths": .array(widths.map { JSONValue($0) }),
                "epochs": JSONValue(epochs),
                "label_noise": JSONValue(labelNoise), "seeds": JSONValue(seeds), "lr": JSONValue(learningRate),
                "depth": JSONValue(depth),
            ],
            seed: 0,
            metrics: [
                "peak_width": peak.values["peak_x"].map { JSONValue($0) } ?? .null,
                "interpolation_width": interpWidth.map { JSONValue($0) } ?? .null,
            ],
            verdicts: verdicts, command: "", figures: figures, tables: [table, epochTable], notes: measured.notes,
            references: references)
    }

    /// The published numbers of the setting the sweep reproduces: references, never evidence.
    var references: [Results.Reference] {
        guard architecture == nil else {
            return [
                Reference(
                    source: "Nakkiran et al. 2019 (deep double descent)",
                    value: "a peak at the interpolation threshold",
                    what:
                        "test error of the standard CNN of width k on CIFAR-10 with label noise (Adam, 4K epochs) "
                        + "peaks where the network first fits its training set, then falls"
                )
            ]
        }
        return [
            Reference(
                source: "MNIST-1D notebooks (Greydanus 2020)", value: "54.0%",
                what: "peak test error at h ≈ 47–61 with 15% label noise"),
            Reference(source: "MNIST-1D notebooks (Greydanus 2020)", value: "45.5%", what: "test error at h = 300"),
        ]
    }

    typealias Summary = [Double: [(width: Int, test: Double, train: Double)]]

    /// The width table (mean and 95% band over seeds), the widest network's epoch curve, and the per-noise summary.
    func tabulate(_ outcomes: [Outcome]) -> (Table, Table, Summary) {
        var table = Table(
            name: "width",
            columns: [
                "noise", "width", "parameters", "train_error", "test_error", "test_error_lower", "test_error_upper",
            ])
        var epochTable = Table(name: "epochs", columns: ["noise", "width", "epoch", "train_error", "test_error"])
        var summary = Summary()
        for v in noiseLevels {
            for w in widths {
                let o = outcomes.filter { $0.noise == v && $0.width == w }
                let te = o.map(\.testError)
                let ci =
                    te.count > 1
                    ? Stats.tInterval(te) : Interval(estimate: te[0], lower: te[0], upper: te[0], level: 0.95)
                let tr = Stats.mean(o.map(\.trainError))
                // No band from a single seed: its scatter is unknown.
                let band: [JSONValue] = te.count > 1 ? [JSONValue(ci.lower), JSONValue(ci.upper)] : [.null, .null]
                table.append(
                    [JSONValue(v), JSONValue(w), JSONValue(o[0].parameters), JSONValue(tr), JSONValue(ci.estimate)]
                        + band)
                summary[v, default: []].append((w, ci.estimate, tr))
            }
            if let widest = outcomes.filter({ $0.noise == v && $0.width == widths.last! && $0.seed == 0 }).first {
                for r in widest.curve {
                    epochTable.append([
                        JSONValue(v), JSONValue(widest.width), JSONValue(r.epoch), JSONValue(r.trainError),
                        JSONValue(r.testError),
                    ])
                }
            }
        }
        return (table, epochTable, summary)
    }

    func peakVerdict(_ peak: RuleOutcome, noisy: [(width: Int, test: Double, train: Double)], interpWidth: Int?)
        -> Verdict
    {
        let scatter = seeds > 1 ? "\(seeds) seeds, pooled scatter" : "one seed, scatter from the curve's roughness"
        return Verdict(
            .finding,
            claim:
                "With label noise, test error peaks near the width where the network first fits the training set, then "
                + "falls as width grows (model-wise double descent).",
            supported: peak.supported,
            evidence: String(
                format:
                    "With %.0f%% label noise the test error is %.1f%% at %@ = %d, %.1f%% at %@ = %@ (the largest near "
                    + "the interpolation width), and %.1f%% at %@ = %d; training error first reaches 0 at %@ = %@. "
                    + "Rise and fall lower bounds (simultaneous 95%%, %@): %+.1f and %+.1f points: %@.",
                labelNoise * 100, noisy[0].test * 100, symbol, noisy[0].width,
                (peak.values["peak_value"] ?? .nan) * 100, symbol,
                peak.values["peak_x"].map { String(Int($0)) } ?? "–", noisy.last!.test * 100, symbol,
                noisy.last!.width,
                symbol,
                interpWidth.map(String.init) ?? "none in the grid", scatter, (peak.values["rise_lower"] ?? .nan) * 100,
                (peak.values["fall_lower"] ?? .nan) * 100, peak.reason),
            values: peak.values.merging([
                "interpolation_width": interpWidth.map(Double.init) ?? .nan, "widest_test_error": noisy.last!.test,
            ]) { a, _ in a })
    }

    /// Per width, each seed's test error with noise minus its clean twin's (the same seed: the
    /// same initialization and batch order, other labels); nil where a width has no such pair.
    func excessCurve(_ outcomes: [Outcome]) -> VerdictRules.Curve? {
        let samples = widths.map { w in
            let clean = Dictionary(
                outcomes.filter { $0.noise == 0 && $0.width == w }.map { ($0.seed, $0.testError) }
            ) { a, _ in a }
            return outcomes.filter { $0.noise == labelNoise && $0.width == w }.compactMap { o in
                clean[o.seed].map { o.testError - $0 }
            }
        }
        guard samples.allSatisfy({ !$0.isEmpty }) else { return nil }
        return VerdictRules.Curve(x: widths.map(Double.init), samples: samples)
    }

    /// Label noise makes the peak: the noisy curve peaks at the threshold (`peak`) and so does its
    /// excess over the clean one (`excess`, `peakNear` on the seed-by-seed differences), which a
    /// noisy curve that merely falls later than the clean one does not give. Until 2026-12-07 the rule
    /// asked for a peak in the noisy curve and none in the clean one, which proves an absence and
    /// stayed inconclusive at every scale (3 and 5 seeds); changed after those verdicts to test the
    /// claim's own comparison. Both curves' own peak tests stay in the evidence. Measured
    /// (NoiseMakesPeakTests; 12 widths, 3 seeds, σ = 0.02 per run): on the boundary null, the same
    /// bump in both curves, supported 1 of 400; no peak in either curve, the noisy one falling
    /// later, 0 of 200; a bump of 0.1 in the noisy curve only, 184 of 200 on a gentle fall (0.02 per
    /// doubling) and 96 of 200 on a steep one (0.05), where the noisy curve's own rise is 0.05.
    func noiseMakesPeakVerdict(_ excess: RuleOutcome, peak: RuleOutcome, cleanPeak: RuleOutcome?, cleanInterp: Int?)
        -> Verdict
    {
        let bounds =
            excess.values["rise_lower"].map { rise in
                String(
                    format: " (rise and fall lower bounds %+.1f and %+.1f points, simultaneous 95%%)", rise * 100,
                    (excess.values["fall_lower"] ?? .nan) * 100)
            } ?? ""
        // Supported: the noisy curve peaks and its excess over the clean one peaks too; not
        // supported: either is absent (no peak with noise, or none beyond the clean curve's).
        let supported: Bool? =
            excess.supported == true && peak.supported == true
            ? true : (excess.supported == false || peak.supported == false ? false : nil)
        return Verdict(
            .finding,
            claim: "Label noise makes the peak: without it the bump at the threshold is smaller or absent.",
            supported: supported,
            evidence:
                "The test error with noise minus without, seed by seed, near the noisy threshold: \(excess.reason)"
                + "\(bounds). With noise alone: \(peak.reason). Without noise (interpolating from \(symbol) = "
                + "\(cleanInterp.map(String.init) ?? "none")): "
                + "\(cleanPeak?.reason ?? "no width fits the clean training set").",
            // Both tests must show: the design can detect what the weaker of the two can.
            values: excess.values.merging([
                "noisy_rise_lower": peak.values["rise_lower"] ?? .nan,
                "clean_rise_lower": cleanPeak?.values["rise_lower"] ?? .nan,
                "mde": RuleOutcome.largestMDE([excess, peak]),
            ]) { _, b in b })
    }

    var figures: [FigureSpec] {
        let series: [FigureSpec.Series] = noiseLevels.flatMap { v -> [FigureSpec.Series] in
            let name = v > 0 ? String(format: "%.0f%% label noise", v * 100) : "clean labels"
            return [
                .init(
                    y: "test_error", label: "test, " + name, lower: "test_error_lower", upper: "test_error_upper",
                    markers: true, filterColumn: "noise", filterValue: formatNumber(v)),
                .init(
                    y: "train_error", label: "train, " + name, dashed: true, filterColumn: "noise",
                    filterValue: formatNumber(v)),
            ]
        }
        return [
            // The notebook's published numbers (the references below), drawn beside the curves: never evidence.
            architecture == nil
                ? FigureSpec(
                    file: "width.svg", title: "MLP width double descent on MNIST-1D", table: "width", x: "width",
                    xLabel: "hidden width h", yLabel: "error",
                    xLog: true, series: series,
                    published: [
                        PublishedMark(
                            label: "notebook, 15% label noise: test error 54.0% at h ≈ 47–61", x: 47, xUpper: 61,
                            y: 0.54),
                        PublishedMark(label: "notebook: 45.5% at h = 300", x: 300, y: 0.455),
                    ])
                : FigureSpec(
                    file: "width.svg", title: "Standard-CNN width double descent", table: "width", x: "width",
                    xLabel: "CNN width k", yLabel: "error",
                    xLog: true, series: series),
            FigureSpec(
                file: "epochs.svg", title: "Epoch-wise: the widest network over training", table: "epochs", x: "epoch",
                xLabel: "epoch", yLabel: "error",
                series: noiseLevels.flatMap { v in
                    [
                        FigureSpec.Series(
                            y: "test_error", label: v > 0 ? "test, noisy labels" : "test, clean", filterColumn: "noise",
                            filterValue: formatNumber(v)),
                        FigureSpec.Series(
                            y: "train_error", label: v > 0 ? "train, noisy labels" : "train, clean", dashed: true,
                            filterColumn: "noise", filterValue: formatNumber(v)),
                    ]
                }),
        ]
    }
}

extension WidthSweep: LiveSweep, PointwiseExperiment {
    public var name: String { "double-descent-width" }
    public static let perPointFields: Set<String> = ["widths", "seeds", "withoutNoise"]

    /// The widths whose every noise level and seed has finished, analyzed as if the grid were
    /// those alone (the sweep runs from one end of the grid, so they grow from that end).
    public func finishedPart(of outcomes: [Outcome]) -> (grid: WidthSweep, outcomes: [Outcome], note: String)? {
        let complete = widths.filter { w in
            noiseLevels.allSatisfy { v in
                (0..<seeds).allSatisfy { s in outcomes.contains { $0.noise == v && $0.width == w && $0.seed == s } }
            }
        }
        guard !complete.isEmpty else { return nil }
        var finishedGrid = self
        finishedGrid.widths = complete
        let note = "Partial: \(complete.count) of \(widths.count) widths finished (\(outcomes.count) networks)."
        return (finishedGrid, outcomes.filter { complete.contains($0.width) }, note)
    }
}
