import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra

/// The perceptron's three commands. Each takes its experiment's settings by the fields' names
/// (ExperimentOptions), plus the option names it kept from before; `risk --axis` chooses the
/// experiment, and `risk --data` a separable spec, translated into the distribution's fields.
struct PerceptronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron",
        abstract: "The perceptron of the talk: the R²/γ² mistake bound, the two risk bounds, and ordinary fitting.",
        subcommands: [Mistakes.self, Risk.self, Fit.self])

    struct Mistakes: ParsableCommand {
        static let names = OptionNames(aliases: ["seed": "shuffleSeed"], flags: ["bias": ("bias", "true")])
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "Mistakes against the bound R²/γ², with the proof traced step by step.",
                discussion: "γ is the max margin (hard-margin SVM with a duality certificate). A point with ⟨w, x⟩ = 0 counts as a mistake. "
                    + "With --bias a constant feature 1 is appended, which changes R.\n\n"
                    + names.help(defaults("perceptron-mistakes", as: MistakeBoundExperiment.self)))
        }
        @OptionGroup var options: ExperimentOptions

        func run() throws {
            let e = try options.experiment("perceptron-mistakes", as: MistakeBoundExperiment.self, names: Self.names)
            try options.run(e, label: "perceptron mistakes", lines: { r, dir in
                let m = r.metrics
                let first = m["mistake_bound"]?.number.map { bound in
                    String(format: "R = %.4g, γ = %.4g, R²/γ² = %.1f; mistakes %d in %d passes (%@)", m["radius"]?.number ?? .nan,
                           m["margin"]?.number ?? .nan, bound, Int(m["mistakes"]?.number ?? 0), Int(m["epochs"]?.number ?? 0),
                           m["converged"] == .bool(true) ? "converged" : "not converged")
                } ?? "mistakes per pass: " + (r.tables.first?.column("mistakes").map { String(Int($0)) }.joined(separator: " ") ?? "")
                return [first, "final weights w_T: \(dir)/weights.npy, float64\(e.bias ? ", bias last" : "")"]
            })
        }
    }

    struct Risk: ParsableCommand {
        enum Axis: String, ExpressibleByArgument, CaseIterable { case samples, dimension }
        static func names(_ axis: Axis) -> OptionNames {
            axis == .samples ? OptionNames(aliases: ["grid": "sizes", "n": "sizes", "test": "testCount"], alsoSets: ["seed": "distribution.seed"])
                : OptionNames(aliases: ["grid": "dimensions", "samples": "n", "test": "testCount"])
        }
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "Risk of the random iterate (one pass) and of the final weights, against R²/(γ²n) and R²/(γ²(n+1)); "
                    + "with --axis dimension, the final weights' risk as d grows at fixed R, γ and n, beside a VC bound.",
                discussion: "--data separable:d=D,margin=M,radius=R sets the distribution (with --axis dimension: margin and radius); "
                    + "with --axis samples, --seed seeds both the training sets and the distribution's direction.\n\n"
                    + names(.samples).help(defaults("perceptron-risk", as: RiskBoundExperiment.self)))
        }
        @Option(help: "samples (the risk against n) or dimension (against d at fixed n: R/γ, not d, is the capacity).") var axis: Axis = .samples
        @OptionGroup var options: ExperimentOptions

        func run() throws {
            var settings = try Self.names(axis).settings(options.settings)
            if let data = settings.last(where: { $0.key == "data" })?.text {
                settings.removeAll { $0.key == "data" }
                settings = try separable(data) + settings
            }
            if axis == .samples {
                try options.run(try options.scale.base("perceptron-risk", as: RiskBoundExperiment.self).setting(settings), label: "perceptron risk")
            } else {
                try options.run(try options.scale.base("perceptron-dimension", as: DimensionFreeRisk.self).setting(settings), label: "perceptron dimension")
            }
        }

        /// The fields a separable:… spec sets: d, margin and radius of the distribution (margin
        /// and radius with --axis dimension, whose d is the grid).
        func separable(_ data: String) throws -> [(key: String, text: String)] {
            let spec = try DatasetSpec(parsing: data)
            guard spec.name == "separable" else {
                throw GenLabError.usage("--data must be a separable:… spec (the bounds need the distribution's margin and radius), got \"\(data)\"")
            }
            let fields = axis == .samples ? ["d": "distribution.dimension", "margin": "distribution.margin", "radius": "distribution.radius"]
                : ["margin": "margin", "radius": "radius"]
            return try spec.options.map { k, v in
                guard let field = fields[k] else {
                    throw GenLabError.usage("--data: option \(k) does not apply here (use \(fields.keys.sorted().joined(separator: ", ")); --grid sets the \(axis == .samples ? "sizes" : "dimensions"))")
                }
                return (field, v)
            }
        }
    }

    struct Fit: ParsableCommand {
        enum SampleOrder: String, ExpressibleByArgument, CaseIterable { case given, shuffled }
        static let names = OptionNames(flags: ["no-bias": ("bias", "false")])
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "Fit perceptrons (binary, or one-vs-rest / multiclass / averaged for K classes); weights saved as NPY.",
                discussion: "--no-bias with --order given on two classes is the talk's Algorithm 1 exactly (w₀ = 0, one update per mistake).\n\n"
                    + names.help(defaults("perceptron-fit", as: PerceptronFit.self)))
        }
        @Option(help: "Visit the samples in the given order, or reshuffled each pass (given|shuffled; the same as --shuffle false|true).") var order: SampleOrder?
        @OptionGroup var options: ExperimentOptions

        func run() throws {
            let settings = try Self.names.settings(options.settings) + (order.map { [("shuffle", $0 == .shuffled ? "true" : "false")] } ?? [])
            let fit = try options.scale.base("perceptron-fit", as: PerceptronFit.self).setting(settings)
            if !fit.shuffle && settings.contains(where: { $0.key == "seed" }) {
                throw ValidationError("--seed shuffles the samples; it does not apply with --order given (--shuffle false)")
            }
            try options.run(fit, label: "perceptron fit", lines: { r, dir in
                let shape = r.artifacts["weights.npy"].flatMap { try? NPYArray.parse($0, source: "weights") }?.shape ?? []
                var lines = ["model                  train acc  test acc  fit s"]
                for row in r.tables[0].rows {
                    let name = (row[0].string ?? "").padding(toLength: 22, withPad: " ", startingAt: 0)
                    lines.append(name + String(format: " %.4f     %.4f    %.3f", row[1].number ?? .nan, row[2].number ?? .nan, row[3].number ?? .nan))
                }
                lines.append("weights: \(dir)/weights.npy, shape \(shape)" + (fit.bias ? " (bias last)" : " (no bias)")
                             + (fit.isPlainAlgorithm && shape.first == 1 ? "; Algorithm 1 exactly: no bias, given order, one update per mistake" : ""))
                return lines
            })
        }
    }
}
