import Common

extension Commands {
    public enum PerceptronMistakesCommand: RegistryCommand {
        public static let name = "mistakes"
        public static let folder = "perceptron-mistakes"
        public static let abstract = "Mistakes against the bound R²/γ², with the proof traced step by step."
        public static let about =
            "γ is the max margin (hard-margin SVM with a duality certificate). A point with ⟨w, x⟩ = 0 counts as a "
            + "mistake. With --bias a constant feature 1 is appended, which changes R.\n\n"
        public static let names = OptionNames(aliases: ["seed": "shuffleSeed"], flags: ["bias": ("bias", "true")])
    }

    /// `--axis` chooses the experiment, and `--data separable:…` is translated into the
    /// distribution's fields.
    public enum PerceptronRiskCommand: CommandDefinition {
        public static let name = "risk"
        public static let abstract =
            "Risk of the random iterate (one pass) and of the final weights, against R²/(γ²n) and R²/(γ²(n+1)); "
            + "with --axis dimension, the final weights' risk as d grows at fixed R, γ and n, beside a VC bound."
        public enum Axis: String, CaseIterable { case samples, dimension }
        public static var help: String {
            "--axis samples (the risk against n, the default) or dimension (against d at fixed n: R/γ, not d, is the "
                + "capacity). --data separable:d=D,margin=M,radius=R sets the distribution (with --axis dimension: "
                + "margin and radius); with --axis samples, --seed seeds both the training sets and the "
                + "distribution's direction.\n\n" + names(.samples).help(Registry.planned("perceptron-risk"))
        }
        /// An error about a parameter, in the option names of the value's axis.
        public static func explained(_ error: Error, in value: any Experiment) -> Error {
            names(value is DimensionFreeRisk ? .dimension : .samples).explained(error, in: value)
        }

        static func names(_ axis: Axis) -> OptionNames {
            axis == .samples
                ? OptionNames(
                    aliases: ["grid": "sizes", "n": "sizes", "test": "testCount"],
                    alsoSets: ["seed": "distribution.seed"])
                : OptionNames(aliases: ["grid": "dimensions", "samples": "n", "test": "testCount"])
        }

        public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
            var words = words
            let axis = try Choice.take("axis", from: &words, as: Axis.self) ?? .samples
            var settings = try names(axis).settings(words)
            if let data = settings.last(where: { $0.key == "data" })?.text {
                settings.removeAll { $0.key == "data" }
                let translated =
                    axis == .samples ? RiskBoundExperiment.settings(separable:) : DimensionFreeRisk.settings(separable:)
                settings = try translated(data) + settings
            }
            let folder = axis == .samples ? "perceptron-risk" : "perceptron-dimension"
            return try Registry.planned(folder, at: scale).setting(settings)
        }
    }

    /// `--order given|shuffled` is `--shuffle false|true`.
    public enum PerceptronFitCommand: RegistryCommand {
        public static let name = "fit"
        public static let folder = "perceptron-fit"
        public static let abstract =
            "Fit perceptrons (binary, or one-vs-rest / multiclass / averaged for K classes); weights saved as NPY."
        public static let about =
            "--no-bias with --order given on two classes is the talk's Algorithm 1 exactly (w₀ = 0, one update per "
            + "mistake). --order given|shuffled visits the samples in the given order, or reshuffled each pass (the "
            + "same as --shuffle false|true).\n\n"
        public static let names = OptionNames(flags: ["no-bias": ("bias", "false")])
        enum Order: String, CaseIterable { case given, shuffled }

        public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
            var words = words
            let order = try Choice.take("order", from: &words, as: Order.self)
            let settings = try names.settings(words) + (order.map { [("shuffle", String($0 == .shuffled))] } ?? [])
            let fit = try Registry.value(folder, at: scale, as: PerceptronFit.self).setting(settings)
            if !fit.shuffle && settings.contains(where: { $0.key == "seed" }) {
                throw GenLabError.usage(
                    "--seed shuffles the samples; it does not apply with --order given (--shuffle false)")
            }
            return fit
        }
    }
}
