import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// The hyperparameters of the zoo, three values each in Jiang et al.'s protocol.
public struct ZooGrid: Codable, Sendable, Equatable {
    /// Hidden-layer widths.
    public var widths: [Int]
    /// Hidden layers.
    public var depths: [Int]
    /// Learning rates (SGD, momentum 0.9, constant).
    public var learningRates: [Double]
    /// Batch sizes.
    public var batchSizes: [Int]
    /// Weight decays (L2).
    public var weightDecays: [Double]
    /// Dropout rates after each hidden layer.
    public var dropouts: [Double]
    /// Training samples (the first n of the data's training split).
    public var trainSizes: [Int]

    public init(
        widths: [Int] = [128, 256, 512], depths: [Int] = [1, 2, 3], learningRates: [Double] = [0.005, 0.01, 0.02],
        batchSizes: [Int] = [32, 64, 128],
        weightDecays: [Double] = [0, 1e-5, 1e-4], dropouts: [Double] = [0, 0.05, 0.1],
        trainSizes: [Int] = [250, 500, 1000]
    ) {
        self.widths = widths
        self.depths = depths
        self.learningRates = learningRates
        self.batchSizes = batchSizes
        self.weightDecays = weightDecays
        self.dropouts = dropouts
        self.trainSizes = trainSizes
    }

    /// The hyperparameters' names, in the order of a point's indices (the networks table's columns).
    public static let names = ["width", "depth", "learning_rate", "batch", "weight_decay", "dropout", "train_size"]

    /// The values of hyperparameter h, as numbers.
    public func values(_ h: Int) -> [Double] {
        switch h {
        case 0: return widths.map(Double.init)
        case 1: return depths.map(Double.init)
        case 2: return learningRates
        case 3: return batchSizes.map(Double.init)
        case 4: return weightDecays
        case 5: return dropouts
        default: return trainSizes.map(Double.init)
        }
    }

    public var counts: [Int] { (0..<7).map { values($0).count } }
    public var size: Int { counts.reduce(1, *) }
}

/// "Capacity is not the parameter count", measured (Jiang et al. 2020, "Fantastic generalization
/// measures and where to find them", on MNIST-1D): a zoo of ReLU MLPs over a grid of seven
/// hyperparameters, each trained by SGD (momentum 0.9, constant rate) until its training
/// cross-entropy is at most 0.01 — a network that does not get there within the epoch limit is
/// left out and counted — and 22 measures of each (`MeasureCatalog`). Each measure is scored by
/// Kendall's τ with the generalization gap over the zoo (bootstrap intervals over networks) and
/// by the granulated Ψ. At full scale the zoo is the whole grid (3⁷ = 2,187 networks, for a
/// cluster); below, a star design: `bases` networks drawn from the grid, each with its
/// one-at-a-time neighbours (every other value of one hyperparameter), so that every
/// hyperparameter still has groups for Ψ.
public struct MeasureZoo: Codable, Sendable {
    /// A classification spec whose training split holds at least the largest training size.
    public var data: String
    /// The hyperparameter grid the zoo's networks are drawn from.
    public var grid: ZooGrid
    /// Star design with this many base networks; nil: the whole grid.
    public var bases: Int?
    /// Epoch limit per network; one that has not reached the target loss is left out and counted.
    public var maxEpochs: Int
    /// Every network trains until its training cross-entropy is at most this (Jiang et al.: 0.01).
    public var targetLoss: Double
    /// Samples the Hessian measures average over (at most; the training set when smaller).
    public var curvatureSamples: Int
    /// Settings of the measures that sample or iterate (flatness, gradient noise, Lanczos).
    public var settings: MeasureCatalog.Settings
    /// Bootstrap resamples of the networks for the τ intervals.
    public var resamples: Int
    /// Seed of the design, the initializations and the measures.
    public var seed: Int

    public static let defaultData = "mnist1d:train=1000,test=2000"

