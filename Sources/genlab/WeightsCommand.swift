import ArgumentParser
import Datasets
import Experiments
import Learners
import LinearAlgebra

/// --weight-names: the module of each Linear/Conv1d layer in a PyTorch state dict, in order.
struct WeightNamesOption: ParsableArguments {
    @Option(
        name: .customLong("weight-names"),
        help: """
            For .safetensors weights not numbered as an nn.Sequential: the module of each Linear/Conv layer in \
            order, comma-separated (e.g. fc1,fc2,out reads fc1.weight, fc1.bias, …).
            """
    )
    var text: String?

    /// The names given (nil: none), checked in `validate`.
    var names: [String]? { try? text.map(Choice.layerNames) }

    func validate() throws { _ = try asUsage { try text.map(Choice.layerNames) } }
}

struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract:
            "Convert weights between GenLab's flat .npy and a PyTorch state dict (.safetensors), checked on the model.",
        discussion: """
            The format of each file is its extension. A .safetensors file written here loads into the nn.Sequential \
            in its metadata (genlab_sequential) with load_state_dict; GenLab's layers are PyTorch's layouts \
            (Linear weight [out, in], Conv1d weight [out, in, k], then the bias), so only names and shapes change.
            """)
    @Option(help: "Model spec the weights belong to (as given to genlab train).") var model: String
    @Option(help: "Dataset spec (its features and classes size the network).") var data: String
    @Option(help: "Weights to read (.npy or .safetensors).") var weights: String
    @OptionGroup var names: WeightNamesOption
    @Option(help: "File to write (.npy or .safetensors).") var to: String
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let spec = try asUsage { try ModelSpec(parsing: model) }
        let split = try global.load(data)
        let net: Network<Float> = try spec.network(for: split.train, imageShape: split.sampleShape)
        try net.load(weights: weights, names: names.names)
        try net.save(weights: to, model: model)
        let torch = net.torchSequential
        print("\(weights) → \(to): \(net.parameterCount) parameters of \(model)")
        if Network<Float>.isSafeTensors(to) { print("PyTorch: \(torch.code), input \(torch.input)") }
    }
}
