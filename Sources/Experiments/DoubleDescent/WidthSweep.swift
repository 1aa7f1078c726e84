import Datasets
import Foundation
import Learners
import LinearAlgebra

/// Model-wise (and epoch-wise) double descent with MLP width, the published MNIST-1D setup by
/// default: 40→h→h→10 ReLU, He-uniform init, 4,000 training samples with 15% of their labels
/// replaced by uniform random labels, clean test set, cross-entropy, SGD lr 0.01 momentum 0.9,
/// batch 100, 500 epochs. Each width is trained with and without label noise.
public struct WidthSweep: Codable, Sendable {
    public var data: String
    public var widths: [Int]
    public var depth: Int
    public var epochs: Int
    public var labelNoise: Double
    public var withoutNoise: Bool
    public var seeds: Int
    public var learningRate: Double
    /// Record test error every this many epochs (the epoch-wise curves).
    public var recordEvery: Int

    public static let publishedWidths = [2, 4, 6, 8, 10, 12, 16, 20, 27, 34, 40, 47, 54, 61, 75, 100, 150, 200, 300]

    public init(data: String = "mnist1d:train=4000,test=4000", widths: [Int] = WidthSweep.publishedWidths, depth: Int = 2, epochs: Int = 500,
                labelNoise: Double = 0.15, withoutNoise: Bool = true, seeds: Int = 1, learningRate: Double = 0.01, recordEvery: Int = 10) {
        self.data = data; self.widths = widths; self.depth = depth; self.epochs = epochs; self.labelNoise = labelNoise
        self.withoutNoise = withoutNoise; self.seeds = seeds; self.learningRate = learningRate; self.recordEvery = recordEvery
    }

    public func validate() throws {
        guard !widths.isEmpty, widths.allSatisfy({ $0 >= 1 }), widths == widths.sorted(), Set(widths).count == widths.count else {
            throw GenLabError.usage("the widths (--grid) must be positive and increasing, got \(widths)")
        }
        guard labelNoise >= 0 && labelNoise <= 1 else { throw GenLabError.usage("label noise (--noise) must be in [0, 1], got \(labelNoise)") }
        guard epochs >= 1, seeds >= 1, depth >= 1 else { throw GenLabError.usage("--epochs, --seeds and the depth must be ≥ 1") }
    }

    struct Point: Codable, Sendable { var noise: Double; var width: Int; var seed: Int }

    /// Epochs between test-error records: every epoch for the widest network (its epoch-wise curve), else `recordEvery`.
    func recordInterval(width: Int) -> Int { width == widths.last! ? 1 : recordEvery }
    struct Outcome: Codable, Sendable {
        var noise: Double; var width: Int; var seed: Int; var parameters: Int
        var trainError: Double; var testError: Double; var trainLoss: Double
        /// Epoch at which training error first reached 0 (nil: never).
        var interpolationEpoch: Int?
        var curve: [EpochRecord]
    }

