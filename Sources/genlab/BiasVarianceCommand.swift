import ArgumentParser
import Experiments

extension BiasVarianceExperiment.Axis: ExpressibleByArgument {}

/// `--loss` (and, for cross-entropy, `--data teacher`) chooses the registry entry; every other
/// option is a setting of its value (ExperimentOptions), so an option the chosen experiment does
/// not have is an error naming it. The squared loss keeps `--axis` and a `regression:…` `--data`,
/// which rebuild its capacity grid.
struct BiasVarianceCommand: ParsableCommand {
    enum LossKind: String, ExpressibleByArgument, CaseIterable {
        case squared
        case zeroOne = "zero-one"
        case crossEntropy = "cross-entropy"
    }
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "bias-variance",
            abstract:
                "Bias², variance, noise and test error over capacity, from K independent training sets of a regression with known f and σ.",
            discussion: """
                --loss squared: --axis features (random ReLU features) or degree (Legendre polynomials), fitted by minimum-norm least \
                squares, or width (a trained one-hidden-layer ReLU network); --data regression:f=sin|poly|linear,n=N,noise=SIGMA,d=D.
                --loss zero-one: Domingos' decomposition on teacher-network labels with label noise (--noise), random features.
                --loss cross-entropy: Yang et al.'s decomposition over trained width; --data a classification spec to draw K disjoint \
                clean training sets from (--n samples each, Adam's --weight-decay 5e-4, theirs; any other value is labelled a \
                sensitivity run), or teacher for noisy teacher-network labels without regularization.
                Each loss's settings (values at --scale default): `genlab bias-variance --loss LOSS --parameters`; for squared:


                """ + names(.squared).help(planned("bias-variance")))
    }
    @Option(
        help: ArgumentHelp(
            "squared (regression), zero-one (classification, Domingos 2000, random features) or cross-entropy "
                + "(Yang et al. 2020, trained networks of growing width)."))
    var loss: LossKind = .squared
    @Option(help: "For --loss squared: features, degree or width.") var axis: BiasVarianceExperiment.Axis?
    @OptionGroup var options: ExperimentOptions

    /// The option names each loss kept from before its options were its fields.
    static func names(_ loss: LossKind) -> OptionNames {
        switch loss {
        case .squared: return OptionNames(aliases: ["grid": "capacities"])
        case .zeroOne:
            return OptionNames(aliases: ["grid": "capacities", "noise": "labelNoise", "seed": "teacher.seed"])
        case .crossEntropy:
            return OptionNames(aliases: [
                "grid": "widths", "n": "trainPerSet", "noise": "labelNoise", "seed": "teacher.seed",
            ])
        }
    }

    func run() throws {
        if loss != .squared && axis != nil { throw ValidationError("--axis applies with --loss squared") }
        var settings = try Self.names(loss).settings(options.settings)
        let data = settings.last { $0.key == "data" }?.text
        let teacher = loss == .crossEntropy && data == "teacher"
        if loss == .squared || teacher { settings.removeAll { $0.key == "data" } }
        if teacher && settings.contains(where: { $0.key == "trainPerSet" }) {
            throw ValidationError("--n applies to a data set; the teacher's sets have its own n")
        }
        if loss == .crossEntropy && !teacher && settings.contains(where: { $0.key == "labelNoise" }) {
            throw ValidationError("--noise applies to --data teacher: Yang et al.'s setting trains on clean labels")
        }
        let folder = "bias-variance" + (loss == .squared ? "" : "-" + loss.rawValue) + (teacher ? "-noisy" : "")
        guard loss == .squared else {
            return try options.run(try options.experiment(folder, settings: settings), label: "bias-variance")
        }
        // A new axis or regression rebuilds the capacity grid before --grid and the rest apply.
        let base = try options.base(folder, as: BiasVarianceExperiment.self).rebuilt(axis: axis, data: data)
        try options.run(try base.setting(settings), label: "bias-variance")
    }
}
