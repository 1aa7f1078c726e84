import Datasets
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
    /// Layers on images (NCHW; `Conv2D`): they read the input's length as height·width.
    case conv2d(channels: Int, kernel: Int, stride: Int, padding: Int)
    case maxPool2d(size: Int)
    case avgPool2d(size: Int)
    case globalAvgPool

    /// The layer this spec makes at an input of this shape, whose image (if any) is `height`
    /// rows high (the one place that maps specs to layer kinds).
    func placed(input: Shape, height: Int = 1) throws -> any LayerKind {
        switch self {
        case .dense(let o): return try Dense(outputs: o, input: input)
        case .relu: return ReLU(input: input)
        case .tanh: return Tanh(input: input)
        case .dropout(let rate): return try Dropout(rate: rate, input: input)
        case .conv1d(let c, let k, let s, let p):
            return try Conv1D(channels: c, kernel: k, stride: s, padding: p, input: input)
        case .maxPool(let size): return try MaxPool(size: size, input: input)
        case .conv2d(let c, let k, let s, let p):
            return try Conv2D(channels: c, kernel: k, stride: s, padding: p, input: input, height: height)
        case .maxPool2d(let size): return try MaxPool2D(size: size, input: input, height: height)
        case .avgPool2d(let size): return try AvgPool2D(size: size, input: input, height: height)
        case .globalAvgPool: return try GlobalAvgPool(input: input, height: height)
        }
    }
}

/// Model specs of DESIGN.md: `linear`, `mlp:256x256[,act=tanh,dropout=0.1]`,
/// `cnn1d:32x32[,kernel=5,stride=2,pool=2,dropout=0]`,
/// `cnn2d:8x16x32x64[,kernel=3,stride=1,padding=1,pool=1x2x2x7,pooling=max,head=flatten,dropout=0]`.
/// The output layer (classes) is added when the network is built for a dataset.
public struct ModelSpec: Codable, Equatable, Sendable, CustomStringConvertible {
    public var text: String
    public var hidden: [LayerSpec]
    public var description: String { text }

    public init(parsing text: String) throws {
        self.text = text
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        var o = try SpecOptions(text: text, body: parts.count == 2 ? parts[1] : nil)
        let dropout = try o.number("dropout", 0)
        guard dropout >= 0 && dropout < 1 else {
            throw GenLabError.usage("model spec \"\(text)\": dropout must be in [0, 1), got \(dropout)")
        }
        var layers = [LayerSpec]()
        switch name {
        case "linear":
            guard o.widths.isEmpty else { throw GenLabError.usage("model spec \"\(text)\": linear takes no widths") }
        case "mlp":
            guard !o.widths.isEmpty else {
                throw GenLabError.usage("model spec \"\(text)\": mlp needs widths, e.g. mlp:256 or mlp:100x100")
            }
            let act = o.values.removeValue(forKey: "act") ?? "relu"
            guard act == "relu" || act == "tanh" else {
                throw GenLabError.usage("model spec \"\(text)\": act must be relu or tanh, got \"\(act)\"")
            }
            for w in o.widths {
                layers.append(.dense(outputs: w))
                layers.append(act == "relu" ? .relu : .tanh)
                if dropout > 0 { layers.append(.dropout(rate: dropout)) }
            }
        case "cnn1d":
            guard !o.widths.isEmpty else {
                throw GenLabError.usage("model spec \"\(text)\": cnn1d needs channel counts, e.g. cnn1d:25x25x25")
            }
            let kernel = try o.integer("kernel", 5, min: 1)
            let stride = try o.integer("stride", 2, min: 1)
            let padding = try o.integer("padding", kernel / 2, min: 0)
            let pool = try o.integer("pool", 1, min: 1)
            for c in o.widths {
                layers.append(.conv1d(channels: c, kernel: kernel, stride: stride, padding: padding))
                layers.append(.relu)
                if pool > 1 { layers.append(.maxPool(size: pool)) }
                if dropout > 0 { layers.append(.dropout(rate: dropout)) }
            }
        case "cnn2d":
            layers = try Self.imageLayers(&o, dropout: dropout)
        default:
            throw GenLabError.usage(
                "unknown model \"\(name)\" in spec \"\(text)\": expected "
                    + "linear, mlp:W[xW…], cnn1d:C[xC…] or cnn2d:C[xC…]"
            )
        }
        if let k = o.values.keys.sorted().first {
            throw GenLabError.usage("model spec \"\(text)\": unknown option \(k)")
        }
        hidden = layers
    }

