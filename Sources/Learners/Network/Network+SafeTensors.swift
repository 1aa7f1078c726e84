import Datasets
import LinearAlgebra

/// A network's weights as a PyTorch state dict in safetensors.
///
/// GenLab's θ holds, per layer with parameters, W then b in PyTorch's own layouts: `nn.Linear`'s
/// weight [out, in], `nn.Conv1d`'s weight [out, in, k] and `nn.Conv2d`'s [out, in, k, k] (row-major, the kernel
/// innermost), bias
/// [out]. So the mapping is only names and shapes, never a transpose. The names are those of the
/// `nn.Sequential` the network is (`torchModules`): one index per GenLab layer, activations,
/// dropout and pooling included, and an `nn.Flatten` before the first Linear after a Conv1d.
extension Network {
    /// One module of the equivalent `nn.Sequential`: the GenLab layer it stands for (nil: the
    /// Flatten GenLab does implicitly) and its constructor in PyTorch.
    public struct TorchModule: Sendable {
        public let layer: Int?
        public let code: String
    }

    /// The `nn.Sequential` this network computes, module by module.
    public var torchModules: [TorchModule] {
        var out = [TorchModule]()
        var convolved = false
        for (i, l) in layers.enumerated() {
            switch l.spec {
            case .dense(let o):
                if convolved {
                    out.append(TorchModule(layer: nil, code: "nn.Flatten()"))
                    convolved = false
                }
                out.append(TorchModule(layer: i, code: "nn.Linear(\(l.inputFeatures), \(o))"))
            case .relu: out.append(TorchModule(layer: i, code: "nn.ReLU()"))
            case .tanh: out.append(TorchModule(layer: i, code: "nn.Tanh()"))
            case .dropout(let rate): out.append(TorchModule(layer: i, code: "nn.Dropout(\(rate))"))
            case .conv1d(let c, let k, let s, let p):
                convolved = true
                out.append(
                    TorchModule(layer: i, code: "nn.Conv1d(\(l.input.channels), \(c), \(k), stride=\(s), padding=\(p))")
                )
            case .maxPool(let size): out.append(TorchModule(layer: i, code: "nn.MaxPool1d(\(size))"))
            case .conv2d(let c, let k, let s, let p):
                convolved = true
                out.append(
                    TorchModule(layer: i, code: "nn.Conv2d(\(l.input.channels), \(c), \(k), stride=\(s), padding=\(p))")
                )
            case .maxPool2d(let size): out.append(TorchModule(layer: i, code: "nn.MaxPool2d(\(size))"))
            case .avgPool2d(let size): out.append(TorchModule(layer: i, code: "nn.AvgPool2d(\(size))"))
            case .globalAvgPool:
                convolved = false
                out.append(TorchModule(layer: i, code: "nn.AdaptiveAvgPool2d(1)"))
                out.append(TorchModule(layer: nil, code: "nn.Flatten()"))
            }
        }
        return out
    }

    /// The PyTorch code of the network and the input shape it takes (a Conv1d network reads [B, 1, L]).
    public var torchSequential: (code: String, input: String) {
        let convolutional = layers.contains {
            if case .conv1d = $0.spec { return true }
            return false
        }
        let images = layers.contains {
            if case .conv2d = $0.spec { return true }
            return false
        }
        let input =
            images
            ? "[batch, 1, \(inputHeight), \(inputShape.length / inputHeight)]"
            : convolutional ? "[batch, 1, \(inputFeatures)]" : "[batch, \(inputFeatures)]"
        return ("nn.Sequential(" + torchModules.map(\.code).joined(separator: ", ") + ")", input)
    }

    /// The module name (state-dict prefix) of each layer with parameters, in θ's order: its
    /// `nn.Sequential` index.
    public var torchParameterNames: [String] {
        var names = [String]()
        for (k, m) in torchModules.enumerated() {
            if let i = m.layer, layers[i].parameterCount > 0 { names.append(String(k)) }
        }
        return names
    }

    /// (name suffix, PyTorch shape, offset in θ, count) of every tensor of layer `i`.
    func torchTensors(layer i: Int) -> [(suffix: String, shape: [Int], offset: Int, count: Int)] {
        let l = layers[i]
        let weightShape: [Int]
        switch l.spec {
        case .dense(let o): weightShape = [o, l.inputFeatures]
        case .conv1d(let c, let k, _, _): weightShape = [c, l.input.channels, k]
        case .conv2d(let c, let k, _, _): weightShape = [c, l.input.channels, k, k]
        default: return []
        }
        let out = weightShape[0]
        return [
            ("weight", weightShape, l.parameterOffset, l.weightCount),
            ("bias", [out], l.parameterOffset + l.weightCount, out),
        ]
    }

