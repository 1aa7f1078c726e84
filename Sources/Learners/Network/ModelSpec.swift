import LinearAlgebra

/// One layer of a sequential network. Activations are [batch, features]; a convolutional
/// layer reads its features as [channels, length] (channel-major).
public enum LayerSpec: Codable, Equatable, Sendable {
    case dense(outputs: Int)
    case relu
    case tanh
    case dropout(rate: Double)
    case conv1d(channels: Int, kernel: Int, stride: Int, padding: Int)
    case maxPool(size: Int)

    /// The layer this spec makes at an input of this shape (the one place that maps specs to layer kinds).
    func placed(input: Shape) throws -> any LayerKind {
        switch self {
        case .dense(let o): return try Dense(outputs: o, input: input)
        case .relu: return ReLU(input: input)
        case .tanh: return Tanh(input: input)
        case .dropout(let rate): return try Dropout(rate: rate, input: input)
        case .conv1d(let c, let k, let s, let p): return try Conv1D(channels: c, kernel: k, stride: s, padding: p, input: input)
        case .maxPool(let size): return try MaxPool(size: size, input: input)
        }
    }
}

/// Model specs of DESIGN.md: `linear`, `mlp:256x256[,act=tanh,dropout=0.1]`,
/// `cnn1d:32x32[,kernel=5,stride=2,pool=2,dropout=0]`. The output layer (classes) is added
/// when the network is built for a dataset.
public struct ModelSpec: Codable, Equatable, Sendable, CustomStringConvertible {
    public var text: String
    public var hidden: [LayerSpec]
    public var description: String { text }

    public init(parsing text: String) throws {
        self.text = text
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        var options = [String: String]()
        var widths = [Int]()
        if parts.count == 2 {
            for (k, token) in parts[1].split(separator: ",").enumerated() {
                if let eq = token.firstIndex(of: "=") {
                    options[String(token[..<eq])] = String(token[token.index(after: eq)...])
                } else if k == 0 {
                    for w in token.split(separator: "x", omittingEmptySubsequences: false) {
                        guard let v = Int(w), v >= 1 else {
                            throw GenLabError.usage("model spec \"\(text)\": widths must be positive integers separated by x (e.g. mlp:256x256), got \"\(token)\"")
                        }
                        widths.append(v)
                    }
                } else {
                    throw GenLabError.usage("model spec \"\(text)\": expected key=value after the widths, got \"\(token)\"")
                }
            }
        }
        func number(_ k: String, _ d: Double) throws -> Double {
            guard let s = options.removeValue(forKey: k) else { return d }
            guard let v = Double(s), v.isFinite else { throw GenLabError.usage("model spec \"\(text)\": \(k) must be a number, got \"\(s)\"") }
            return v
        }
        func integer(_ k: String, _ d: Int, min lo: Int) throws -> Int {
            guard let s = options.removeValue(forKey: k) else { return d }
            guard let v = Int(s), v >= lo else { throw GenLabError.usage("model spec \"\(text)\": \(k) must be an integer ≥ \(lo), got \"\(s)\"") }
            return v
        }
        let dropout = try number("dropout", 0)
        guard dropout >= 0 && dropout < 1 else { throw GenLabError.usage("model spec \"\(text)\": dropout must be in [0, 1), got \(dropout)") }
        var layers = [LayerSpec]()
        switch name {
        case "linear":
            guard widths.isEmpty else { throw GenLabError.usage("model spec \"\(text)\": linear takes no widths") }
        case "mlp":
            guard !widths.isEmpty else { throw GenLabError.usage("model spec \"\(text)\": mlp needs widths, e.g. mlp:256 or mlp:100x100") }
            let act = options.removeValue(forKey: "act") ?? "relu"
            guard act == "relu" || act == "tanh" else { throw GenLabError.usage("model spec \"\(text)\": act must be relu or tanh, got \"\(act)\"") }
            for w in widths {
                layers.append(.dense(outputs: w))
                layers.append(act == "relu" ? .relu : .tanh)
                if dropout > 0 { layers.append(.dropout(rate: dropout)) }
            }
        case "cnn1d":
            guard !widths.isEmpty else { throw GenLabError.usage("model spec \"\(text)\": cnn1d needs channel counts, e.g. cnn1d:25x25x25") }
            let kernel = try integer("kernel", 5, min: 1), stride = try integer("stride", 2, min: 1)
            let padding = try integer("padding", kernel / 2, min: 0), pool = try integer("pool", 1, min: 1)
            for c in widths {
                layers.append(.conv1d(channels: c, kernel: kernel, stride: stride, padding: padding))
                layers.append(.relu)
                if pool > 1 { layers.append(.maxPool(size: pool)) }
                if dropout > 0 { layers.append(.dropout(rate: dropout)) }
            }
        default:
            throw GenLabError.usage("unknown model \"\(name)\" in spec \"\(text)\": expected linear, mlp:W[xW…] or cnn1d:C[xC…]")
        }
        if let k = options.keys.sorted().first {
            throw GenLabError.usage("model spec \"\(text)\": unknown option \(k)")
        }
        hidden = layers
    }
}

extension ModelSpec {
    /// The network this spec describes for a dataset: MLPs read the features as a vector,
    /// convolutions as one channel of length featureCount. Classification gets one output per
    /// class (cross-entropy), regression one output (mean squared error).
    public func network<T: Scalar>(for data: Dataset, initialization: Initialization? = nil, seed: UInt64 = 0, as _: T.Type = T.self) throws -> Network<T> {
        let convolutional = hidden.contains { if case .conv1d = $0 { return true }; return false }
        let input = convolutional ? (1, data.featureCount) : (data.featureCount, 1)
        let usesTanh = hidden.contains { $0 == .tanh }
        return try Network<T>(input: input, hidden: hidden, outputs: data.isRegression ? 1 : data.classCount,
                              loss: data.isRegression ? .meanSquaredError : .crossEntropy,
                              initialization: initialization ?? (usesTanh ? .glorot : .he), seed: seed)
    }
}

import Datasets