    /// cnn2d: per width a k×k convolution (stride 1, padding k/2 by default), ReLU, then its pool
    /// (`pool=P` after every convolution, or one per convolution `pool=P1xP2x…`; 1: none) of
    /// `pooling=max|avg`, then dropout; `head=gap` adds global average pooling before the output
    /// layer (the default `flatten` feeds every pixel to it).
    static func imageLayers(_ o: inout SpecOptions, dropout: Double) throws -> [LayerSpec] {
        let text = o.text
        guard !o.widths.isEmpty else {
            throw GenLabError.usage("model spec \"\(text)\": cnn2d needs channel counts, e.g. cnn2d:16x32x64x128")
        }
        let kernel = try o.integer("kernel", 3, min: 1)
        let stride = try o.integer("stride", 1, min: 1)
        let padding = try o.integer("padding", kernel / 2, min: 0)
        let pools = try o.integers("pool", count: o.widths.count, default: 1)
        let pooling = o.values.removeValue(forKey: "pooling") ?? "max"
        let head = o.values.removeValue(forKey: "head") ?? "flatten"
        guard pooling == "max" || pooling == "avg" else {
            throw GenLabError.usage("model spec \"\(text)\": pooling must be max or avg, got \"\(pooling)\"")
        }
        guard head == "flatten" || head == "gap" else {
            throw GenLabError.usage("model spec \"\(text)\": head must be flatten or gap, got \"\(head)\"")
        }
        var layers = [LayerSpec]()
        for (c, pool) in zip(o.widths, pools) {
            layers.append(.conv2d(channels: c, kernel: kernel, stride: stride, padding: padding))
            layers.append(.relu)
            if pool > 1 { layers.append(pooling == "max" ? .maxPool2d(size: pool) : .avgPool2d(size: pool)) }
            if dropout > 0 { layers.append(.dropout(rate: dropout)) }
        }
        if head == "gap" { layers.append(.globalAvgPool) }
        return layers
    }

    /// Nakkiran et al.'s "standard CNN" of width k on 28×28 images (without batch norm): 3×3
    /// convolutions of k, 2k, 4k, 8k channels, each with a ReLU, max pools of 2, 2 and 7 after
    /// the last three (28 → 14 → 7 → 1), and the linear output layer (`torch_cnn.py` in the peers).
    public static func standardCNN(width k: Int) -> String { "cnn2d:\(k)x\(2 * k)x\(4 * k)x\(8 * k),pool=1x2x2x7" }

    /// Whether the spec has layers on images (the network then needs the data's image shape).
    public var readsImages: Bool {
        hidden.contains {
            switch $0 {
            case .conv2d, .maxPool2d, .avgPool2d, .globalAvgPool: return true
            default: return false
            }
        }
    }
}

/// A spec's body: the widths (`256x256`) and its `key=value` options, removed as they are read.
struct SpecOptions {
    var text: String
    var widths = [Int]()
    var values = [String: String]()

    init(text: String, body: String?) throws {
        self.text = text
        guard let body else { return }
        for (k, token) in body.split(separator: ",").enumerated() {
            if let eq = token.firstIndex(of: "=") {
                values[String(token[..<eq])] = String(token[token.index(after: eq)...])
            } else if k == 0 {
                for w in token.split(separator: "x", omittingEmptySubsequences: false) {
                    guard let v = Int(w), v >= 1 else {
                        throw GenLabError.usage(
                            "model spec \"\(text)\": widths must be positive integers separated by x (e.g. "
                                + "mlp:256x256), got \"\(token)\""
                        )
                    }
                    widths.append(v)
                }
            } else {
                throw GenLabError.usage("model spec \"\(text)\": expected key=value after the widths, got \"\(token)\"")
            }
        }
    }

    mutating func number(_ k: String, _ d: Double) throws -> Double {
        guard let s = values.removeValue(forKey: k) else { return d }
        guard let v = Double(s), v.isFinite else {
            throw GenLabError.usage("model spec \"\(text)\": \(k) must be a number, got \"\(s)\"")
        }
        return v
    }