    public func run(_ clean: DataSplit, command: String, checkpoint: String? = nil, progress: RunProgress = .silent) throws -> ExperimentResult {
        try validate()
        let start = Timing.now()
        let noises = [labelNoise] + (withoutNoise && labelNoise > 0 ? [0] : [])
        var splits = [Double: DataSplit]()
        for v in noises {
            var s = clean
            if v > 0 { s.train = try clean.train.withLabelNoise(v, seed: 1) }
            splits[v] = s
        }
        let frozen = splits
        let points = noises.flatMap { v in widths.flatMap { w in (0..<seeds).map { Point(noise: v, width: w, seed: $0) } } }
        let cfg = self
        // Widest first: the longest runs start early, so both cores stay busy to the end.
        let order = points.indices.sorted { points[$0].width > points[$1].width }
        // Shared by every point: the recipe and the clean data bit for bit (the noisy labels are drawn from it with seed 1).
        let context = "width-sweep relu he-uniform batch=100 sgd momentum=0.9 lr=\(cfg.learningRate) epochs=\(cfg.epochs) depth=\(cfg.depth) label-noise-seed=1 data=\(clean.fingerprint)"
        let sweep = Sweep<Point, Outcome>(points: order.map { points[$0] }, context: context, checkpoint: checkpoint) {
            "width-\($0.width)-noise\($0.noise)-seed\($0.seed)-record\(cfg.recordInterval(width: $0.width))"
        }
        let swept = sweep.run(progress: { d, t in progress.report("\(d)/\(t) networks", Double(d) / Double(t)) }) { p in
            let split = frozen[p.noise]!
            let hidden = (0..<cfg.depth).flatMap { _ in [LayerSpec.dense(outputs: p.width), .relu] }
            let net = try! Network<Float>(input: (split.train.featureCount, 1), hidden: hidden, outputs: split.train.classCount,
                                          initialization: .heUniform, seed: UInt64(p.seed))
            let config = TrainingConfig(epochs: cfg.epochs, batchSize: 100, optimizer: OptimizerConfig(kind: .sgd, learningRate: cfg.learningRate, momentum: 0.9),
                                        seed: UInt64(p.seed), evaluateEvery: cfg.recordInterval(width: p.width))
            let run = Trainer<Float>(config).train(net, train: split.train, test: split.test)
            let f = run.final!
            return Outcome(noise: p.noise, width: p.width, seed: p.seed, parameters: net.parameterCount, trainError: f.trainError, testError: f.testError,
                           trainLoss: f.trainLoss, interpolationEpoch: run.records.first { $0.trainError == 0 }?.epoch, curve: run.records)
        }
        let outcomes = swept.outcomes
        var table = Table(name: "width", columns: ["noise", "width", "parameters", "train_error", "test_error", "test_error_lower", "test_error_upper"])
        var epochTable = Table(name: "epochs", columns: ["noise", "width", "epoch", "train_error", "test_error"])
        var summary = [Double: [(width: Int, test: Double, train: Double)]]()
        for v in noises {
            for w in widths {
                let o = outcomes.filter { $0.noise == v && $0.width == w }
                let te = o.map(\.testError)
                let ci = te.count > 1 ? Stats.tInterval(te) : Interval(estimate: te[0], lower: te[0], upper: te[0], level: 0.95)
                let tr = Stats.mean(o.map(\.trainError))
                table.append([JSONValue(v), JSONValue(w), JSONValue(o[0].parameters), JSONValue(tr), JSONValue(ci.estimate), JSONValue(ci.lower), JSONValue(ci.upper)])
                summary[v, default: []].append((w, ci.estimate, tr))
            }
            if let widest = outcomes.filter({ $0.noise == v && $0.width == widths.last! && $0.seed == 0 }).first {
                for r in widest.curve { epochTable.append([JSONValue(v), JSONValue(widest.width), JSONValue(r.epoch), JSONValue(r.trainError), JSONValue(r.testError)]) }
            }
        }
        let noisy = summary[labelNoise]!
        // The interpolation width: the smallest width whose training error reaches 0 (≤ 0.1% counts).
        let interp = noisy.firstIndex { $0.train <= 0.001 }
        let interpWidth = interp.map { noisy[$0].width }
        // Double descent's peak is the maximum after the first descent: the best under-parameterized
        // width (lowest test error before the interpolation width), then the worst width after it.
        let before = (interp ?? noisy.count - 1)
        let firstMin = (0...max(0, before - 1)).min { noisy[$0].test < noisy[$1].test } ?? 0
        let peak = (firstMin..<noisy.count).max { noisy[$0].test < noisy[$1].test }!
        // A bump counts when it exceeds two standard errors of a difference of two test errors.
        let testCount = Double(clean.test.count)
        let se = (2 * noisy[peak].test * (1 - noisy[peak].test) / testCount).squareRoot() / Double(seeds).squareRoot()
        let bump = noisy[peak].test - noisy[firstMin].test
        let fallsAfter = noisy.last!.test < noisy[peak].test - 2 * se
        let peakNearInterp: Bool? = interp.map { abs($0 - peak) <= 2 }
        var verdicts = [Verdict]()
        verdicts.append(Verdict(
            claim: "With label noise, test error peaks near the width where the network first fits the training set, then falls as width grows (model-wise double descent).",
            supported: peakNearInterp.map { $0 && fallsAfter && bump > 2 * se } ?? nil,
            evidence: String(format: "With %.0f%% label noise the test error falls to %.1f%% at h = %d, rises to %.1f%% at h = %d (+%.1f points; 2 SE = %.1f), and ends at %.1f%% at h = %d; training error first reaches 0 at h = %@.",
                             labelNoise * 100, noisy[firstMin].test * 100, noisy[firstMin].width, noisy[peak].test * 100, noisy[peak].width, bump * 100, 2 * se * 100,
                             noisy.last!.test * 100, noisy.last!.width, interpWidth.map(String.init) ?? "none in the grid (train longer)"),
            values: ["peak_width": Double(noisy[peak].width), "peak_test_error": noisy[peak].test, "interpolation_width": interpWidth.map(Double.init) ?? .nan,
                     "widest_test_error": noisy.last!.test, "bump": bump]))
        if let clean = summary[0], labelNoise > 0 {
            // The same measure on clean labels: first minimum before interpolation, then the worst after it.
            let cleanInterp = clean.firstIndex { $0.train <= 0.001 } ?? clean.count - 1
            let cleanFirstMin = (0...max(0, cleanInterp - 1)).min { clean[$0].test < clean[$1].test } ?? 0
            let cleanBump = (cleanFirstMin..<clean.count).map { clean[$0].test }.max()! - clean[cleanFirstMin].test
            verdicts.append(Verdict(
                claim: "Label noise makes the peak: without it the bump at the threshold is smaller or absent.",
                supported: bump > cleanBump + 2 * se,
                evidence: String(format: "Rise after the first minimum: %.1f points with noise, %.1f without (clean test error %.1f%% at h = %d).",
                                 bump * 100, cleanBump * 100, clean.last!.test * 100, clean.last!.width),
                values: ["bump_noisy": bump, "bump_clean": cleanBump]))
        }
        // The epoch-wise verdict lives in `EpochWise` (--axis epochs), which trains several seeds
        // of one network; here the widest network's curve is only drawn.
        let series: [FigureSpec.Series] = noises.flatMap { v -> [FigureSpec.Series] in
            let name = v > 0 ? String(format: "%.0f%% label noise", v * 100) : "clean labels"
            return [.init(y: "test_error", label: "test, " + name, lower: "test_error_lower", upper: "test_error_upper", markers: true, filterColumn: "noise", filterValue: formatNumber(v)),
                    .init(y: "train_error", label: "train, " + name, dashed: true, filterColumn: "noise", filterValue: formatNumber(v))]
        }
        let figures = [
            FigureSpec(file: "width.svg", title: "MLP width double descent on MNIST-1D", table: "width", x: "width", xLabel: "hidden width h", yLabel: "error",
                       xLog: true, series: series),
            FigureSpec(file: "epochs.svg", title: "Epoch-wise: the widest network over training", table: "epochs", x: "epoch", xLabel: "epoch", yLabel: "error",
                       series: noises.flatMap { v in [FigureSpec.Series(y: "test_error", label: v > 0 ? "test, noisy labels" : "test, clean", filterColumn: "noise", filterValue: formatNumber(v)),
                                                      FigureSpec.Series(y: "train_error", label: v > 0 ? "train, noisy labels" : "train, clean", dashed: true, filterColumn: "noise", filterValue: formatNumber(v))] }),
        ]
        return ExperimentResult(experiment: "double-descent-width",
                                configuration: ["axis": "width", "data": JSONValue(data), "widths": .array(widths.map { JSONValue($0) }), "epochs": JSONValue(epochs),
                                                "label_noise": JSONValue(labelNoise), "seeds": JSONValue(seeds), "lr": JSONValue(learningRate), "depth": JSONValue(depth)],
                                seed: 0, metrics: ["peak_width": JSONValue(noisy[peak].width), "interpolation_width": interpWidth.map { JSONValue($0) } ?? .null],
                                verdicts: verdicts, command: command, figures: figures, tables: [table, epochTable], seconds: Timing.now() - start,
                                notes: swept.note.map { [$0] } ?? [],
                                references: [Reference(source: "MNIST-1D notebooks (Greydanus 2020)", value: "54.0%", what: "peak test error at h ≈ 47–61 with 15% label noise"),
                                             Reference(source: "MNIST-1D notebooks (Greydanus 2020)", value: "45.5%", what: "test error at h = 300")])
    }
}

extension WidthSweep: Experiment {
    public var name: String { "double-descent-width" }
    public func run(_ context: RunContext) throws -> ExperimentResult {
        try run(context.load(data, for: name), command: context.command, checkpoint: context.checkpoint, progress: context.progress)
    }
}