    public init(
        data: String = MeasureZoo.defaultData, grid: ZooGrid = ZooGrid(), bases: Int? = 12, maxEpochs: Int = 1000,
        targetLoss: Double = 0.01,
        curvatureSamples: Int = 500, settings: MeasureCatalog.Settings = .init(), resamples: Int = 2000, seed: Int = 0
    ) {
        self.data = data
        self.grid = grid
        self.bases = bases
        self.maxEpochs = maxEpochs
        self.targetLoss = targetLoss
        self.curvatureSamples = curvatureSamples
        self.settings = settings
        self.resamples = resamples
        self.seed = seed
    }

    /// Fewer converged networks than this: every verdict is inconclusive.
    public static let minimumNetworks = 10
    /// "Ranks about as well": within this much τ.
    static let tauMargin = 0.1

    /// One network of the zoo: an index into each hyperparameter's values.
    public struct Point: Codable, Sendable, Hashable { var index: [Int] }

    public struct Outcome: Codable, Sendable {
        /// Why training ended (nil: it failed with `problem`).
        var stopped: StopReason?
        var steps: Int
        var epochs: Int
        var trainLoss: Double
        var trainError: Double
        var testError: Double
        /// Empty for a network that did not reach the target (not measured).
        var measures: [String: Double]
        var problem: String?
        /// The network's recipe (`TrainingRecipe.key`), never a path: the sweep's key leaves the
        /// store out, so an outcome read back from a checkpoint may come from a run with another
        /// store; the file is looked up in this run's store when the table is written.
        var recipe: String? = nil
        var converged: Bool { stopped == .targetLoss && problem == nil }
    }
}

extension MeasureZoo: MeasuredExperiment, PointwiseExperiment {
    /// The design (its grid and star) names each network in its key; the bootstrap is analysis.
    public static let perPointFields: Set<String> = ["grid", "bases", "resamples"]
    public var name: String { "measures" }

    public func validate() throws {
        let g = grid
        guard g.counts.allSatisfy({ $0 >= 1 }) else {
            throw GenLabError.usage("every hyperparameter of the zoo needs at least one value, got \(g.counts)")
        }
        guard g.counts.contains(where: { $0 >= 2 }) else {
            throw GenLabError.usage(
                "every hyperparameter has one value: the zoo is one network, and Kendall's τ over one network is "
                    + "undefined; give some hyperparameter two or more values"
            )
        }
        // Each message names the setting (grid.NAME; the measures command also takes --NAME).
        for (h, key, ok, rule) in [
            (0, "widths", g.widths.allSatisfy { $0 >= 1 }, "≥ 1"),
            (1, "depths", g.depths.allSatisfy { $0 >= 1 }, "≥ 1"),
            (2, "learningRates", g.learningRates.allSatisfy { $0 > 0 && $0.isFinite }, "> 0"),
            (3, "batchSizes", g.batchSizes.allSatisfy { $0 >= 1 }, "≥ 1"),
            (4, "weightDecays", g.weightDecays.allSatisfy { $0 >= 0 }, "≥ 0"),
            (5, "dropouts", g.dropouts.allSatisfy { $0 >= 0 && $0 < 1 }, "in [0, 1)"),
            (6, "trainSizes", g.trainSizes.allSatisfy { $0 >= 2 }, "≥ 2"),
        ]
        where !ok {
            throw GenLabError.usage(
                "grid.\(key): every value must be \(rule), got " + g.values(h).map(formatNumber).joined(separator: ","))
        }
        for h in 0..<7 where Set(g.values(h)).count != g.values(h).count {
            throw GenLabError.usage("\(ZooGrid.names[h]): a value appears twice in \(g.values(h))")
        }
        if let b = bases, b < 1 { throw GenLabError.parameter(name: "bases", problem: "must be ≥ 1, got \(b)") }
        guard maxEpochs >= 1, targetLoss > 0, curvatureSamples >= 2, resamples >= 100 else {
            throw GenLabError.usage(
                "maxEpochs ≥ 1, targetLoss > 0, curvatureSamples ≥ "
                    + "2 and resamples (bootstrap) ≥ 100 are needed, got "
                    + "\(maxEpochs), \(targetLoss), \(curvatureSamples) and \(resamples)")
        }
        let spec = try DatasetSpec(parsing: data)
        guard spec.name != "regression" else {
            throw GenLabError.usage("\(data): the zoo's networks are classifiers; give a classification data set")
        }
    }