    mutating func integer(_ k: String, _ d: Int, min lo: Int) throws -> Int {
        guard let s = values.removeValue(forKey: k) else { return d }
        guard let v = Int(s), v >= lo else {
            throw GenLabError.usage("model spec \"\(text)\": \(k) must be an integer ≥ \(lo), got \"\(s)\"")
        }
        return v
    }

    /// `k=N` (N for each of `count`) or `k=N1xN2x…` (exactly `count` integers ≥ 1).
    mutating func integers(_ k: String, count: Int, default d: Int) throws -> [Int] {
        guard let s = values.removeValue(forKey: k) else { return Array(repeating: d, count: count) }
        let list = s.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard list.allSatisfy({ ($0 ?? 0) >= 1 }), list.count == 1 || list.count == count else {
            throw GenLabError.usage(
                "model spec \"\(text)\": \(k) must be one integer ≥ 1 or \(count) of them separated by x (one per "
                    + "width), got \"\(s)\""
            )
        }
        return list.count == 1 ? Array(repeating: list[0]!, count: count) : list.map { $0! }
    }
}

extension ModelSpec {
    /// The network this spec describes for a dataset: MLPs read the features as a vector,
    /// 1-D convolutions as one channel of length featureCount, 2-D convolutions as one channel of
    /// an image of `imageShape` [height, width] (the split's `sampleShape`; checked against the
    /// data's feature count). Classification gets one output per class (cross-entropy),
    /// regression one output (mean squared error).
    public func network<T: Scalar>(
        for data: Dataset, imageShape: [Int]? = nil, initialization: Initialization? = nil, seed: UInt64 = 0,
        as _: T.Type = T.self
    ) throws -> Network<T> {
        let convolutional = hidden.contains {
            if case .conv1d = $0 { return true }
            return false
        }
        var input: Shape = convolutional ? (1, data.featureCount) : (data.featureCount, 1)
        var height = 1
        if readsImages {
            guard let shape = imageShape, shape.count == 2, shape[0] * shape[1] == data.featureCount else {
                throw GenLabError.data(
                    source: data.provenance,
                    expected:
                        "images (a sample shape [height, width] of \(data.featureCount) pixels) for model \(text)",
                    found: imageShape.map { "sample shape \($0)" } ?? "features without an image shape",
                    fix: "use a data set of images (fashion-mnist), or an mlp or cnn1d model")
            }
            input = (1, data.featureCount)
            height = shape[0]
        }
        return try Network<T>(
            input: input, height: height, hidden: hidden, outputs: data.isRegression ? 1 : data.classCount,
            loss: data.isRegression ? .meanSquaredError : .crossEntropy,
            initialization: self.initialization(initialization), seed: seed)
    }

    /// The initialization a network of this spec gets: `given`, else He for ReLU and Glorot for tanh.
    public func initialization(_ given: Initialization?) -> Initialization {
        given ?? (hidden.contains { $0 == .tanh } ? .glorot : .he)
    }
}


extension ModelSpec {
    /// Every model and option a model spec takes: `genlab data model-help` prints it.
    public static let helpText = """
        A model spec is NAME[:WIDTHS][,OPTION=VALUE,...]; the output layer (one unit per class, or one for
        regression) is added for the data set. WIDTHS are positive integers separated by x.

          linear                 the output layer alone (a linear classifier or regression).
          mlp:W1xW2…             dense layers of those widths: act=relu|tanh (relu), dropout=P (0, after each).
          cnn1d:C1xC2…           1-D convolutions over the features as one signal, each with a ReLU: kernel=5,
                                 stride=2, padding=kernel/2, pool=P (1: none; max pooling after each), dropout=P.
          cnn2d:C1xC2…           2-D convolutions over images (NCHW; the data must carry an image shape, as
                                 fashion-mnist does), each with a ReLU: kernel=3, stride=1, padding=kernel/2,
                                 pool=P or P1xP2x… (one per convolution; 1: none), pooling=max|avg (max),
                                 head=flatten|gap (gap: global average pooling before the output layer), dropout=P.

        Nakkiran et al.'s standard CNN of width k (no batch norm) on 28×28 images:
          cnn2d:KxK2xK4xK8,pool=1x2x2x7     e.g. k = 16: cnn2d:16x32x64x128,pool=1x2x2x7
        """
}
