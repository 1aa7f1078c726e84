import LinearAlgebra

/// Weight initializations, drawn from GenLab's seeded generator.
public enum Initialization: String, Codable, Sendable, CaseIterable {
    /// N(0, 2/fan_in) (He et al. 2015), for ReLU.
    case he
    /// U(±√(6/fan_in)), the He-uniform of the MNIST-1D notebooks.
    case heUniform = "he-uniform"
    /// N(0, 2/(fan_in + fan_out)) (Glorot & Bengio 2010), for tanh.
    case glorot
    /// U(±1/√fan_in) for weights and biases (PyTorch's default for Linear and Conv1d).
    case uniform
}

/// When a training step or an H·v runs as two half batches, one per core (see
/// `Network.splitsBatch` and `splitsHessianVectorProduct`).
public enum Halving: String, Codable, Sendable, CaseIterable {
    /// When BLAS runs on several threads and the measured rule says so (the default).
    case automatic
    case never
    /// Whenever BLAS runs on several threads and the batch has at least 32 samples.
    case always
}

/// A sequential network over Float or Double (llm.c style): parameters in one allocation,
/// gradients in another, activations in an arena sized for the largest batch seen. After the
/// first step at a batch size, a training step allocates nothing.
///
/// Activation layers (ReLU, tanh, dropout) work in place on the output of the layer before,
/// so a dense layer and its ReLU share one buffer and one fused pass.
public final class Network<T: Scalar>: @unchecked Sendable {
    public let layers: [Layer]
    public let inputShape: (channels: Int, length: Int)
    public let loss: Loss
    public let parameterCount: Int
    /// θ, all layers, weights then biases per layer.
    public let parameters: UnsafeMutablePointer<T>
    /// ∂L/∂θ of the last backward pass.
    public let gradient: UnsafeMutablePointer<T>
    var rng: Generator
    /// A replica shares its primary's parameters (it never frees them) and has its own
    /// gradient, arena and dropout stream (see `Network+DataParallel.swift`).
    let ownsParameters: Bool
    /// Whether training steps and H·v run as two half batches on two cores.
    public var halving: Halving = .automatic
    /// The replica of halved steps and H·v, and the halved step's arguments, made on first use
    /// (see `Network+DataParallel`).
    var replica: Network<T>? = nil
    var halvedStep: HalvedStep<T>? = nil
    /// The arguments of a dense layer's backward products when they run on two cores.
    var denseBackwardPair: DenseBackwardPair<T>? = nil
    /// The output layer's forward and R-forward products of the from-scratch H·v, on two cores.
    var outputLayerPair: OutputLayerPair<T>? = nil

    // Arena, grown by `reserve(batch:)`.
    var capacity = 0
    /// Output of each layer (in-place layers alias the buffer before them).
    var outputs: [UnsafeMutablePointer<T>] = []
    var rOutputs: [UnsafeMutablePointer<T>] = []
    var masks: [UnsafeMutablePointer<T>?] = []
    var columns: [UnsafeMutablePointer<T>?] = []
    var rColumns: [UnsafeMutablePointer<T>?] = []
    var transposed: [UnsafeMutablePointer<T>?] = []
    var argmax: [UnsafeMutablePointer<Int32>?] = []
    var delta: [UnsafeMutablePointer<T>] = []      // two ping-pong buffers
    var rDelta: [UnsafeMutablePointer<T>] = []
    /// A batch gathered from rows of a data set (`lossAndGradient(rows:)`).
    var batchInput: UnsafeMutablePointer<T>? = nil
    var batchLabels: UnsafeMutablePointer<Int32>? = nil
    var batchTargets: UnsafeMutablePointer<T>? = nil
    var lossGradient: UnsafeMutablePointer<T>? = nil
    var rLossGradient: UnsafeMutablePointer<T>? = nil
    var owned: [UnsafeMutableRawPointer] = []
    /// Counts the writes of the forward state (activations, ∂L/∂logits): every `forward` and
    /// every arena growth. `Objective` reuses a forward pass only while this is unchanged.
    public internal(set) var forwardGeneration = 0
    /// [W; V] of the first dense layer and X·[W; V]ᵀ, for `forwardWithTangent` (allocated on first use).
    var stacked: (weights: UnsafeMutablePointer<T>, output: UnsafeMutablePointer<T>, rows: Int)? = nil

    public var inputFeatures: Int { inputShape.channels * inputShape.length }
    public var outputCount: Int { layers.last.map(\.outputFeatures) ?? inputFeatures }

    /// `hidden` layers, then a dense output layer of `outputs` units.
    public init(input: (channels: Int, length: Int), hidden: [LayerSpec], outputs: Int, loss: Loss = .crossEntropy,
                initialization: Initialization = .he, seed: UInt64 = 0) throws {
        guard outputs >= 1 else { throw GenLabError.usage("a network needs at least one output, got \(outputs)") }
        var placed = [Layer]()
        var shape = input, offset = 0
        for spec in hidden + [.dense(outputs: outputs)] {
            if case .dense(let o) = spec, o < 1 { throw GenLabError.usage("a dense layer needs width ≥ 1, got \(o)") }
            if case .conv1d(let c, let k, let s, _) = spec, c < 1 || k < 1 || s < 1 {
                throw GenLabError.usage("a convolution needs channels, kernel and stride ≥ 1, got \(c), \(k), \(s)")
            }
            let l = try Layer.place(spec, input: shape, offset: offset)
            placed.append(l); shape = l.output; offset += l.parameterCount
        }
        if case .relu = placed.first?.spec { throw GenLabError.usage("a network cannot start with an activation") }
        layers = placed; inputShape = input; self.loss = loss; parameterCount = offset
        parameters = .allocate(capacity: max(1, offset)); gradient = .allocate(capacity: max(1, offset))
        parameters.initialize(repeating: 0, count: max(1, offset)); gradient.initialize(repeating: 0, count: max(1, offset))
        rng = Generator(seed: seed, stream: 77)
        ownsParameters = true
        initialize(initialization, seed: seed)
    }

