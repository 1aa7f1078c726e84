import ArgumentParser
import Experiments
import Foundation
import Learners
import LinearAlgebra

/// `genlab sharpness`: every setting is a field of `SharpnessMeasurement` (ToolOptions), with the
/// option names kept from before (--epochs, --lr, --batch and --seed set the training's fields).
struct SharpnessCommand: ParsableCommand {
    /// What the command measures with no options: mlp:256 on Fashion-MNIST, trained first.
    static let base = SharpnessMeasurement(data: "fashion-mnist", model: "mlp:256")
    static let names = OptionNames(
        aliases: ["epochs": "training.epochs", "lr": "training.optimizer.learningRate", "batch": "training.batchSize", "seed": "training.seed"],
        flags: ["first-samples": ("firstSamples", "true"), "no-per-layer": ("perLayer", "false"), "no-smallest": ("smallest", "false"),
                "density-reorthogonalization": ("densityReorthogonalization", "true")])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "sharpness",
            abstract: "Curvature of a network's training loss at its weights: top-k and smallest Hessian eigenvalues (Lanczos), the trace (Hutch++), "
                + "the spectral density (SLQ), per layer, and ε-sharpness.",
            discussion: "Without --weights (.npy from genlab train with the same model and data, or a PyTorch state dict in .safetensors) the "
                + "network is trained first (SGD, momentum 0.9). --samples 0 averages over the whole training set.\n\n" + names.help(base))
    }
    @OptionGroup var weightNames: WeightNamesOption
    @OptionGroup var options: ToolOptions

    func run() throws {
        var e = try options.experiment(Self.base, names: Self.names)
        if let n = weightNames.names { e.weightNames = n }
        try options.run(e, label: "sharpness", lines: { r, _ in Self.summary(r, e) })
    }

    static func summary(_ r: ExperimentResult, _ e: SharpnessMeasurement) -> [String] {
        let m = r.metrics
        func n(_ k: String) -> Double { m[k]?.number ?? .nan }
        return [
            String(format: "%@ on %@ at %@: %d parameters, loss %.4f over %d samples", e.model, e.data, e.weights ?? "weights trained in the run",
                   Int(n("parameters")), n("loss"), Int(n("samples"))),
            String(format: "λ_max %.5g, λ_min %@ (Lanczos, %d steps, %@)", n("lambda_max"), e.smallest ? String(format: "%.5g", n("lambda_min")) : "not asked",
                   Int(n("eigen_iterations")), m["eigen_converged"] == .bool(true) ? "converged" : "NOT converged"),
            String(format: "trace %.5g ± %.2g (Hutch++, %d products%@)", n("trace"), n("trace_standard_error"), Int(n("trace_products")),
                   m["trace_converged"] == .bool(true) ? "" : ", NOT converged"),
            m["trace_exact"]?.number.map { String(format: "trace %.6g exactly (the Gauss–Newton diagonal of a ReLU MLP)", $0) } ?? "trace: no exact value (not a ReLU MLP)",
            String(format: "ε-sharpness %.4g at ε = %g (%d ascent steps)", n("epsilon_sharpness"), e.epsilon, Int(n("epsilon_sharpness_iterations"))),
        ]
    }
}
