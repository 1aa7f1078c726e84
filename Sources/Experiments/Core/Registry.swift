import Foundation
import Learners
import LinearAlgebra

/// How much of an experiment to run.
public enum Scale: String, CaseIterable, Codable, Sendable {
    /// Seconds, for the test suite: the same steps on small data.
    case tiny
    /// Each claim in a few minutes on 2 cores (the tour's default).
    case quick
    /// The command's own defaults (what `genlab COMMAND` runs with no options).
    case `default`
    /// The published setups.
    case full
}

/// One experiment at one scale: the value to run, and the command line that runs the same.
public struct Planned: Sendable {
    public var experiment: any Experiment
    /// `genlab` arguments (without --out and --data-dir) that build the same experiment value:
    /// `run FOLDER` and the options that lead from the default-scale value to this one, derived
    /// from the two values (`RegistryEntry.plan`), never written by hand.
    public internal(set) var arguments: [String] = []
    /// Expected seconds on 2 cores (for the tour's ETA).
    public var estimate: Double
    /// Whether it reads Fashion-MNIST (the tour passes --data-dir along).
    public var readsFashionMNIST: Bool

    public init(_ experiment: any Experiment, estimate: Double, readsFashionMNIST: Bool = false) {
        self.experiment = experiment
        self.estimate = estimate
        self.readsFashionMNIST = readsFashionMNIST
    }

    /// Whether a live view redraws its figure and verdicts while it runs: from its checkpointed
    /// points (`PartialAnalysis`) or from the units it publishes (`LiveMeasurement`).
    public var isLive: Bool { experiment is any PartialAnalysis || experiment is any LiveMeasurement }
}

/// One line of the registry: an experiment of the talk and its scales.
public struct RegistryEntry: Sendable {
    /// The result folder in the tour (an experiment run on two data sets has two folders).
    public var folder: String
    /// The experiment's name (as in result.json); its claim is `Registry.claim(of: name)`.
    public var name: String
    /// The experiment's own command and the options that choose it (not its settings), e.g.
    /// ["double-descent", "--axis", "width"]; ["run", folder] when it has none of its own.
    public var command: [String]
    /// A few words for progress lines.
    public var label: String
    /// Seconds at the quick scale on 2 cores: each experiment's time in the quick tour measured
    /// on this repository's 2-core machine (AVX-512 Xeon, OpenBLAS's SkylakeX kernel) with
    /// nothing else running (226 s wall, 2026-12-07, the width sweep at 3 seeds), plus 8%,
    /// rounded up (at least 1); since then the zoo's 80 networks, the sample-wise network's 10
    /// seeds and model size on 4,000 images (measured on an AMD EPYC, 2026-12-07). Their sum,
    /// 296 s, is held to the tour's real limit, 300 s; the tour's ETA rescales them by the
    /// measured speed.
    public var quickBudget: Double
    /// The experiment's type: result.json's configuration decodes to it (`genlab rerun`, `genlab run --config`).
    public var type: any Experiment.Type
    /// Whether the tour runs it. An entry whose quick scale has not been measured to fit the
    /// tour's budget stays out (quickBudget 0) and runs by `genlab run FOLDER`.
    public var inTour: Bool
    /// The claim of the talk it tests, where the entry states it itself (else `Registry.claims`).
    public var claim: Claim?
    /// The talk's claim group, where the entry states it itself (else `ClaimGroup.of`'s table).
    public var group: ClaimGroup?
    let make: @Sendable (Scale) -> Planned

    public init(
        folder: String, command: [String], name: String, label: String, quickBudget: Double, type: any Experiment.Type,
        inTour: Bool = true, claim: Claim? = nil, group: ClaimGroup? = nil, plan: @escaping @Sendable (Scale) -> Planned
    ) {
        self.folder = folder
        self.command = command
        self.name = name
        self.label = label
        self.quickBudget = quickBudget
        self.type = type
        self.inTour = inTour
        self.claim = claim
        self.group = group
        self.make = plan
    }

    /// The experiment at a scale, with the `genlab run` arguments that build it.
    public func plan(_ s: Scale) -> Planned {
        var p = make(s)
        p.arguments = ["run", folder] + Self.options(p.experiment, from: make(.default).experiment)
        return p
    }

    static func options<E: Experiment>(_ e: E, from base: any Experiment) -> [String] {
        guard let b = base as? E else { preconditionFailure("registry entry: scales of one entry are of one type") }
        return e.options(from: b)
    }
}

/// Every experiment of the talk, in the talk's order. The tour, the report, `genlab rerun`,
/// `genlab run`, `genlab serve`, `genlab sweep`, `genlab bench sweeps` and the README's table are
/// built from it; adding an experiment is one new file under Sources/Experiments/<Area>/ plus one
/// entry here, with its claim and claim group (the DocC tutorial "Write your own experiment").
public enum Registry {
    public static let entries: [RegistryEntry] =
        perceptron + biasVariance + doubleDescent + capacity + sharpness + implicitBias + regularization

    public static func entry(folder: String) -> RegistryEntry? { entries.first { $0.folder == folder } }

    /// The place of an experiment in the talk (for ordering a report); unknown names go last.
    public static func order(_ name: String) -> Int { entries.firstIndex { $0.name == name } ?? entries.count }

    /// Experiments outside the talk's list that results may still come from.
    public static let tools: [(name: String, type: any Experiment.Type)] = [
        ("train", TrainExperiment.self), ("sharpness", SharpnessMeasurement.self),
        ("landscape", LandscapeMeasurement.self),
    ]

