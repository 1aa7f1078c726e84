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

/// θ in one allocation and its version, bumped by every write: a kept forward pass is valid only
/// at the version it was computed at. Shared by a network and its replica (`TwoCores`).
final class ParameterStorage<T: Scalar>: @unchecked Sendable {
    let values: UnsafeMutablePointer<T>
    let count: Int
    private(set) var version: UInt64 = 0
    init(count: Int) {
        self.count = count
        values = Carver.zeros(count)
    }
    deinit { values.deallocate() }
    /// Every write of θ goes through here.
    @inline(__always)
    func write<R>(_ body: (UnsafeMutablePointer<T>) -> R) -> R {
        version &+= 1
        return body(values)
    }
}

/// A sequential network over Float or Double (llm.c style): θ in one allocation, the gradient in
/// another, every activation in an `Arena`. Each layer kind's passes live in its own file
/// (`Layers/`); the network sweeps them (`Network+Sweeps`) under an `ExecutionPlan`, from the
/// entry points `evaluate`, `lossAndGradient`, `step` and `hessianVectorProduct`.
public final class Network<T: Scalar>: @unchecked Sendable {
    public let layers: [Layer]
    public let inputShape: Shape
    /// The input image's height (its width is `inputShape.length / inputHeight`); 1 when the input is not an image.
    public let inputHeight: Int
    public let loss: Loss
    public let parameterCount: Int
    let storage: ParameterStorage<T>
    /// ∂L/∂θ of the last `lossAndGradient`.
    public let gradient: UnsafeMutablePointer<T>
    /// Dropout's stream.
    var rng: Generator
    public let arena: Arena<T>
    /// How each pass picks its `ExecutionPlan`.
    public var planning: Planning = .automatic(.automatic)
    /// The second core's share of halved passes, made on first use.
    var twoCores: TwoCores<T>? = nil

    public var inputFeatures: Int { inputShape.channels * inputShape.length }
    public var outputCount: Int { layers.last.map(\.outputFeatures) ?? inputFeatures }
    /// θ, all layers, weights then biases per layer (read-only: writes go through `updateParameters`).
    public var parameters: UnsafePointer<T> { UnsafePointer(storage.values) }

    /// `hidden` layers, then a dense output layer of `outputs` units. An image input of
    /// `input.channels` channels is `height` rows of `input.length / height` pixels (NCHW).
    public init(
        input: Shape, height: Int = 1, hidden: [LayerSpec], outputs: Int, loss: Loss = .crossEntropy,
        initialization: Initialization = .he, seed: UInt64 = 0
    ) throws {
        guard outputs >= 1 else { throw GenLabError.usage("a network needs at least one output, got \(outputs)") }
        var placed = [Layer]()
        var shape = input
        var rows = height
        var offset = 0
        for spec in hidden + [.dense(outputs: outputs)] {
            let kind = try spec.placed(input: shape, height: rows)
            placed.append(Layer(kind: kind, parameterOffset: offset))
            shape = kind.output
            offset += kind.parameterCount
            rows = kind.outputHeight(inputHeight: rows)
        }
        if placed[0].kind.worksInPlace {
            throw GenLabError.usage(
                "a network cannot start with \(placed[0].spec): it needs a layer with an output of its own first")
        }
        layers = placed
        inputShape = input
        inputHeight = height
        self.loss = loss
        parameterCount = offset
        storage = ParameterStorage(count: offset)
        gradient = Carver.zeros(offset)
        rng = Generator(seed: seed, stream: 77)
        arena = Arena(layers: placed, inputFeatures: input.channels * input.length)
        initialize(initialization, seed: seed)
    }

    /// A network of the same layers that reads `primary`'s θ in place (or `storage`), with its own
    /// gradient, arena and dropout stream: the second half of a halved pass.
    init(replicaOf primary: Network<T>, storage: ParameterStorage<T>? = nil) {
        layers = primary.layers
        inputShape = primary.inputShape
        inputHeight = primary.inputHeight
        loss = primary.loss
        parameterCount = primary.parameterCount
        self.storage = storage ?? primary.storage
        gradient = Carver.zeros(parameterCount)
        rng = Generator(seed: primary.rng.next(), stream: 78)
        arena = Arena(layers: layers, inputFeatures: primary.inputFeatures)
    }

    deinit { gradient.deallocate() }

    /// The most samples an evaluation pass takes at once: 1,000, or fewer where the arena would
    /// outgrow 256 MiB (a CNN keeps its im2col columns per sample: the standard CNN of width 32
    /// needs about 4 MB a sample).
    public var evaluationChunk: Int { max(1, min(1000, (256 << 20) / max(1, arena.bytesPerSample))) }

    /// Sizes the arena for batches of up to `batch` samples (no-op when it fits).
    public func reserve(batch: Int) { arena.reserve(batch: batch) }

    /// The plan of a pass over `batch` samples.
    public func plan(batch: Int) -> ExecutionPlan {
        switch planning {
        case .fixed(let p): return p
        case .automatic(let h):
            return .automatic(
                flopsPerSample: flopsPerSample, parameterCount: parameterCount, batch: batch, threads: BLAS.threads,
                halving: h)
        }
    }

    /// The halving rule of the automatic plan (`.fixed` plans keep theirs).
    public var halving: Halving {
        get {
            if case .automatic(let h) = planning { return h }
            return .automatic
        }
        set { planning = .automatic(newValue) }
    }

    /// Whether a training step over `b` samples runs as two half batches (they round differently).
    public func splitsBatch(_ b: Int) -> Bool { plan(batch: b).halvesSteps }

    /// FLOPs per sample of a training step's products.
    public var flopsPerSample: Double {
        layers.enumerated().reduce(0) { $0 + $1.element.kind.trainingFlops(first: $1.offset == 0) }
    }

    /// Writes θ (and bumps its version, so that no kept forward pass outlives the write).
    public func updateParameters<R>(_ body: (UnsafeMutablePointer<T>) -> R) -> R { storage.write(body) }

    /// Draws fresh parameters, layer by layer (`LayerKind.initialize`).
    public func initialize(_ scheme: Initialization, seed: UInt64) {
        var g = Generator(seed: seed, stream: 3)
        storage.write { theta in for l in layers { l.kind.initialize(theta + l.parameterOffset, scheme, &g) } }
    }

    public var parameterArray: [T] {
        get { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }
        set {
            precondition(newValue.count == parameterCount, "\(newValue.count) values for \(parameterCount) parameters")
            storage.write { theta in for i in 0..<parameterCount { theta[i] = newValue[i] } }
        }
    }

    public var gradientArray: [T] { Array(UnsafeBufferPointer(start: gradient, count: parameterCount)) }
}
