import Datasets
import Experiments
import Foundation
import LinearAlgebra

/// `genlab tour`: every experiment that exists, in the talk's order, into one folder and one report.
public struct Tour: Sendable {
    public enum Scale: String, CaseIterable, Codable, Sendable {
        /// Settings that reproduce each claim in under 5 minutes on 2 cores.
        case quick
        /// The published setups.
        case full
        /// Seconds, for the test suite: the same steps on small data.
        case tiny
    }

    public var scale: Scale
    public var out: String
    public var dataDirectory: String?

    public init(scale: Scale = .quick, out: String = "tour", dataDirectory: String? = nil) {
        self.scale = scale; self.out = out; self.dataDirectory = dataDirectory
    }

    /// One experiment of the tour: its folder, a rough cost for the ETA, and how to run it.
    public struct Step: Sendable {
        public var folder: String
        /// The experiment the folder holds (a folder name may add the data, as perceptron-mistakes-fashion).
        public var experiment: String { folder == "perceptron-mistakes-fashion" ? "perceptron-mistakes" : folder }
        public var label: String
        /// Expected seconds on 2 cores (only for the ETA).
        public var estimate: Double
        public var command: String
        public var run: @Sendable (_ command: String, _ progress: RunProgress) throws -> ExperimentResult
    }

    public var steps: [Step] {
        let dd = dataDirectory
        let dataFlag = dd.map { " --data-dir \($0)" } ?? ""
        @Sendable func load(_ spec: String) throws -> DataSplit { try DatasetSpec(parsing: spec).load(dataDirectory: dd) }
        let tiny = scale == .tiny
        let synthetic = tiny ? "separable:d=10,n=300,margin=0.1" : "separable:d=50,n=5000,margin=0.05"
        let pair = tiny ? "fashion-mnist:classes=trouser,bag,train=300,test=100" : "fashion-mnist:classes=trouser,bag"
        let fashion = tiny ? "fashion-mnist:train=1000,test=500" : "fashion-mnist"
        let riskTrials = tiny ? 10 : 200
        let riskSizes = tiny ? [50, 100] : [100, 200, 500, 1000, 2000]
        let riskTest = tiny ? 1000 : 10_000
        let full = scale == .full
        let bvTrials = tiny ? 5 : 50
        let ridgeN = tiny ? 40 : 200, ridgeTrials = tiny ? 5 : 60, samplesP = tiny ? 20 : 100
        let rfData = tiny ? "mnist1d:train=200,test=200" : "mnist1d:train=1000,test=1000"
        let rfSeeds = tiny ? 1 : 3
        let widthData = tiny ? "mnist1d:train=400,test=400" : "mnist1d:train=4000,test=4000"
        let widthGrid = tiny ? [4, 16, 64] : WidthSweep.publishedWidths
        let widthEpochs = tiny ? 5 : 500
        let widthSeeds = full ? 3 : 1
        let epochWiseEpochs = tiny ? 4 : 300, epochWiseSeeds = tiny ? 2 : 3
        let sizeData = tiny ? "fashion-mnist:train=300,test=300,standardize" : (full ? ModelSize.defaultData : "fashion-mnist:train=2000,standardize")
        let sizeWidths = tiny ? [8, 64] : (full ? ModelSize.defaultWidths : [16, 32, 64, 128, 256, 512, 1024])
        let sizeSeeds = tiny ? 1 : (full ? 3 : 2), sizeEpochs = tiny ? 20 : 40
        return [
            Step(folder: "perceptron-mistakes", label: "perceptron mistake bound (synthetic)", estimate: 1,
                 command: "genlab perceptron mistakes --data \(synthetic) --out \(out)/perceptron-mistakes") { cmd, _ in
                try MistakeBoundExperiment(data: synthetic).run(load(synthetic), command: cmd)
            },
            Step(folder: "perceptron-mistakes-fashion", label: "perceptron mistake bound (Fashion-MNIST trouser vs bag)", estimate: 8,
                 command: "genlab perceptron mistakes --data \(pair) --out \(out)/perceptron-mistakes-fashion\(dataFlag)") { cmd, _ in
                try MistakeBoundExperiment(data: pair).run(load(pair), command: cmd)
            },
            Step(folder: "perceptron-risk", label: "perceptron risk bounds", estimate: 10,
                 command: "genlab perceptron risk --data separable:d=20,margin=0.1 --n \(riskSizes.map(String.init).joined(separator: ",")) --trials \(riskTrials) --test \(riskTest) --out \(out)/perceptron-risk") { cmd, progress in
                try RiskBoundExperiment(sizes: riskSizes, trials: riskTrials, testCount: riskTest).run(command: cmd, progress: progress)
            },
            Step(folder: "perceptron-fit", label: "perceptrons on Fashion-MNIST", estimate: 5,
                 command: "genlab perceptron fit --data \(fashion) --epochs 10 --out \(out)/perceptron-fit\(dataFlag)") { cmd, _ in
                try PerceptronFit(data: fashion, epochs: 10).run(load(fashion), command: cmd).0
            },
            Step(folder: "bias-variance", label: "bias–variance decomposition over random-feature count", estimate: 1,
                 command: "genlab bias-variance --axis features --data regression:f=sin,n=40,noise=0.3,d=5 --trials \(bvTrials) --out \(out)/bias-variance") { cmd, progress in
                try BiasVarianceExperiment(axis: .features, trials: bvTrials).run(command: cmd, progress: progress)
            },
            Step(folder: "bias-variance-zero-one", label: "0-1 loss: Domingos' decomposition", estimate: 1,
                 command: "genlab bias-variance --loss zero-one --trials \(bvTrials) --out \(out)/bias-variance-zero-one") { cmd, progress in
                try ZeroOneDecomposition(trials: bvTrials, testPoints: tiny ? 200 : 2000).run(command: cmd, progress: progress)
            },
            Step(folder: "bias-variance-cross-entropy", label: "cross-entropy: Yang et al.'s decomposition over width", estimate: tiny ? 1 : 60,
                 command: "genlab bias-variance --loss cross-entropy --trials \(bvTrials) --out \(out)/bias-variance-cross-entropy") { cmd, progress in
                try CrossEntropyDecomposition(widths: tiny ? [1, 4, 16] : CrossEntropyDecomposition.defaultWidths, trials: bvTrials, testPoints: tiny ? 200 : 2000,
                                              steps: tiny ? 200 : 2000).run(command: cmd, progress: progress)
            },
            Step(folder: "double-descent-ridgeless", label: "double descent: ridgeless regression vs closed form", estimate: tiny ? 1 : 15,
                 command: "genlab double-descent --axis features --model ridgeless --n \(ridgeN) --trials \(ridgeTrials) --out \(out)/double-descent-ridgeless") { cmd, progress in
                try RidgelessExperiment(samples: ridgeN, trials: ridgeTrials).run(command: cmd, progress: progress)
            },
            Step(folder: "double-descent-samples", label: "sample-wise double descent: more data can hurt", estimate: tiny ? 1 : 3,
                 command: "genlab double-descent --axis samples --n \(samplesP) --trials \(ridgeTrials) --out \(out)/double-descent-samples") { cmd, progress in
                var e = RidgelessExperiment(samples: samplesP, gammas: [0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.25, 1.5, 2, 3, 5], trials: ridgeTrials)
                e.axis = .samples
                return try e.run(command: cmd, progress: progress)
            },
            Step(folder: "double-descent-random-features", label: "double descent: random ReLU features on MNIST-1D", estimate: tiny ? 1 : 10,
                 command: "genlab double-descent --axis features --model relu-features --data \(rfData) --trials \(rfSeeds) --out \(out)/double-descent-random-features") { cmd, progress in
                try RandomFeaturesSweep(data: rfData, kind: .relu, seeds: rfSeeds).run(load(rfData), command: cmd, checkpoint: nil, progress: progress)
            },
            Step(folder: "double-descent-width", label: "double descent: MLP width on MNIST-1D with 15% label noise", estimate: tiny ? 2 : (full ? 220 : 75),
                 command: "genlab double-descent --axis width --data \(widthData) --grid \(widthGrid.map(String.init).joined(separator: ",")) --epochs \(widthEpochs) --trials \(widthSeeds) --out \(out)/double-descent-width") { cmd, progress in
                try WidthSweep(data: widthData, widths: widthGrid, epochs: widthEpochs, seeds: widthSeeds)
                    .run(load(widthData), command: cmd, checkpoint: nil, progress: progress)
            },
            Step(folder: "double-descent-epochs", label: "epoch-wise double descent: a network and two feature scales", estimate: tiny ? 1 : 50,
                 command: "genlab double-descent --axis epochs --data \(widthData) --epochs \(epochWiseEpochs) --trials \(epochWiseSeeds) --out \(out)/double-descent-epochs") { cmd, progress in
                try EpochWise(data: widthData, epochs: epochWiseEpochs, seeds: epochWiseSeeds).run(load(widthData), command: cmd, progress: progress)
            },
            Step(folder: "model-size", label: "bigger is better: MLP width on Fashion-MNIST", estimate: tiny ? 2 : (full ? 240 : 25),
                 command: "genlab model-size --data \(sizeData) --widths \(sizeWidths.map(String.init).joined(separator: ",")) --seeds \(sizeSeeds) --epochs \(sizeEpochs) --out \(out)/model-size\(dataFlag)") { cmd, progress in
                try ModelSize(data: sizeData, widths: sizeWidths, seeds: sizeSeeds, maxEpochs: sizeEpochs).run(load(sizeData), command: cmd, checkpoint: nil, progress: progress)
            },
        ]
    }

