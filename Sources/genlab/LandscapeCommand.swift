import ArgumentParser
import Experiments

/// `genlab landscape`: every setting is a field of `LandscapeMeasurement` (ToolOptions), with the
/// option names kept from before (--epochs, --lr and --batch set the training's fields, --seed the
/// directions' and the training's seed, --checkpoints every=K the checkpoints kept in the run).
struct LandscapeCommand: ParsableCommand {
    /// What the command draws with no options: a plane around mlp:256 on Fashion-MNIST, trained first.
    static let base = LandscapeMeasurement(data: "fashion-mnist", model: "mlp:256")
    static let names = OptionNames(
        aliases: ["epochs": "training.epochs", "lr": "training.optimizer.learningRate", "batch": "training.batchSize"],
        flags: ["first-samples": ("firstSamples", "true"), "no-shortcut": ("firstLayerShortcut", "false")],
        alsoSets: ["seed": "training.seed"])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "landscape",
            abstract:
                "Training loss and accuracy around a network's weights: a 2-D plane or 1-D line along filter-normalized random directions "
                + "(Li et al.), or the segment between two solutions.",
            discussion: """
                --mode plane (α·d₁ + β·d₂), line (α·d₁), interpolation (θ₀ + t·(θ₁ − θ₀), needs --to) or trajectory (the plane of a training \
                path's top two principal directions, with --checkpoints the folder genlab train --checkpoints every=K wrote, or every=K to train \
                in the run). Without --weights the network is trained first (SGD, momentum 0.9). --range LO,HI (default -1,1; interpolation \
                -0.5,1.5); --samples 0 averages over the whole training set.

                Points run on all cores and each finished point is checkpointed under --out/points: a killed run resumes where it stopped, and \
                a run with anything changed (weights, data, directions, grid) computes afresh. The first layer's product is formed once for \
                the whole grid (--no-shortcut: every layer at every point).


                """ + names.help(base))
    }
    @OptionGroup var options: ToolOptions

    func run() throws {
        // --checkpoints every=K asks for a path trained in the run, not a folder.
        let e = try options.experiment(Self.base, names: Self.names) { settings in
            if let c = settings.last(where: { $0.key == "checkpoints" })?.text, c.hasPrefix("every=") {
                settings.removeAll { $0.key == "checkpoints" }
                settings.append(("checkpointEvery", String(c.dropFirst(6))))
            }
        }
        try options.run(e, label: "landscape", checkpoints: true)
    }
}
