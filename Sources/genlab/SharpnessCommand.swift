import ArgumentParser
import Experiments

/// `genlab sharpness`: every setting is a field of `SharpnessMeasurement` (ToolOptions), with the
/// option names kept from before (--epochs, --lr, --batch and --seed set the training's fields).
struct SharpnessCommand: ParsableCommand {
    /// What the command measures with no options: mlp:256 on Fashion-MNIST, trained first.
    static let base = SharpnessMeasurement(data: "fashion-mnist", model: "mlp:256")
    static let names = OptionNames(
        aliases: [
            "epochs": "training.epochs", "lr": "training.optimizer.learningRate", "batch": "training.batchSize",
            "seed": "training.seed",
        ],
        flags: [
            "first-samples": ("firstSamples", "true"), "no-per-layer": ("perLayer", "false"),
            "no-smallest": ("smallest", "false"),
            "density-reorthogonalization": ("densityReorthogonalization", "true"),
        ])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "sharpness",
            abstract:
                "Curvature of a network's training loss at its weights: top-k and smallest Hessian eigenvalues (Lanczos), the trace (Hutch++), "
                + "the spectral density (SLQ), per layer, and ε-sharpness.",
            discussion:
                "Without --weights (.npy from genlab train with the same model and data, or a PyTorch state dict in .safetensors) the "
                + "network is trained first (SGD, momentum 0.9). --samples 0 averages over the whole training set.\n\n"
                + names.help(base))
    }
    @OptionGroup var options: ToolOptions

    func run() throws {
        let e = try options.experiment(Self.base, names: Self.names)
        try options.run(e, label: "sharpness")
    }
}
