import ArgumentParser
import Experiments

/// The perceptron's three commands. Each takes its experiment's settings by the fields' names
/// (ExperimentOptions), plus the option names it kept from before; `risk --axis` chooses the
/// experiment, and `risk --data` a separable spec, translated into the distribution's fields.
struct PerceptronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron",
        abstract: "The perceptron of the talk: the R²/γ² mistake bound, the two risk bounds, and ordinary fitting.",
        subcommands: [ExperimentCommand<Mistakes>.self, Risk.self, Fit.self])

    enum Mistakes: CommandRow {
        static let name = "mistakes"
        static let folder = "perceptron-mistakes"
        static let abstract = "Mistakes against the bound R²/γ², with the proof traced step by step."
        static let about =
            "γ is the max margin (hard-margin SVM with a duality certificate). A point with ⟨w, x⟩ = 0 counts as a "
            + "mistake. With --bias a constant feature 1 is appended, which changes R.\n\n"
        static let names = OptionNames(aliases: ["seed": "shuffleSeed"], flags: ["bias": ("bias", "true")])
    }

    struct Risk: ParsableCommand {
        enum Axis: String, ExpressibleByArgument, CaseIterable { case samples, dimension }
        static func names(_ axis: Axis) -> OptionNames {
            axis == .samples
                ? OptionNames(
                    aliases: ["grid": "sizes", "n": "sizes", "test": "testCount"],
                    alsoSets: ["seed": "distribution.seed"])
                : OptionNames(aliases: ["grid": "dimensions", "samples": "n", "test": "testCount"])
        }
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract:
                    "Risk of the random iterate (one pass) and of the final weights, against R²/(γ²n) and R²/(γ²(n+1)); "
                    + "with --axis dimension, the final weights' risk as d grows at fixed R, γ and n, beside a VC bound.",
                discussion:
                    "--data separable:d=D,margin=M,radius=R sets the distribution (with --axis dimension: margin and radius); "
                    + "with --axis samples, --seed seeds both the training sets and the distribution's direction.\n\n"
                    + names(.samples).help(planned("perceptron-risk")))
        }
        @Option(help: "samples (the risk against n) or dimension (against d at fixed n: R/γ, not d, is the capacity).")
        var axis: Axis = .samples
        @OptionGroup var options: ExperimentOptions

        func run() throws {
            var settings = try Self.names(axis).settings(options.settings)
            if let data = settings.last(where: { $0.key == "data" })?.text {
                settings.removeAll { $0.key == "data" }
                let translated =
                    axis == .samples ? RiskBoundExperiment.settings(separable:) : DimensionFreeRisk.settings(separable:)
                settings = try translated(data) + settings
            }
            let folder = axis == .samples ? "perceptron-risk" : "perceptron-dimension"
            try options.run(
                try options.experiment(folder, settings: settings),
                label: folder.replacingOccurrences(of: "-", with: " "))
        }
    }

    struct Fit: ParsableCommand {
        enum SampleOrder: String, ExpressibleByArgument, CaseIterable { case given, shuffled }
        static let names = OptionNames(flags: ["no-bias": ("bias", "false")])
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract:
                    "Fit perceptrons (binary, or one-vs-rest / multiclass / averaged for K classes); weights saved as NPY.",
                discussion:
                    "--no-bias with --order given on two classes is the talk's Algorithm 1 exactly (w₀ = 0, one update per mistake).\n\n"
                    + names.help(planned("perceptron-fit")))
        }
        @Option(
            help:
                "Visit the samples in the given order, or reshuffled each pass (given|shuffled; the same as --shuffle false|true)."
        )
        var order: SampleOrder?
        @OptionGroup var options: ExperimentOptions

        func run() throws {
            let shuffle = order.map { [("shuffle", $0 == .shuffled ? "true" : "false")] } ?? []
            let settings = try Self.names.settings(options.settings) + shuffle
            let fit = try options.base("perceptron-fit", as: PerceptronFit.self).setting(settings)
            if !fit.shuffle && settings.contains(where: { $0.key == "seed" }) {
                throw ValidationError(
                    "--seed shuffles the samples; it does not apply with --order given (--shuffle false)")
            }
            try options.run(fit, label: "perceptron fit")
        }
    }
}
