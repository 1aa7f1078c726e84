import ArgumentParser
import Experiments

/// `--axis` chooses the experiment; every other option is a setting of its value.
struct ImplicitBiasCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "implicit-bias",
            abstract: "The solution gradient descent picks among many: the minimum-norm fit of under-determined least squares (--axis least-squares), or the max-margin direction of separable logistic regression (--axis logistic, Soudry et al.).",
            discussion: "--axis least-squares:\n" + OptionNames().help(defaults("implicit-bias-least-squares", as: LeastSquaresImplicitBias.self))
                + "\n\n--axis logistic:\n" + OptionNames().help(defaults("implicit-bias-logistic", as: LogisticImplicitBias.self)))
    }
    enum Axis: String, ExpressibleByArgument, CaseIterable { case leastSquares = "least-squares", logistic }
    @Option(help: "least-squares or logistic.") var axis: Axis
    @OptionGroup var options: ExperimentOptions

    /// With a data set the planted settings do not apply: giving one is an error, not ignored.
    func validate() throws {
        let given = Set(try OptionNames().settings(options.settings).map(\.key))
        guard given.contains("data") else { return }
        let planted = axis == .logistic ? ["samples", "features", "margin"] : ["features", "noise"]
        if let p = planted.first(where: given.contains) {
            throw ValidationError("--\(p) describes planted data; with --data the " + (axis == .logistic ? "samples" : "features and targets") + " are the data set's")
        }
    }

    func run() throws {
        switch axis {
        case .leastSquares: try options.run(try options.experiment("implicit-bias-least-squares", as: LeastSquaresImplicitBias.self), label: "implicit bias")
        case .logistic: try options.run(try options.experiment("implicit-bias-logistic", as: LogisticImplicitBias.self), label: "implicit bias")
        }
    }
}
