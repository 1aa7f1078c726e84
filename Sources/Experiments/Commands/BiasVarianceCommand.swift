import Common

extension Commands {
    /// `--loss` (and, for cross-entropy, `--data teacher`) chooses the registry entry; every other
    /// word is a setting of its value. The squared loss keeps `--axis` and a `regression:…`
    /// `--data`, which rebuild its capacity grid.
    public enum BiasVarianceCommand: CommandDefinition {
        public static let name = "bias-variance"
        public static let abstract =
            "Bias², variance, noise and test error over capacity, from K independent training sets of a regression "
            + "with known f and σ."
        public enum Loss: String, CaseIterable {
            case squared
            case zeroOne = "zero-one"
            case crossEntropy = "cross-entropy"
        }
        public static var help: String {
            """
            --loss squared (the default): --axis features (random ReLU features) or degree (Legendre polynomials), \
            fitted by minimum-norm least squares, or width (a trained one-hidden-layer ReLU network); --data \
            regression:f=sin|poly|linear,n=N,noise=SIGMA,d=D.
            --loss zero-one: Domingos' decomposition (2000) on teacher-network labels with label noise (--noise), \
            random features.
            --loss cross-entropy: Yang et al.'s decomposition (2020) over trained width; --data a classification \
            spec to draw K disjoint clean training sets from (--n samples each, Adam's --weight-decay 5e-4, theirs; \
            any other value is labelled a sensitivity run), or teacher for noisy teacher-network labels without \
            regularization.
            Each loss's settings (values at --scale default): `genlab bias-variance --loss LOSS --parameters`; for \
            squared:


            """ + names(.squared).help(Registry.planned("bias-variance"))
        }

        /// An error about a parameter, in the option names of the value's loss.
        public static func explained(_ error: Error, in value: any Experiment) -> Error {
            let loss: Loss =
                value is ZeroOneDecomposition ? .zeroOne : value is CrossEntropyDecomposition ? .crossEntropy : .squared
            return names(loss).explained(error, in: value)
        }

        /// The option names each loss kept from before its options were its fields.
        static func names(_ loss: Loss) -> OptionNames {
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

        public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
            var words = words
            let loss = try Choice.take("loss", from: &words, as: Loss.self) ?? .squared
            let axis = try Choice.take("axis", from: &words, as: BiasVarianceExperiment.Axis.self)
            if loss != .squared && axis != nil { throw GenLabError.usage("--axis applies with --loss squared") }
            var settings = try names(loss).settings(words)
            let data = settings.last { $0.key == "data" }?.text
            let teacher = loss == .crossEntropy && data == "teacher"
            if loss == .squared || teacher { settings.removeAll { $0.key == "data" } }
            if teacher && settings.contains(where: { $0.key == "trainPerSet" }) {
                throw GenLabError.usage("--n applies to a data set; the teacher's sets have its own n")
            }
            if loss == .crossEntropy && !teacher && settings.contains(where: { $0.key == "labelNoise" }) {
                throw GenLabError.usage(
                    "--noise applies to --data teacher: Yang et al.'s setting trains on clean labels")
            }
            let folder = "bias-variance" + (loss == .squared ? "" : "-" + loss.rawValue) + (teacher ? "-noisy" : "")
            guard loss == .squared else { return try Registry.planned(folder, at: scale).setting(settings) }
            // A new axis or regression rebuilds the capacity grid before --grid and the rest apply.
            let base = try Registry.value(folder, at: scale, as: BiasVarianceExperiment.self).rebuilt(
                axis: axis, data: data)
            return try base.setting(settings)
        }
    }
}