    /// The networks of the zoo: the whole grid, or the star design.
    func design() -> [Point] {
        let counts = grid.counts
        guard bases != nil else {
            var all = [[Int]]()
            func fill(_ prefix: [Int]) {
                if prefix.count == counts.count {
                    all.append(prefix)
                    return
                }
                for v in 0..<counts[prefix.count] { fill(prefix + [v]) }
            }
            fill([])
            return all.map { Point(index: $0) }
        }
        var points = [[Int]]()
        var seen = Set<[Int]>()
        for b in starCenters() {
            for h in counts.indices {
                for v in 0..<counts[h] {
                    var p = b
                    p[h] = v
                    if seen.insert(p).inserted { points.append(p) }
                }
            }
        }
        return points.map { Point(index: $0) }
    }

    /// The star design's base networks: `bases` distinct grid points drawn uniformly with the seed.
    func starCenters() -> [[Int]] {
        let counts = grid.counts
        var rng = Generator(seed: UInt64(seed), stream: 71)
        var chosen = [[Int]]()
        while chosen.count < min(bases ?? 0, grid.size) {
            let b = counts.map { rng.int(below: $0) }
            if !chosen.contains(b) { chosen.append(b) }
        }
        return chosen
    }

    func width(_ p: Point) -> Int { grid.widths[p.index[0]] }
    func depth(_ p: Point) -> Int { grid.depths[p.index[1]] }
    func learningRate(_ p: Point) -> Double { grid.learningRates[p.index[2]] }
    func batch(_ p: Point) -> Int { grid.batchSizes[p.index[3]] }
    func weightDecay(_ p: Point) -> Double { grid.weightDecays[p.index[4]] }
    func dropout(_ p: Point) -> Double { grid.dropouts[p.index[5]] }
    func trainSize(_ p: Point) -> Int { grid.trainSizes[p.index[6]] }

    /// The network's model spec, e.g. "mlp:256x256,dropout=0.05".
    func model(_ p: Point) -> String {
        "mlp:" + Array(repeating: String(width(p)), count: depth(p)).joined(separator: "x")
            + (dropout(p) > 0 ? ",dropout=\(formatNumber(dropout(p)))" : "")
    }

    /// What names a network (and its checkpoint file).
    func key(_ p: Point) -> String {
        "w\(width(p))-d\(depth(p))-lr\(formatNumber(learningRate(p)))-b\(batch(p))-wd\(formatNumber(weightDecay(p)))-p"
            + "\(formatNumber(dropout(p)))-n\(trainSize(p))"
    }

    /// The zoo's networks and their measures; where the shared store keeps each one's weights
    /// (looked up when measured: a reanalysis does not read the store).
    public struct Outcomes: Codable, Sendable {
        var points: [Point]
        var outcomes: [Outcome]
        /// The weights file of each network in the store (nil: none kept).
        var weights: [String?]
        /// The store's folder (nil: the run had none).
        var store: String?
    }