    /// θ as a state dict: F32 for a Float network, F64 for a Double one; the metadata carry the
    /// model spec (when given) and the `nn.Sequential` that loads it.
    public func stateDict(model: String? = nil) -> SafeTensors {
        let theta = parameterArray.map { Double($0) }
        let dtype: SafeTensors.DType = T.self == Float.self ? .float32 : .float64
        var tensors = [SafeTensors.Tensor]()
        for (i, prefix) in zip(layers.indices.filter { layers[$0].parameterCount > 0 }, torchParameterNames) {
            for t in torchTensors(layer: i) {
                tensors.append(
                    .init(
                        name: prefix + "." + t.suffix, dtype: dtype, shape: t.shape,
                        values: Array(theta[t.offset..<(t.offset + t.count)])))
            }
        }
        let torch = torchSequential
        var metadata = [
            "format": "pt", "genlab_sequential": torch.code, "genlab_input": torch.input,
            "genlab_version": genlabVersion,
        ]
        if let m = model { metadata["genlab_model"] = m }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// The module prefixes a state dict's tensors are read from, one per layer with parameters:
    /// `names` when given, else the file's own `nn.Sequential` numbering — every tensor named
    /// `[prefix.]N.weight` or `[prefix.]N.bias`, the N in increasing order (indices may skip, as
    /// activations of another Sequential occupy them).
    func torchPrefixes(in file: SafeTensors, source: String, names: [String]?) throws -> [String] {
        let wanted = layers.filter { $0.parameterCount > 0 }.count
        if let names {
            guard names.count == wanted else {
                throw GenLabError.data(
                    source: source,
                    expected: "\(wanted) module names in weightNames (one per Linear/Conv1d layer of this model)",
                    found: "\(names.count): \(names.joined(separator: ","))")
            }
            return names
        }
        var prefixes = [String: Int]()
        for t in file.tensors {
            let parts = t.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, parts.last == "weight" || parts.last == "bias",
                let index = Int(parts[parts.count - 2]), index >= 0
            else {
                throw GenLabError.data(
                    source: source, expected: "tensors named as in an nn.Sequential (0.weight, 0.bias, 2.weight, …)",
                    found: "\"\(t.name)\"",
                    fix:
                        "pass the module of each Linear/Conv1d layer in order in weightNames, e.g. fc1,fc2,out"
                )
            }
            prefixes[parts.dropLast().joined(separator: ".")] = index
        }
        let ordered = prefixes.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
        guard ordered.count == wanted else {
            throw GenLabError.data(
                source: source, expected: "\(wanted) layers with parameters for this model (\(torchSequential.code))",
                found: "\(ordered.count): \(ordered.joined(separator: ", "))",
                fix: "build the network with the same model and a data set with the same features and classes")
        }
        return ordered
    }

    /// Sets θ from a state dict, after checking every tensor against this network: each layer's
    /// weight and bias present with PyTorch's shape, no tensor left over, every value finite.
    public func load(stateDict file: SafeTensors, source: String, names: [String]? = nil) throws {
        let prefixes = try torchPrefixes(in: file, source: source, names: names)
        var theta = [T](repeating: 0, count: parameterCount)
        var used = Set<String>()
        let modules = torchSequential.code
        for (i, prefix) in zip(layers.indices.filter { layers[$0].parameterCount > 0 }, prefixes) {
            for t in torchTensors(layer: i) {
                let name = prefix + "." + t.suffix
                guard let tensor = file[name] else {
                    throw GenLabError.data(
                        source: source,
                        expected: "a tensor \"\(name)\" of shape \(t.shape) (layer \(i + 1) of \(modules))",
                        found: "none",
                        fix: t.suffix == "bias"
                            ? "GenLab's layers all have a bias: save zeros for a layer made with bias=False" : nil)
                }
                guard tensor.shape == t.shape else {
                    throw GenLabError.data(
                        source: source,
                        expected: "tensor \"\(name)\" of shape \(t.shape) (layer \(i + 1) of \(modules))",
                        found: "shape \(tensor.shape)",
                        fix: "use the model and data (features, classes) the weights were trained with")
                }
                for (j, v) in tensor.values.enumerated() {
                    // Checked after the narrowing: an F64 1e300 is finite, its float32 is not.
                    let w = T(v)
                    guard w.isFinite else {
                        throw GenLabError.data(
                            source: source, expected: "finite weights",
                            found: "\(v) in tensor \"\(name)\" at flat index \(j)"
                                + (v.isFinite ? " (infinite as \(T.self))" : ""))
                    }
                    theta[t.offset + j] = w
                }
                used.insert(name)
            }
        }
        if let extra = file.tensors.map(\.name).filter({ !used.contains($0) }).sorted().first {
            throw GenLabError.data(
                source: source, expected: "only the Linear/Conv1d weights and biases of \(modules)",
                found: "tensor \"\(extra)\" besides them",
                fix: "save just the model's state_dict (no buffers, no optimizer state)")
        }
        parameterArray = theta
    }
}