    /// The claim an experiment tests: its entry's own, else the table's.
    public static func claim(of name: String) -> Claim? {
        entries.first { $0.name == name && $0.claim != nil }?.claim ?? claims[name]
    }

    /// Decodes an experiment from its name and its configuration (result.json's `configuration`).
    public static func decode(name: String, configuration: [String: JSONValue]) throws -> any Experiment {
        guard
            let type = entries.first(where: { $0.name == name })?.type ?? tools.first(where: { $0.name == name })?.type
        else {
            throw GenLabError.usage("no experiment named \"\(name)\"; known: \(knownNames.joined(separator: ", "))")
        }
        func decoded<E: Experiment>(_ t: E.Type) throws -> any Experiment {
            try JSONValue.object(configuration).decoded(as: t)
        }
        return try decoded(type)
    }

    public static var knownNames: [String] { Array(Set(entries.map(\.name) + tools.map(\.name))).sorted() }
}

// MARK: - The entries, by part of the talk

extension Registry {
    static let sharpness: [RegistryEntry] = [
        RegistryEntry(
            folder: "sharpness-rescaling", command: ["run", "sharpness-rescaling"], name: "sharpness-rescaling",
            label: "sharp vs flat: the same function at any sharpness (Dinh et al.)",
            quickBudget: 1, type: SharpnessRescaling.self
        ) { s in
            let e: SharpnessRescaling
            switch s {
            case .tiny:
                e = SharpnessRescaling(
                    data: "mnist1d:train=200,test=100", width: 16, epochs: 3, alphas: [0.1, 1, 10], samples: 100)
            case .quick, .default: e = SharpnessRescaling()
            case .full:
                e = SharpnessRescaling(
                    data: "mnist1d", width: 256, epochs: 50, alphas: [0.01, 0.1, 0.3, 1, 3, 10, 100], samples: 1000)
            }
            return Planned(e, estimate: s == .tiny ? 1 : 8)
        },
        RegistryEntry(
            folder: "batch-size-sharpness", command: ["run", "batch-size-sharpness"], name: "batch-size-sharpness",
            label: "sharp vs flat: large batches, sharper minima (Keskar et al.)",
            quickBudget: 3, type: BatchSizeSharpness.self
        ) { s in
            let e: BatchSizeSharpness
            switch s {
            case .tiny:
                e = BatchSizeSharpness(
                    data: "mnist1d:train=200,test=200", model: "mlp:16", batchSizes: [8], targetLoss: 0.3,
                    maxEpochs: 400, seeds: 2, samples: 200)
            case .quick: e = BatchSizeSharpness()
            case .default:
                e = BatchSizeSharpness(data: "fashion-mnist:train=4000,test=10000", batchSizes: [32, 64, 128])
            case .full:
                e = BatchSizeSharpness(
                    data: "fashion-mnist:train=10000,test=10000", batchSizes: [32, 64, 128, 256], seeds: 10)
            }
            return Planned(
                e, estimate: s == .tiny ? 2 : (s == .quick ? 8 : 240), readsFashionMNIST: s == .default || s == .full)
        },
        // Keskar et al.'s networks were convolutional: the same comparison with the ablation's
        // image CNN on Fashion-MNIST. Plain SGD at η = 0.05 (the PyTorch CNN reference's rate, set
        // before the run: η = 0.3 of the MLP entry is past a CNN's stable step). Training every
        // batch size down to loss 0.1, full batch included, takes minutes per seed on 2 cores (the
        // quick scale ran past 15 minutes on a loaded machine): not in the tour; default and full
        // are cluster jobs.
        RegistryEntry(
            folder: "batch-size-sharpness-cnn", command: ["run", "batch-size-sharpness-cnn"],
            name: "batch-size-sharpness",
            label: "sharp vs flat with a CNN on Fashion-MNIST images (Keskar et al.'s setting)", quickBudget: 0,
            type: BatchSizeSharpness.self,
            inTour: false
        ) { s in
            let e: BatchSizeSharpness
            switch s {
            case .tiny:
                e = BatchSizeSharpness(
                    data: "fashion-mnist:train=40,test=40", model: "cnn2d:2,pool=4", batchSizes: [10],
                    largeFraction: 0.5,
                    learningRate: 0.05, targetLoss: 1.5, maxEpochs: 30, seeds: 2, samples: 16)
            case .quick:
                e = BatchSizeSharpness(
                    data: "fashion-mnist:train=500,test=2000", model: imageCNN, learningRate: 0.05, maxEpochs: 2000,
                    seeds: 3, samples: 500)
            case .default:
                e = BatchSizeSharpness(
                    data: "fashion-mnist:train=4000,test=10000", model: imageCNN, batchSizes: [32, 64, 128],
                    learningRate: 0.05)
            case .full:
                e = BatchSizeSharpness(
                    data: "fashion-mnist:train=10000,test=10000", model: imageCNN, batchSizes: [32, 64, 128, 256],
                    learningRate: 0.05, seeds: 10)
            }
            return Planned(
                e, estimate: s == .tiny ? 3 : (s == .quick ? 3600 : (s == .default ? 14_400 : 72_000)),
                readsFashionMNIST: true)
        },
        RegistryEntry(
            folder: "edge-of-stability", command: ["run", "edge-of-stability"], name: "edge-of-stability",
            label: "sharp vs flat: gradient descent at the edge of stability (Cohen et al.)",
            quickBudget: 3, type: EdgeOfStability.self
        ) { s in
            let e: EdgeOfStability
            switch s {
            case .tiny:
                e = EdgeOfStability(
                    data: "mnist1d:train=200,test=100", model: "mlp:16", stepSizes: [1.0], steps: 300, measureEvery: 20)
            case .quick: e = EdgeOfStability()
            // λ_max every 10 steps at default (40 before, 2026-12-07: at η = 1.2 the climb from 1.43
            // to the edge 1.67 held too few measurements, so the trend could only have shown a ρ of
            // 0.89; every 10 it can show 0.55). Chosen after that verdict, from its power calculation.
            case .default: e = EdgeOfStability(stepSizes: [0.6, 0.8, 1.0, 1.2], steps: 8000, measureEvery: 10)
            case .full:
                e = EdgeOfStability(
                    data: "mnist1d:train=4000,test=1000", model: "mlp:200x200", stepSizes: [0.2, 0.4, 0.6, 0.8],
                    steps: 20000, measureEvery: 100)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .quick ? 10 : 60))
        },
        RegistryEntry(
            folder: "bad-minima", command: ["run", "bad-minima"], name: "bad-minima",
            label: "bad global minima: fit random labels first, then the true ones (Liu et al.)", quickBudget: 4,
            type: BadMinima.self
        ) { s in
            var e = BadMinima()
            switch s {
            case .tiny:
                (e.data, e.model, e.seeds, e.maxEpochs, e.samples, e.targetLoss) = (
                    "mnist1d:train=100,test=100", "mlp:32", 2, 300, 100, 0.05
                )
            case .quick: (e.data, e.seeds) = ("fashion-mnist:train=500,test=2000,standardize", 6)
            case .default: break
            case .full:
                (e.data, e.model, e.seeds, e.samples) = (
                    "fashion-mnist:train=4000,test=10000,standardize", "mlp:512", 10, 1000
                )
            }
            return Planned(
                e, estimate: s == .tiny ? 2 : (s == .full ? 900 : (s == .quick ? 6 : 25)), readsFashionMNIST: s != .tiny
            )
        },
        RegistryEntry(
            folder: "landscape-trajectory", command: ["run", "landscape-trajectory"], name: "landscape-trajectory",
            label: "landscapes: is the training path nearly 2-D, beyond a random walk? (Li et al. §7)", quickBudget: 1,
            type: TrajectoryDimension.self
        ) { s in
            var e = TrajectoryDimension()
            switch s {
            case .tiny:
                (e.data, e.model, e.seeds, e.walks, e.steps, e.samples) = (
                    "mnist1d:train=200,test=100", "mlp:16", 2, 20, 5, 100
                )
                (e.epochs, e.batchSize) = (6, 32)
            case .quick, .default: break
            case .full:
                (e.data, e.model, e.seeds, e.walks, e.steps, e.samples) = (
                    "mnist1d:train=4000,test=1000", "mlp:256x256", 10, 500, 51, 1000
                )
                e.epochs = 100
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .full ? 300 : 4))
        },
    ]

    /// `random-labels` at a scale (the CNN entry starts from it).
    static func randomLabels(_ s: Scale) -> RandomLabels {
        switch s {
        case .tiny:
            return RandomLabels(
                data: "mnist1d:train=100,test=200", model: "mlp:64", fractions: [0, 1], inputCorruptions: false,
                seeds: 2, maxEpochs: 300)
        case .quick: return RandomLabels()
        case .default:
            return RandomLabels(
                data: "fashion-mnist:train=1000,test=5000", fractions: [0, 0.2, 0.4, 0.6, 0.8, 1], seeds: 3)
        case .full:
            return RandomLabels(
                data: "fashion-mnist:train=2000,test=10000", model: "mlp:512", fractions: [0, 0.2, 0.4, 0.6, 0.8, 1],
                seeds: 5, maxEpochs: 1000)
        }
    }

    static let regularization: [RegistryEntry] = [
        RegistryEntry(
            folder: "regularizers", command: ["regularizers"], name: "regularizers",
            label: "what regularizes a network: dropout, L2, early stopping, batch, augmentation, architecture",
            quickBudget: 8, type: RegularizerAblation.self
        ) { s in
            let e: RegularizerAblation
            switch s {
            case .tiny:
                e = RegularizerAblation(
                    data: "mnist1d:train=200,test=200", width: 32, cnn: "cnn1d:8x8,kernel=5,stride=2", epochs: 10,
                    seeds: 2)
            case .quick: e = RegularizerAblation(epochs: 60, seeds: 8)
            case .default:
                e = RegularizerAblation(data: "mnist1d:train=4000,test=1000", width: 1024, epochs: 100, seeds: 5)
            case .full:
                e = RegularizerAblation(data: "mnist1d:train=4000,test=1000", width: 1024, epochs: 200, seeds: 10)
            }
            return Planned(e, estimate: s == .tiny ? 2 : (s == .quick ? 15 : 300))
        },
        // The same ablation on a Fashion-MNIST subset: images, so translations for augmentation; the
        // architecture comparison with a 2-D CNN at the default and full scales (not measured to
        // fit the quick tour, whose CNN stays 1-D and so left out). `genlab regularizers --data
        // fashion-mnist…` starts from these.
        RegistryEntry(
            folder: "regularizers-fashion", command: ["regularizers"], name: "regularizers",
            label: "what regularizes a network, on Fashion-MNIST images",
            quickBudget: 6, type: RegularizerAblation.self
        ) { s in
            let e: RegularizerAblation
            switch s {
            case .tiny:
                e = RegularizerAblation(
                    data: "fashion-mnist:train=100,test=100", width: 16, epochs: 5, shifts: [-2, 2], seeds: 2)
            case .quick:
                e = RegularizerAblation(
                    data: "fashion-mnist:train=500,test=1000", width: 256, epochs: 30, shifts: [-2, 2], seeds: 8)
            case .default:
                e = RegularizerAblation(
                    data: "fashion-mnist:train=2000,test=2000", width: 512, cnn: Self.imageCNN, epochs: 60,
                    shifts: [-2, -1, 1, 2], seeds: 5)
            case .full:
                e = RegularizerAblation(
                    data: "fashion-mnist:train=4000,test=10000", width: 512, cnn: Self.imageCNN, epochs: 100,
                    shifts: [-2, -1, 1, 2], seeds: 10)
            }
            return Planned(e, estimate: s == .tiny ? 2 : (s == .quick ? 10 : 1500), readsFashionMNIST: true)
        },
    ]

    /// The image CNN of the ablation on Fashion-MNIST: two 3×3 convolutions of 16 and 32
    /// channels, each max pooled by 2 (28 → 14 → 7), then the linear layer.
    static let imageCNN = "cnn2d:16x32,pool=2"

    static let implicitBias: [RegistryEntry] = [
        RegistryEntry(
            folder: "implicit-bias-guess-and-check", command: ["run", "implicit-bias-guess-and-check"],
            name: "implicit-bias-guess-and-check",
            label: "SGD against guess and check: random networks that fit the same set (Chiang et al.)", quickBudget: 2,
            type: GuessAndCheck.self
        ) { s in
            var e = GuessAndCheck()
            switch s {
            case .tiny: (e.n, e.sets, e.interpolators, e.maxDraws, e.batch) = (4, 2, 2, 20_000, 1024)
            case .quick: (e.sets, e.interpolators) = (10, 5)
            case .default: break
            case .full: (e.n, e.sets, e.interpolators, e.maxDraws) = (32, 20, 20, 100_000_000)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .full ? 3600 : (s == .quick ? 4 : 20)))
        },
        RegistryEntry(
            folder: "implicit-bias-least-squares", command: ["implicit-bias", "--axis", "least-squares"],
            name: "implicit-bias-least-squares",
            label: "implicit bias: gradient descent finds the minimum-norm solution",
            quickBudget: 1, type: LeastSquaresImplicitBias.self
        ) { s in
            let e =
                s == .tiny
                ? LeastSquaresImplicitBias(samples: 20, features: 60, steps: 300) : LeastSquaresImplicitBias()
            return Planned(e, estimate: 1)
        },
        RegistryEntry(
            folder: "implicit-bias-logistic", command: ["implicit-bias", "--axis", "logistic"],
            name: "implicit-bias-logistic",
            label: "implicit bias: gradient descent drifts to the max-margin direction (Soudry et al.)",
            quickBudget: 1, type: LogisticImplicitBias.self
        ) { s in
            let e: LogisticImplicitBias
            switch s {
            case .tiny: e = LogisticImplicitBias(samples: 50, features: 10, steps: 10_000)
            case .quick: e = LogisticImplicitBias(steps: 200_000)
            case .default: e = LogisticImplicitBias()
            case .full: e = LogisticImplicitBias(steps: 10_000_000)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .quick ? 3 : (s == .default ? 10 : 100)))
        },
    ]

    static let perceptron: [RegistryEntry] = [
        RegistryEntry(
            folder: "perceptron-mistakes", command: ["perceptron", "mistakes"], name: "perceptron-mistakes",
            label: "perceptron mistake bound (synthetic)", quickBudget: 1, type: MistakeBoundExperiment.self
        ) { s in
            let data = s == .tiny ? "separable:d=10,n=300,margin=0.1" : MistakeBoundExperiment().data
            return Planned(MistakeBoundExperiment(data: data), estimate: 1)
        },
        RegistryEntry(
            folder: "perceptron-mistakes-fashion", command: ["perceptron", "mistakes"], name: "perceptron-mistakes",
            label: "perceptron mistake bound (Fashion-MNIST trouser vs bag)",
            quickBudget: 4, type: MistakeBoundExperiment.self
        ) { s in
            let data =
                s == .tiny
                ? "fashion-mnist:classes=trouser,bag,train=300,test=100" : "fashion-mnist:classes=trouser,bag"
            return Planned(MistakeBoundExperiment(data: data), estimate: 8, readsFashionMNIST: true)
        },
        RegistryEntry(
            folder: "perceptron-risk", command: ["perceptron", "risk"], name: "perceptron-risk",
            label: "perceptron risk bounds", quickBudget: 3, type: RiskBoundExperiment.self
        ) { s in
            let tiny = s == .tiny
            let e = RiskBoundExperiment(
                sizes: tiny ? [50, 100] : [100, 200, 500, 1000, 2000], trials: tiny ? 10 : 200,
                testCount: tiny ? 1000 : 10_000)
            return Planned(e, estimate: 10)
        },
        RegistryEntry(
            folder: "perceptron-proof", command: ["run", "perceptron-proof"], name: "perceptron-proof",
            label: "the perceptron bounds' proof steps: online-to-batch, leave-one-out, orderings", quickBudget: 1,
            type: PerceptronProofSteps.self
        ) { s in
            var e = PerceptronProofSteps()
            switch s {
            case .tiny: (e.n, e.trials, e.looTrials, e.orders, e.testCount) = (50, 20, 3, 3, 1000)
            case .quick, .default: break
            case .full: (e.n, e.trials, e.looTrials, e.orders, e.testCount) = (500, 1000, 100, 20, 100_000)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .full ? 120 : 3))
        },
        RegistryEntry(
            folder: "perceptron-dimension", command: ["perceptron", "risk", "--axis", "dimension"],
            name: "perceptron-dimension", label: "the perceptron's capacity is R/γ, not the dimension",
            quickBudget: 4, type: DimensionFreeRisk.self
        ) { s in
            let e: DimensionFreeRisk
            switch s {
            case .tiny: e = DimensionFreeRisk(dimensions: [10, 100], n: 100, trials: 5, testCount: 500)
            case .quick: e = DimensionFreeRisk(dimensions: [10, 30, 100, 300, 1000, 3000], trials: 30)
            case .default, .full: e = DimensionFreeRisk(trials: s == .full ? 200 : 50)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .quick ? 5 : 60))
        },
        RegistryEntry(
            folder: "perceptron-fit", command: ["perceptron", "fit"], name: "perceptron-fit",
            label: "perceptrons on Fashion-MNIST", quickBudget: 2, type: PerceptronFit.self
        ) { s in
            let data = s == .tiny ? "fashion-mnist:train=1000,test=500" : "fashion-mnist"
            return Planned(PerceptronFit(data: data, epochs: 10), estimate: 5, readsFashionMNIST: true)
        },
    ]

    static let biasVariance: [RegistryEntry] = [
        RegistryEntry(
            folder: "bias-variance", command: ["bias-variance", "--axis", "features"], name: "bias-variance",
            label: "bias–variance decomposition over random-feature count", quickBudget: 1,
            type: BiasVarianceExperiment.self
        ) { s in
            let k = s == .tiny ? 5 : 50
            return Planned(BiasVarianceExperiment(axis: .features, trials: k), estimate: 1)
        },
        RegistryEntry(
            folder: "bias-variance-zero-one", command: ["bias-variance", "--loss", "zero-one"],
            name: "bias-variance-zero-one", label: "0-1 loss: Domingos' decomposition", quickBudget: 1,
            type: ZeroOneDecomposition.self
        ) { s in
            let tiny = s == .tiny
            let e = ZeroOneDecomposition(trials: tiny ? 5 : 50, testPoints: tiny ? 200 : 2000)
            return Planned(e, estimate: 1)
        },
        // Yang et al.'s setting: disjoint clean MNIST-1D training sets, weight decay.
        RegistryEntry(
            folder: "bias-variance-cross-entropy", command: ["bias-variance", "--loss", "cross-entropy"],
            name: "bias-variance-cross-entropy",
            label: "cross-entropy: Yang et al.'s decomposition over width, clean data",
            quickBudget: 8, type: CrossEntropyDecomposition.self
        ) { s in crossEntropyPlan(s, weightDecay: CrossEntropyDecomposition.yangWeightDecay) },
        // The same at 5e-3, a setting changed after the primary verdict: labelled as a sensitivity run.
        RegistryEntry(
            folder: "bias-variance-cross-entropy-sensitivity", command: ["bias-variance", "--loss", "cross-entropy"],
            name: "bias-variance-cross-entropy",
            label: "cross-entropy, sensitivity run: weight decay 5e-3 instead of Yang et al.'s 5e-4",
            quickBudget: 7, type: CrossEntropyDecomposition.self
        ) { s in crossEntropyPlan(s, weightDecay: 5e-3) },
        // Beside it, the regime the claim is not about: noisy teacher labels, no regularization.
        RegistryEntry(
            folder: "bias-variance-cross-entropy-noisy", command: ["bias-variance", "--loss", "cross-entropy"],
            name: "bias-variance-cross-entropy-noisy",
            label: "cross-entropy: noisy teacher labels, no regularization", quickBudget: 13,
            type: CrossEntropyDecomposition.self
        ) { s in
            let tiny = s == .tiny
            let e = CrossEntropyDecomposition(
                widths: tiny ? [1, 4, 16] : CrossEntropyDecomposition.defaultWidths,
                trials: tiny ? 5 : (s == .quick ? 20 : 50),
                testPoints: tiny ? 200 : 2000, steps: tiny ? 200 : 2000)
            return Planned(e, estimate: tiny ? 1 : (s == .quick ? 25 : 60))
        },
    ]

    /// Yang et al.'s clean-data setting at a scale, with a given weight decay.
    static func crossEntropyPlan(_ s: Scale, weightDecay: Double) -> Planned {
        let e: CrossEntropyDecomposition
        switch s {
        case .tiny:
            e = CrossEntropyDecomposition(
                data: "mnist1d:train=300,test=200", trainPerSet: 100, widths: [2, 8, 32], trials: 3, testPoints: 200,
                weightDecay: weightDecay, steps: 200)
        case .quick:
            e = CrossEntropyDecomposition(
                data: "mnist1d:train=2000,test=1000", trainPerSet: 400, widths: CrossEntropyDecomposition.cleanWidths,
                trials: 5,
                testPoints: 1000, weightDecay: weightDecay, steps: 1000)
        case .default, .full:
            e = CrossEntropyDecomposition(
                data: "mnist1d:train=8000,test=2000", trainPerSet: 1000, widths: CrossEntropyDecomposition.cleanWidths,
                trials: 8, testPoints: 2000, weightDecay: weightDecay, steps: 2000)
        }
        return Planned(
            e,
            estimate: s == .tiny ? 1 : (s == .quick ? 20 : 240))
    }

    static let doubleDescent: [RegistryEntry] = [
        RegistryEntry(
            folder: "double-descent-ridgeless",
            command: ["double-descent", "--axis", "features", "--model", "ridgeless"], name: "double-descent-ridgeless",
            label: "double descent: ridgeless regression vs closed form",
            quickBudget: 3, type: RidgelessExperiment.self
        ) { s in
            let tiny = s == .tiny
            let e = RidgelessExperiment(samples: tiny ? 40 : 200, trials: tiny ? 5 : 60)
            return Planned(
                e,
                estimate: tiny ? 1 : 15)
        },
        RegistryEntry(
            folder: "double-descent-samples", command: ["double-descent", "--axis", "samples"],
            name: "double-descent-samples", label: "sample-wise double descent: more data can hurt",
            quickBudget: 1, type: RidgelessExperiment.self
        ) { s in
            let tiny = s == .tiny
            var e = RidgelessExperiment(
                samples: tiny ? 20 : 100, gammas: RidgelessExperiment.samplesAxisGammas, trials: tiny ? 5 : 60)
            e.axis = .samples
            return Planned(e, estimate: tiny ? 1 : 3)
        },
        RegistryEntry(
            folder: "double-descent-random-features",
            command: ["double-descent", "--axis", "features", "--model", "relu-features"],
            name: "double-descent-random-features", label: "double descent: random ReLU features on MNIST-1D",
            quickBudget: 5, type: RandomFeaturesSweep.self
        ) { s in
            let tiny = s == .tiny
            let data = tiny ? "mnist1d:train=200,test=200" : "mnist1d:train=1000,test=1000"
            let e = RandomFeaturesSweep(data: data, kind: .relu, seeds: tiny ? 1 : 3)
            return Planned(
                e,
                estimate: tiny ? 1 : 10)
        },
        RegistryEntry(
            folder: "double-descent-samples-network", command: ["run", "double-descent-samples-network"],
            name: "double-descent-samples-network",
            label: "double descent in the samples, in a network: more data can hurt (Nakkiran et al.)", quickBudget: 3,
            type: SampleWiseNetwork.self
        ) { s in
            var e = SampleWiseNetwork()
            switch s {
            case .tiny:
                (e.data, e.width, e.sizes, e.steps, e.seeds) = (
                    "mnist1d:train=200,test=200", 8, [50, 100, 200], 200, 2
                )
            // Ten seeds at every scale but tiny (three before, five at full; 2026-12-07): with three
            // the bounds held both 0 and the margin of 1 point (MDE 7.5 points at quick, 1.8 at
            // default); with ten they fall below the margin at both (MDE 1.6 and 1.7), so the
            // verdict is decided. Chosen after those verdicts, from their power calculation.
            case .quick: (e.width, e.sizes, e.steps, e.seeds) = (16, [250, 500, 1000, 2000, 4000], 4000, 10)
            case .default: break
            case .full:
                (e.sizes, e.steps, e.seeds) = ([250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000], 50_000, 10)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .full ? 3600 : (s == .quick ? 3 : 15)))
        },
        RegistryEntry(
            folder: "double-descent-width", command: ["double-descent", "--axis", "width"],
            name: "double-descent-width", label: "double descent: MLP width on MNIST-1D with 15% label noise",
            quickBudget: 138, type: WidthSweep.self
        ) { s in
            let tiny = s == .tiny
            let data = tiny ? "mnist1d:train=400,test=400" : "mnist1d:train=4000,test=4000"
            // Three seeds at quick as at default (issue #30: the talk's headline finding decided by
            // the quick tour; one seed left its peak to chance), five at full.
            let e = WidthSweep(
                data: data, widths: tiny ? [4, 16, 64] : WidthSweep.publishedWidths, epochs: tiny ? 5 : 500,
                seeds: s == .full ? 5 : (tiny ? 1 : 3))
            return Planned(e, estimate: tiny ? 2 : (s == .full ? 400 : 150))
        },
        // Nakkiran et al.'s model-wise double descent with their standard CNN of width k, in the
        // setting of the epoch-wise CNN entry (Fashion-MNIST, 20% label noise and a clean control,
        // Adam 1e-3 constant, batch 100), scaled to a CPU: k up to 16 (64 at full) instead of 64,
        // hundreds of epochs instead of 4K. Settings fixed before any run. Default and full are
        // cluster jobs (`genlab sweep`); not in the tour; `genlab run double-descent-width-cnn`.
        RegistryEntry(
            folder: "double-descent-width-cnn", command: ["run", "double-descent-width-cnn"],
            name: "double-descent-width",
            label: "model-wise double descent with Nakkiran et al.'s standard CNN of width k", quickBudget: 0,
            type: WidthSweep.self, inTour: false
        ) { s in
            var e = WidthSweep(labelNoise: 0.2, learningRate: 1e-3, architecture: .standardCNN, optimizer: .adam)
            switch s {
            case .tiny: (e.data, e.widths, e.epochs) = ("fashion-mnist:train=100,test=100", [1, 2], 3)
            case .quick: (e.data, e.widths, e.epochs) = ("fashion-mnist:train=1000,test=2000", [1, 2, 3, 4, 6, 8], 100)
            case .default:
                (e.data, e.widths, e.epochs, e.seeds) = (
                    "fashion-mnist:train=4000,test=10000", [1, 2, 3, 4, 5, 6, 8, 10, 12, 16], 300, 3
                )
            case .full:
                (e.data, e.widths, e.epochs, e.seeds) = (
                    "fashion-mnist:train=4000,test=10000", [1, 2, 4, 6, 8, 10, 12, 16, 24, 32, 48, 64], 500, 5
                )
            }
            return Planned(
                e, estimate: s == .tiny ? 2 : (s == .quick ? 600 : (s == .default ? 36_000 : 300_000)),
                readsFashionMNIST: true)
        },
        RegistryEntry(
            folder: "double-descent-epochs", command: ["double-descent", "--axis", "epochs"],
            name: "double-descent-epochs", label: "epoch-wise double descent: a network and two feature scales",
            quickBudget: 9, type: EpochWise.self
        ) { s in
            // The reported setting (Fashion-MNIST, 20% noise, Adam 1e-3, no decay, no early
            // stopping) at every scale; quick shrinks data, width and epochs, full adds Adam 1e-4's
            // slower clock by more epochs.
            let e: EpochWise
            switch s {
            case .tiny: e = EpochWise(data: "fashion-mnist:train=200,test=200", model: "mlp:32", epochs: 4, seeds: 2)
            case .quick:
                e = EpochWise(data: "fashion-mnist:train=1000,test=2000", model: "mlp:256", epochs: 150, seeds: 3)
            case .default: e = EpochWise()
            case .full: e = EpochWise(model: "mlp:1024", epochs: 1000, seeds: 5)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .quick ? 40 : 480), readsFashionMNIST: true)
        },
        // Nakkiran et al.'s own architecture for epoch-wise double descent: the standard CNN of
        // width k (`ModelSpec.standardCNN`), in the same setting (20% noise, Adam 1e-3, constant,
        // long training) scaled to a CPU: Fashion-MNIST instead of CIFAR-10, k = 16 (32 at full)
        // instead of 64, hundreds of epochs instead of thousands. Default and full are cluster
        // jobs (`genlab sweep`); not in the tour (its quick scale is not measured to fit).
        RegistryEntry(
            folder: "double-descent-epochs-cnn", command: ["double-descent", "--axis", "epochs"],
            name: "double-descent-epochs",
            label: "epoch-wise double descent with Nakkiran et al.'s standard CNN", quickBudget: 0,
            type: EpochWise.self, inTour: false
        ) { s in
            let e: EpochWise
            switch s {
            case .tiny:
                e = EpochWise(
                    data: "fashion-mnist:train=100,test=100", model: "cnn2d:2x4,pool=2x7", epochs: 3, seeds: 2)
            case .quick:
                e = EpochWise(
                    data: "fashion-mnist:train=1000,test=2000", model: ModelSpec.standardCNN(width: 4), epochs: 60,
                    seeds: 2)
            // Ten seeds at default, three before (2026-12-07, after that verdict came out
            // inconclusive, its fall 1.74 points): the fall's bound was ±26.7 points at 2 degrees
            // of freedom; at that run's scatter between seeds (sd 0.60 points) ten give ±1.0 on
            // the epoch grid (88 candidate peaks), ±1.4 if the grid's lighter smoothing doubles
            // the variance. Eight would give ±1.3 and ±1.8.
            case .default:
                e = EpochWise(
                    data: "fashion-mnist:train=4000,test=10000", model: ModelSpec.standardCNN(width: 16), epochs: 300,
                    seeds: 10)
            case .full:
                e = EpochWise(
                    data: "fashion-mnist:train=4000,test=10000", model: ModelSpec.standardCNN(width: 32), epochs: 500,
                    seeds: 5)
            }
            // Default: an epoch 2.05 s and an evaluation 3.75 s for two seeds side by side on the 2-core
            // EPYC (2026-12-07), so five pairs × (300 epochs + 90 evaluations) ≈ 4,800 s; full scales
            // that by k², the epochs and the seeds.
            return Planned(
                e, estimate: s == .tiny ? 2 : (s == .quick ? 600 : (s == .default ? 4_800 : 47_000)),
                readsFashionMNIST: true)
        },
    ]

    static let capacity: [RegistryEntry] = [
        RegistryEntry(
            folder: "measures", command: ["measures"], name: "measures",
            label: "capacity is not the parameter count: generalization measures over a zoo (Jiang et al.)",
            quickBudget: 36, type: MeasureZoo.self
        ) { s in
            let e: MeasureZoo
            switch s {
            case .tiny:
                e = MeasureZoo(
                    data: "mnist1d:train=200,test=200",
                    grid: ZooGrid(
                        widths: [16, 32, 64], depths: [1, 2], learningRates: [0.05], batchSizes: [32],
                        weightDecays: [0],
                        dropouts: [0], trainSizes: [100, 200]),
                    bases: nil, maxEpochs: 300, curvatureSamples: 100,
                    settings: .init(flatnessDraws: 3, flatnessSteps: 8, noiseDraws: 5, lanczosIterations: 30),
                    resamples: 200)
            // Six star bases at quick (80 networks reach the target loss; with two bases, 26 did,
            // and the verdicts could only have seen a lead in τ of 1.1, which τ cannot reach):
            // issue #30, chosen after those verdicts from their power calculation.
            case .quick:
                e = MeasureZoo(
                    data: "mnist1d:train=500,test=1000", grid: ZooGrid(trainSizes: [125, 250, 500]), bases: 6,
                    maxEpochs: 500)
            case .default: e = MeasureZoo()
            case .full:
                e = MeasureZoo(
                    data: "mnist1d:train=4000,test=4000", grid: ZooGrid(trainSizes: [1000, 2000, 4000]), bases: nil,
                    maxEpochs: 2000)
            }
            return Planned(e, estimate: s == .tiny ? 5 : (s == .quick ? 36 : 200))
        },
        RegistryEntry(
            folder: "retest", command: ["retest"], name: "retest",
            label: "test-set reuse: fresh and shifted test sets (Recht et al.)",
            quickBudget: 4, type: Retest.self
        ) { s in
            let e: Retest
            switch s {
            case .tiny:
                e = Retest(
                    data: "mnist1d:train=200,test=200", families: ["linear", "mlp:16", "mlp:64"], learningRates: [0.05],
                    epochs: [3], seeds: 2, freshCount: 200)
            case .quick: e = Retest(seeds: 2)
            case .default: e = Retest(seeds: 3)
            case .full:
                e = Retest(
                    data: "mnist1d:train=4000,test=4000", learningRates: [0.005, 0.01, 0.05, 0.1],
                    epochs: [10, 40, 100], seeds: 3, freshCount: 4000)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .quick ? 5 : 30))
        },
        RegistryEntry(
            folder: "pac", command: ["pac"], name: "pac",
            label: "PAC: Hoeffding and the union bound on a finite class, against the truth",
            quickBudget: 1, type: PACBound.self
        ) { s in
            let e: PACBound
            switch s {
            case .tiny: e = PACBound(sizes: [50, 200], classSizes: [10, 100], draws: 50)
            case .quick: e = PACBound(draws: 500)
            case .default: e = PACBound()
            case .full: e = PACBound(classSizes: [10, 100, 1000, 10_000], draws: 4000)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .quick ? 3 : 10))
        },
        RegistryEntry(
            folder: "random-labels", command: ["random-labels"], name: "random-labels",
            label: "capacity is not the parameter count: random labels (Zhang et al.)",
            quickBudget: 3, type: RandomLabels.self
        ) { s in
            Planned(randomLabels(s), estimate: s == .tiny ? 2 : (s == .quick ? 10 : 60), readsFashionMNIST: s != .tiny)
        },
        // The same on MNIST-1D with the CNN: settings of the scale's base run, data and model changed
        // (at quick scale only true and random labels, to keep the tour in its budget).
        RegistryEntry(
            folder: "random-labels-cnn", command: ["random-labels"], name: "random-labels",
            label: "random labels: a CNN on MNIST-1D",
            quickBudget: 2, type: RandomLabels.self
        ) { s in
            var e = randomLabels(s)
            e.data =
                s == .tiny
                ? "mnist1d:train=100,test=200"
                : (s == .quick ? "mnist1d:train=500,test=1000" : "mnist1d:train=1000,test=1000")
            e.model = s == .tiny ? "cnn1d:8x8" : "cnn1d:32x32"
            if s == .quick {
                e.fractions = [0, 1]
                e.inputCorruptions = false
                e.seeds = 4
            }
            return Planned(e, estimate: s == .tiny ? 2 : (s == .quick ? 5 : 60))
        },
        // Zhang et al.'s setting was images and convolutional networks: the same with the
        // ablation's image CNN on Fashion-MNIST. Not in the tour (its quick scale is not measured
        // to fit); `genlab run random-labels-cnn2d`.
        RegistryEntry(
            folder: "random-labels-cnn2d", command: ["run", "random-labels-cnn2d"], name: "random-labels",
            label: "random labels: a 2-D CNN on Fashion-MNIST images",
            quickBudget: 0, type: RandomLabels.self, inTour: false
        ) { s in
            var e = randomLabels(s)
            e.model = s == .tiny ? "cnn2d:4,pool=4" : imageCNN
            if s == .tiny { (e.data, e.maxEpochs) = ("fashion-mnist:train=20,test=50", 100) }
            if s == .quick { e.seeds = 3 }
            return Planned(
                e, estimate: s == .tiny ? 3 : (s == .quick ? 240 : (s == .default ? 1800 : 7200)),
                readsFashionMNIST: true)
        },
        // The DocC tutorial's experiment: one file and this entry (its claim and group with it).
        RegistryEntry(
            folder: "memorizer-gap", command: ["run", "memorizer-gap"], name: "memorizer-gap",
            label: "random labels: a 1-nearest-neighbour memorizer",
            quickBudget: 0, type: MemorizerGap.self, inTour: false, claim: MemorizerGap.claim, group: .randomLabels
        ) { s in
            let e: MemorizerGap
            switch s {
            case .tiny: e = MemorizerGap(data: "mnist1d:train=300,test=300", seeds: 3)
            case .quick: e = MemorizerGap(data: "mnist1d:train=1000,test=1000", seeds: 5)
            case .default: e = MemorizerGap()
            case .full: e = MemorizerGap(data: "mnist1d:train=4000,test=4000", seeds: 10)
            }
            return Planned(e, estimate: s == .tiny ? 1 : (s == .quick ? 2 : (s == .default ? 2 : 30)))
        },
        RegistryEntry(
            folder: "model-size", command: ["model-size"], name: "model-size",
            label: "bigger is better: MLP width on Fashion-MNIST", quickBudget: 16, type: ModelSize.self
        ) { s in
            let e: ModelSize
            switch s {
            case .tiny:
                e = ModelSize(
                    data: "fashion-mnist:train=300,test=300,standardize", widths: [8, 64], seeds: 2, maxEpochs: 20)
            // Quick: the default's data and schedule on three of its widths, 4 seeds (1,000 images
            // and 3 seeds before, 2026-12-07: a gain of +0.09 points per doubling, too small to
            // decide; chosen after that verdict, from its power calculation).
            case .quick: e = ModelSize(widths: [64, 256, 1024], seeds: 4)
            case .default: e = ModelSize()
            case .full: e = ModelSize(widths: [64, 128, 256, 512, 1024, 2048, 4096], seeds: 10)
            }
            return Planned(e, estimate: s == .tiny ? 2 : (s == .quick ? 16 : 150), readsFashionMNIST: true)
        },
    ]
}
