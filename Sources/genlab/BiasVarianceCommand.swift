import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra

extension BiasVarianceExperiment.Axis: ExpressibleByArgument {}

/// `--loss` (and, for cross-entropy, `--data teacher`) chooses the experiment; every other option
/// is a setting of its value (ExperimentOptions), so an option the chosen experiment does not
/// have is an error naming it. The squared loss keeps `--axis` and a `regression:…` `--data`,
/// which rebuild its capacity grid.
struct BiasVarianceCommand: ParsableCommand {
    enum LossKind: String, ExpressibleByArgument, CaseIterable { case squared, zeroOne = "zero-one", crossEntropy = "cross-entropy" }
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "bias-variance",
            abstract: "Bias², variance, noise and test error over capacity, from K independent training sets of a regression with known f and σ.",
            discussion: """
            --loss squared: --axis features (random ReLU features) or degree (Legendre polynomials), fitted by minimum-norm least squares, or width (a trained one-hidden-layer ReLU network); --data regression:f=sin|poly|linear,n=N,noise=SIGMA,d=D.
            --loss zero-one: Domingos' decomposition on teacher-network labels with label noise (--noise), random features.
            --loss cross-entropy: Yang et al.'s decomposition over trained width; --data a classification spec to draw K disjoint clean training sets from (--n samples each, Adam's --weight-decay 5e-4, theirs; any other value is labelled a sensitivity run), or teacher for noisy teacher-network labels without regularization.
            Each loss's settings (values at --scale default): `genlab bias-variance --loss LOSS --parameters`; for squared:


            """ + names(.squared).help(defaults("bias-variance", as: BiasVarianceExperiment.self)))
    }
    @Option(help: "squared (regression), zero-one (classification, Domingos 2000, random features) or cross-entropy (Yang et al. 2020, trained networks of growing width).")
    var loss: LossKind = .squared
    @Option(help: "For --loss squared: features, degree or width.") var axis: BiasVarianceExperiment.Axis?
    @OptionGroup var options: ExperimentOptions

    /// The option names each loss kept from before its options were its fields.
    static func names(_ loss: LossKind) -> OptionNames {
        switch loss {
        case .squared: return OptionNames(aliases: ["grid": "capacities"])
        case .zeroOne: return OptionNames(aliases: ["grid": "capacities", "noise": "labelNoise", "seed": "teacher.seed"])
        case .crossEntropy: return OptionNames(aliases: ["grid": "widths", "n": "trainPerSet", "noise": "labelNoise", "seed": "teacher.seed"])
        }
    }

    func run() throws {
        if loss != .squared && axis != nil { throw ValidationError("--axis applies with --loss squared") }
        var settings = try Self.names(loss).settings(options.settings)
        let data = settings.last { $0.key == "data" }?.text
        switch loss {
        case .squared: try options.run(try squared(&settings, data: data), label: "bias-variance")
        case .zeroOne: try options.run(try options.scale.base("bias-variance-zero-one", as: ZeroOneDecomposition.self).setting(settings), label: "bias-variance")
        case .crossEntropy:
            let teacher = data == "teacher"
            if teacher { settings.removeAll { $0.key == "data" } }
            if teacher && settings.contains(where: { $0.key == "trainPerSet" }) {
                throw ValidationError("--n applies to a data set; the teacher's sets have its own n")
            }
            if !teacher && settings.contains(where: { $0.key == "labelNoise" }) {
                throw ValidationError("--noise applies to --data teacher: Yang et al.'s setting trains on clean labels")
            }
            let folder = teacher ? "bias-variance-cross-entropy-noisy" : "bias-variance-cross-entropy"
            try options.run(try options.scale.base(folder, as: CrossEntropyDecomposition.self).setting(settings), label: "bias-variance")
        }
    }

    /// The squared-loss experiment: its capacity grid follows the axis and the regression's
    /// sample size, so a new --axis or --data rebuilds it before --grid and the rest apply.
    func squared(_ settings: inout [(key: String, text: String)], data: String?) throws -> BiasVarianceExperiment {
        settings.removeAll { $0.key == "data" }
        var e = options.scale.base("bias-variance", as: BiasVarianceExperiment.self)
        if axis != nil || data != nil {
            e = BiasVarianceExperiment(axis: axis ?? e.axis, regression: try data.map(regression) ?? e.regression, trials: e.trials,
                                       testPoints: e.testPoints, seed: e.seed)
        }
        return try e.setting(settings)
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
