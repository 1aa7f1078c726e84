import Common

extension Commands {
    /// `--axis` and `--model` choose the registry entry; every other word is a setting of its value.
    public enum DoubleDescentCommand: CommandDefinition {
        public static let name = "double-descent"
        public static let abstract = "Test error against model size across the interpolation threshold."
        public static var help: String {
            """
            --axis features --model ridgeless: minimum-norm regression on isotropic Gaussian features against the \
            closed form of Hastie et al. (--n, --trials K, --seed; --grid: feature counts p, turned into γ = p/n).
            --axis features --model relu-features|fourier-features --data SPEC: random features with minimum-norm \
            least squares (Belkin et al.; --seeds per point).
            --axis width: MLP 40→h→h→10 on MNIST-1D with 15% label noise (and without), the published setup; also \
            writes the epoch-wise curves (--seeds per width).
            --axis samples: ridgeless regression with p = --n features fixed and the sample count varying around it \
            (--grid: sample counts n, turned into γ = p/n).
            --axis epochs: test error on a log grid of epochs (60 a decade) in the reported setting (--network mlp:512 \
            on 4,000 Fashion-MNIST images with 20% label noise, Adam 1e-3, no decay, no early stopping, 300 epochs, \
            --seeds networks), and gradient descent on least squares with features at two scales, where epoch-wise \
            double descent has an exact explanation (Heckel & Yilmaz).
            --axis defaults to features, --model to ridgeless. Each axis's settings (values at --scale default): \
            `genlab double-descent --axis AXIS --parameters`; for the width sweep:


            """ + names(.width).help(Registry.planned("double-descent-width"))
        }
        public enum Axis: String, CaseIterable { case features, width, samples, epochs }
        public enum FeatureModel: String, CaseIterable {
            case ridgeless
            case reluFeatures = "relu-features"
            case fourierFeatures = "fourier-features"
        }

        /// The option names each experiment kept from before its options were its fields.
        static func names(_ axis: Axis, ridgeless: Bool = false) -> OptionNames {
            switch axis {
            case .features where ridgeless, .samples: return OptionNames(aliases: ["n": "samples"])
            case .features: return OptionNames(aliases: ["grid": "counts"])
            case .width: return OptionNames(aliases: ["grid": "widths", "noise": "labelNoise", "lr": "learningRate"])
            case .epochs:
                return OptionNames(aliases: [
                    "network": "model", "lr": "learningRate", "batch": "batchSize", "noise": "labelNoise",
                ])
            }
        }

        /// An error about a parameter, in the option names of the value's axis.
        public static func explained(_ error: Error, in value: any Experiment) -> Error {
            let axis: Axis = value is WidthSweep ? .width : value is EpochWise ? .epochs : .features
            return names(axis, ridgeless: value is RidgelessExperiment).explained(error, in: value)
        }

        /// The registry entry whose command is this axis and model (fourier-features: the random
        /// features' entry, with its kind changed).
        static func folder(_ axis: Axis, ridgeless: Bool) -> String {
            let model = axis != .features ? [] : ["--model", ridgeless ? "ridgeless" : "relu-features"]
            return Registry.entries.first { $0.command == [name, "--axis", axis.rawValue] + model }!.folder
        }

        public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
            var words = words
            let axis = try Choice.take("axis", from: &words, as: Axis.self) ?? .features
            let model = try Choice.take("model", from: &words, as: FeatureModel.self)
            if axis != .features && model != nil {
                throw GenLabError.usage(
                    "--model applies to --axis features (ridgeless, relu-features or fourier-features); the "
                        + "epoch-wise network is --network")
            }
            let ridge = axis == .samples || (axis == .features && (model ?? .ridgeless) == .ridgeless)
            var settings = try names(axis, ridgeless: ridge).settings(words)
            if ridge && settings.contains(where: { $0.key == "data" }) {
                throw GenLabError.usage(
                    "ridgeless regression uses isotropic Gaussian features; drop --data or pass --model relu-features")
            }
            if model == .fourierFeatures { settings.append(("kind", "fourier")) }
            let folder = folder(axis, ridgeless: ridge)
            guard ridge else { return try Registry.planned(folder, at: scale).setting(settings) }
            // --grid lists feature counts (or sample counts), turned into the γ = p/n grid after --n.
            let grid = settings.last { $0.key == "grid" }?.text
            settings.removeAll { $0.key == "grid" }
            let e = try Registry.value(folder, at: scale, as: RidgelessExperiment.self).setting(settings)
            return try grid.map { e.gridding(try Grid.integers($0, name: "--grid")) } ?? e
        }
    }
}
