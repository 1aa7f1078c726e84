import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra

struct ImplicitBiasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "implicit-bias",
        abstract: "The solution gradient descent picks among many: the minimum-norm fit of under-determined least squares (--axis least-squares), or the max-margin direction of separable logistic regression (--axis logistic, Soudry et al.).")
    enum Axis: String, ExpressibleByArgument, CaseIterable { case leastSquares = "least-squares", logistic }
    @Option(help: "least-squares or logistic.") var axis: Axis
    @Option(help: "Gradient steps (least squares: also SGD epochs).") var steps: Int?
    @Option(help: "Planted data: samples n.") var samples: Int?
    @Option(help: "Planted data: features (least squares needs more features than samples).") var features: Int?
    @Option(help: "logistic: the planted margin (|⟨w*, x⟩| ≥ margin).") var margin: Double?
    @Option(help: "least-squares: the label noise σ.") var noise: Double?
    @Option(help: "A dataset spec instead of planted data: logistic, two classes (e.g. fashion-mnist:classes=trouser,bag,train=500); least-squares, --samples of its rows, fewer than its features (y: targets, or ±1 for class 0 against the rest).") var data: String?
    @Option(help: "Seed.") var seed: UInt64?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        switch axis {
        case .leastSquares:
            guard margin == nil else { throw ValidationError("--margin applies to --axis logistic") }
            guard data == nil || (features == nil && noise == nil) else {
                throw ValidationError("--features and --noise describe planted data; with --data the features and targets are the data set's")
            }
            var e = scale.base("implicit-bias-least-squares", as: LeastSquaresImplicitBias.self)
            if let v = steps { e.steps = v }
            if let v = samples { e.samples = v }
            if let v = features { e.features = v }
            if let v = noise { e.noise = v }
            if let v = data { e.data = v }
            if let v = seed { e.seed = v }
            try finish(try e.execute(global.context(label: "implicit bias")), output: output)
        case .logistic:
            guard noise == nil else { throw ValidationError("--noise applies to --axis least-squares") }
            guard data == nil || (samples == nil && features == nil && margin == nil) else {
                throw ValidationError("--samples, --features and --margin describe planted data; with --data the samples are the data set's")
            }
            var e = scale.base("implicit-bias-logistic", as: LogisticImplicitBias.self)
            if let v = steps { e.steps = v }
            if let v = samples { e.samples = v }
            if let v = features { e.features = v }
            if let v = margin { e.margin = v }
            if let v = data { e.data = v }
            if let v = seed { e.seed = v }
            try finish(try e.execute(global.context(label: "implicit bias")), output: output)
        }
    }
}