    /// A network of the same layers that reads `primary`'s parameters in place.
    init(replicaOf primary: Network<T>) {
        layers = primary.layers; inputShape = primary.inputShape; loss = primary.loss; parameterCount = primary.parameterCount
        parameters = primary.parameters; ownsParameters = false
        gradient = .allocate(capacity: max(1, parameterCount)); gradient.initialize(repeating: 0, count: max(1, parameterCount))
        rng = Generator(seed: primary.rng.next(), stream: 78)
    }

    deinit {
        if ownsParameters { parameters.deallocate() }
        gradient.deallocate()
        for p in owned { p.deallocate() }
        if let s = stacked { s.weights.deallocate(); s.output.deallocate() }
    }

    /// The buffers of the stacked first-layer GEMM, grown to `batch` rows.
    func stackedFirstLayer(batch b: Int) -> (weights: UnsafeMutablePointer<T>, output: UnsafeMutablePointer<T>) {
        if let s = stacked, s.rows >= b { return (s.weights, s.output) }
        if let s = stacked { s.weights.deallocate(); s.output.deallocate() }
        let l = layers[0]
        let s = (weights: UnsafeMutablePointer<T>.allocate(capacity: 2 * l.weightCount),
                 output: UnsafeMutablePointer<T>.allocate(capacity: b * 2 * l.outputFeatures), rows: b)
        stacked = s
        return (s.weights, s.output)
    }

    /// Draws fresh weights (biases 0, or U(±1/√fan_in) for `.uniform`).
    public func initialize(_ scheme: Initialization, seed: UInt64) {
        var g = Generator(seed: seed, stream: 3)
        for l in layers where l.parameterCount > 0 {
            let fanIn = l.weightCount / (l.parameterCount - l.weightCount)
            let fanOut = l.parameterCount - l.weightCount
            let w = parameters + l.parameterOffset
            for j in 0..<l.weightCount {
                switch scheme {
                case .he: w[j] = T(g.normal() * (2 / Double(fanIn)).squareRoot())
                case .heUniform: w[j] = T(g.uniform(-1, 1) * (6 / Double(fanIn)).squareRoot())
                case .glorot: w[j] = T(g.normal() * (2 / Double(fanIn + fanOut)).squareRoot())
                case .uniform: w[j] = T(g.uniform(-1, 1) / Double(fanIn).squareRoot())
                }
            }
            for j in l.weightCount..<l.parameterCount { w[j] = scheme == .uniform ? T(g.uniform(-1, 1) / Double(fanIn).squareRoot()) : 0 }
        }
    }

    public var parameterArray: [T] {
        get { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }
        set {
            precondition(newValue.count == parameterCount, "\(newValue.count) values for \(parameterCount) parameters")
            for i in 0..<parameterCount { parameters[i] = newValue[i] }
        }
    }

    public var gradientArray: [T] { Array(UnsafeBufferPointer(start: gradient, count: parameterCount)) }

    func allocate<U>(_ count: Int, _: U.Type = U.self) -> UnsafeMutablePointer<U> {
        let p = UnsafeMutablePointer<U>.allocate(capacity: max(1, count))
        owned.append(UnsafeMutableRawPointer(p))
        return p
    }

    /// Sizes the activation arena for batches of up to `batch` samples (no-op when it fits).
    public func reserve(batch: Int) {
        guard batch > capacity else { return }
        forwardGeneration &+= 1
        for p in owned { p.deallocate() }
        owned = []
        capacity = batch
        let b = batch
        outputs = []; rOutputs = []; masks = []; columns = []; rColumns = []; transposed = []; argmax = []
        var maxFeatures = inputFeatures
        for (i, l) in layers.enumerated() {
            maxFeatures = max(maxFeatures, l.outputFeatures)
            switch l.spec {
            case .relu, .tanh:
                outputs.append(outputs[i - 1]); rOutputs.append(rOutputs[i - 1])
                masks.append(nil)
            case .dropout:
                outputs.append(outputs[i - 1]); rOutputs.append(rOutputs[i - 1])
                masks.append(allocate(b * l.outputFeatures))
            default:
                outputs.append(allocate(b * l.outputFeatures)); rOutputs.append(allocate(b * l.outputFeatures))
                masks.append(nil)
            }
            if case .conv1d(_, let k, _, _) = l.spec {
                columns.append(allocate(b * l.output.length * l.input.channels * k))
                rColumns.append(allocate(b * l.output.length * l.input.channels * k))
                transposed.append(allocate(b * l.outputFeatures))
            } else { columns.append(nil); rColumns.append(nil); transposed.append(nil) }
            argmax.append({ if case .maxPool = l.spec { return allocate(b * l.outputFeatures, Int32.self) }; return nil }())
        }
        delta = [allocate(b * maxFeatures), allocate(b * maxFeatures)]
        rDelta = [allocate(b * maxFeatures), allocate(b * maxFeatures)]
        lossGradient = allocate(b * outputCount); rLossGradient = allocate(b * outputCount)
        batchInput = allocate(b * inputFeatures); batchLabels = allocate(b, Int32.self); batchTargets = allocate(b * outputCount)
    }
}