    /// Trains and measures every network of the design, each a content-addressed checkpoint.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, for: name)
        guard !split.train.isRegression else {
            throw GenLabError.usage("\(data): the zoo's networks are classifiers; give a classification data set")
        }
        let largest = grid.trainSizes.max()!
        guard split.train.count >= largest else {
            throw GenLabError.usage(
                "\(data): its training split has \(split.train.count) "
                    + "samples, and the zoo's largest training size is \(largest)"
            )
        }
        let points = design()
        // Everything the points share and their outcomes depend on: the recipe, every setting but
        // the design's, the data bit for bit; and whether the run keeps weights too: a store-less
        // run's points would leave a run with a store without its files, so the two do not share
        // points (the store still shares networks).
        let sweep = try Sweep<Point, Outcome>(
            points: points, of: self,
            recipe: "mlp relu sgd momentum=0.9 constant keeps-weights=\(context.networks != nil)",
            data: split.fingerprint, in: context
        ) { [self] in key($0) }
        let zoo = self
        let networks = context.networks
        let events = context.events
        let swept = try sweep.run(progress: { d, t in
            context.progress.report("\(d)/\(t) networks trained and measured", Double(d) / Double(t))
        }) { p in
            zoo.trainAndMeasure(p, split: split, networks: networks, events: events)
        }
        return Measured(
            Outcomes(
                points: points, outcomes: swept.outcomes, weights: weightFiles(swept.outcomes, in: networks),
                store: networks?.folder),
            notes: swept.note.map { [$0] } ?? [])
    }

    /// τ and Ψ of every measure, the verdicts and the tables, from the networks' outcomes alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        return result(
            points: o.points, outcomes: o.outcomes, seconds: 0, command: "", notes: measured.notes, weights: o.weights,
            store: o.store)
    }

    /// Trains one network to the target cross-entropy (or reads it from `networks`, the shared
    /// store, when the same recipe was trained before) and, if it gets there, measures it.
    func trainAndMeasure(_ p: Point, split: DataSplit, networks: NetworkStore? = nil, events: TrainingEvents? = nil)
        -> Outcome
    {
        let train = split.train.subset(Array(0..<trainSize(p)))
        do {
            let net: Network<Float> = try ModelSpec(parsing: model(p)).network(for: train, seed: UInt64(seed))
            let initial = net.parameterArray
            let config = TrainingConfig(
                epochs: maxEpochs, batchSize: batch(p),
                optimizer: OptimizerConfig(
                    kind: .sgd, learningRate: learningRate(p), momentum: 0.9, weightDecay: weightDecay(p)),
                seed: UInt64(seed), targetLoss: targetLoss, evaluateEvery: maxEpochs)
            let fit = { (n: Network<Float>) in
                Trainer<Float>(config, events: events).train(n, train: train, test: split.test)
            }
            var trained = split
            trained.train = train
            let recipe = TrainingRecipe(
                data: trained.fingerprint,
                architecture: TrainingRecipe.architecture(
                    of: net, initialization: .he, seed: UInt64(seed), batch: config.batchSize),
                training: config)
            let run = networks.map { $0.trained(recipe, network: net, train: fit).run } ?? fit(net)
            let last = run.final
            var outcome = Outcome(
                stopped: run.stoppedBecause, steps: run.steps, epochs: last?.epoch ?? 0,
                trainLoss: last?.trainLoss ?? .nan,
                trainError: last?.trainError ?? .nan, testError: last?.testError ?? .nan, measures: [:], problem: nil,
                recipe: recipe.key)
            if outcome.converged {
                let curvature = train.curvatureSample(curvatureSamples, seed: UInt64(seed))
                outcome.measures = try MeasureCatalog.measure(
                    net, initial: initial, train: train, curvature: curvature, steps: run.steps, batch: batch(p),
                    settings: settings)
            }
            return outcome
        } catch {
            return Outcome(
                stopped: nil, steps: 0, epochs: 0, trainLoss: .nan, trainError: .nan, testError: .nan, measures: [:],
                problem: "\(error)")
        }
    }
}

extension MeasureZoo: PartialAnalysis {
    /// The networks finished so far, ranked by the zoo's own analysis (which needs ten converged
    /// networks before any verdict is decided). The design is not a grid: any finished subset of
    /// its networks is a zoo.
    public func analyze(finished: [FinishedPoint]) -> ExperimentResult? {
        let byKey = Dictionary(finished.map { ($0.key, $0.outcome) }, uniquingKeysWith: { a, _ in a })
        let all = design()
        var points = [Point]()
        var outcomes = [Outcome]()
        for p in all {
            guard let text = byKey[key(p)], let o = try? SweepPoints.decode(text, as: Outcome.self) else { continue }
            points.append(p)
            outcomes.append(o)
        }
        guard !points.isEmpty else { return nil }
        let note = "Partial: \(points.count) of \(all.count) networks finished."
        return analyze(
            Measured(
                Outcomes(points: points, outcomes: outcomes, weights: points.map { _ in nil }, store: nil),
                notes: [note]))
    }
}