    public struct Outcome: Sendable {
        public var folder: String
        public var result: ExperimentResult
        public var failed: Bool
    }

    /// Runs every step (a failing step becomes an "inconclusive" section naming the error),
    /// writes each folder, then the report. `progress(stepIndex, stepCount, label, fraction, eta)`.
    public func run(progress: @escaping @Sendable (Int, Int, String, Double, Double?) -> Void) throws -> (outcomes: [Outcome], report: String) {
        let all = steps
        let total = all.map(\.estimate).reduce(0, +)
        var outcomes = [Outcome]()
        let start = Timing.now()
        var doneEstimate = 0.0
        for (k, step) in all.enumerated() {
            let elapsed = Timing.now() - start
            // ETA: the remaining estimate, rescaled by how fast the estimates have run so far.
            let speed = doneEstimate > 0 ? elapsed / doneEstimate : 1
            let eta = (total - doneEstimate) * speed
            progress(k, all.count, step.label, 0, eta)
            let inner = RunProgress { _, f in progress(k, all.count, step.label, f, nil) }
            var result: ExperimentResult
            var failed = false
            do {
                result = try step.run(step.command, inner)
            } catch {
                failed = true
                result = ExperimentResult(experiment: step.experiment, configuration: [:], seed: 0,
                                          verdicts: [Verdict(claim: step.label, supported: nil, evidence: "The experiment could not run: \(error)")],
                                          command: step.command, notes: ["This experiment could not run: \(error)"])
            }
            try ResultWriter.write(result, to: out + "/" + step.folder)
            outcomes.append(Outcome(folder: step.folder, result: result, failed: failed))
            doneEstimate += step.estimate
            progress(k, all.count, step.label, 1, nil)
        }
        let report = try Report.render(out)
        return (outcomes, report)
    }
}
