import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra
import Reports

extension BiasVarianceExperiment.Axis: ExpressibleByArgument {}

struct BiasVarianceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bias-variance",
        abstract: "Bias², variance, noise and test error over capacity, from K independent training sets of a regression with known f and σ.")
    @Option(help: "features (random ReLU features) or degree (Legendre polynomials), fitted by minimum-norm least squares; or width (a trained one-hidden-layer ReLU network).") var axis: BiasVarianceExperiment.Axis?
    @Option(help: "Squared loss: a regression spec with known f: regression:f=sin|poly|linear,n=N,noise=SIGMA,d=D (default regression:f=sin,n=40,noise=0.3,d=5). Cross-entropy: a classification spec to draw K disjoint clean training sets from (Yang et al.'s setting; default mnist1d), or teacher for noisy teacher-network labels without regularization.") var data: String?
    @Option(help: "Samples per training set (cross-entropy on a data set).") var n: Int?
    @Option(name: .customLong("weight-decay"), help: "Adam's L2 weight decay (cross-entropy; default 5e-4 on a data set, Yang et al.'s; any other value there is labelled a sensitivity run; 0 on the teacher).") var weightDecay: Double?
    @Option(help: "Capacities (degrees or feature counts), comma-separated and increasing.") var grid: String?
    @Option(help: "Independent training sets K (default 50).") var trials: Int?
    @Option(help: "squared (regression), zero-one (classification, Domingos 2000, random features) or cross-entropy (Yang et al. 2020, trained networks of growing width); both classification losses on teacher-network labels with 10% label noise.") var loss: LossKind = .squared
    enum LossKind: String, ExpressibleByArgument, CaseIterable { case squared, zeroOne = "zero-one", crossEntropy = "cross-entropy" }
    @Option(help: "Training-label noise ρ for the classification losses: each label is replaced by a uniform random class with probability ρ (default 0.1).") var noise: Double?
    @Option(help: "Seed (default 0).") var seed: UInt64?
    @Option(name: .customLong("test-points"), help: "Test points the classification decompositions average over (zero-one, cross-entropy; default 2000).") var testPoints: Int?
    @Option(help: "Gradient steps per network (cross-entropy; default 2000).") var steps: Int?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if testPoints != nil && loss == .squared { throw ValidationError("--test-points applies with --loss zero-one or cross-entropy") }
        if loss != .squared && axis != nil { throw ValidationError("--axis applies with --loss squared") }
        if loss == .zeroOne && data != nil { throw ValidationError("--data applies with --loss squared or cross-entropy; zero-one uses teacher-network labels") }
        if loss != .crossEntropy && (n != nil || weightDecay != nil) { throw ValidationError("--n and --weight-decay apply with --loss cross-entropy") }
        if loss == .crossEntropy && data == "teacher" && n != nil { throw ValidationError("--n applies to a data set; the teacher's sets have its own n") }
        if loss == .squared && noise != nil { throw ValidationError("--noise (label noise) applies with --loss zero-one or cross-entropy; the regression's σ is in --data") }
        if steps != nil && loss != .crossEntropy { throw ValidationError("--steps applies with --loss cross-entropy") }
    }

    func run() throws {
        global.apply()
        if loss != .squared {
            // Classification: teacher-network labels; the grid is random-feature counts (0-1) or widths (cross-entropy).
            let grid = try self.grid.map { try parseIntList($0, name: "--grid") }
            let context = global.context(label: "bias-variance")
            let result: ExperimentResult
            if loss == .zeroOne {
                var exp = scale.base("bias-variance-zero-one", as: ZeroOneDecomposition.self)
                if let v = trials { exp.trials = v }
                if let v = noise { exp.labelNoise = v }
                if let v = seed { exp.teacher.seed = v }
                if let g = grid { exp.capacities = g }
                if let t = testPoints { exp.testPoints = t }
                result = try exp.execute(context)
            } else {
                let teacher = data == "teacher"
                var exp = scale.base(teacher ? "bias-variance-cross-entropy-noisy" : "bias-variance-cross-entropy", as: CrossEntropyDecomposition.self)
                if let d = data, !teacher { exp.data = d }
                if let v = n { exp.trainPerSet = v }
                if let v = weightDecay { exp.weightDecay = v }
                if let v = trials { exp.trials = v }
                if let v = noise {
                    guard teacher else { throw ValidationError("--noise applies to --data teacher: Yang et al.'s setting trains on clean labels") }
                    exp.labelNoise = v
                }
                if let v = seed { exp.teacher.seed = v }
                if let g = grid { exp.widths = g }
                if let t = testPoints { exp.testPoints = t }
                if let s = steps { exp.steps = s }
                result = try exp.execute(context)
            }
            try finish(result, output: output)
            return
        }
        var exp = scale.base("bias-variance", as: BiasVarianceExperiment.self)
        if axis != nil || data != nil {
            // The capacity grid follows the axis and the sample size: rebuild it for them.
            exp = BiasVarianceExperiment(axis: axis ?? exp.axis, regression: try data.map(regression) ?? exp.regression, trials: exp.trials,
                                         testPoints: exp.testPoints, seed: exp.seed)
        }
        if let v = trials { exp.trials = v }
        if let v = seed { exp.seed = v }
        if let g = self.grid {
            let parts = g.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { throw GenLabError.usage("--grid takes non-negative integers, got \"\(g)\"") }
            exp.capacities = parts.map { $0! }
        }
        try finish(try exp.execute(global.context(label: "bias-variance")), output: output)
    }

    /// The regression a --data spec describes (bias and variance need the true f).
    func regression(_ data: String) throws -> Regression {
        let spec = try DatasetSpec(parsing: data)
        guard spec.name == "regression" else { throw GenLabError.usage("--data must be a regression:… spec (bias and variance need the true f), got \"\(data)\"") }
        var reg = BiasVarianceExperiment.defaultRegression
        for (k, v) in spec.options {
            switch k {
            case "f": guard let f = Regression.Function(rawValue: v) else { throw GenLabError.usage("--data: f must be sin, poly or linear, got \"\(v)\"") }; reg.function = f
            case "n": guard let n = Int(v), n >= 2 else { throw GenLabError.usage("--data: n must be ≥ 2, got \"\(v)\"") }; reg.trainCount = n
            case "noise": guard let s = Double(v), s >= 0 else { throw GenLabError.usage("--data: noise must be ≥ 0, got \"\(v)\"") }; reg.noise = s
            case "d": guard let d = Int(v), d >= 1 else { throw GenLabError.usage("--data: d must be ≥ 1, got \"\(v)\"") }; reg.dimension = d
            default: throw GenLabError.usage("--data: option \(k) does not apply (use f, n, noise, d)")
            }
        }
        return reg
    }
}
