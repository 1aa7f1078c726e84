import LinearAlgebra

/// A layer's input or output: channels × length (a dense layer's features are (features, 1)).
public typealias Shape = (channels: Int, length: Int)

/// An activation that the layer below may apply in its own output pass (`ExecutionPlan.fusesActivations`).
public enum Epilogue: Sendable { case relu }

/// One kind of layer, placed at its input shape: its parameters and its four passes, each over a
/// batch of b samples in the buffers `LayerPass` hands it. The network sweeps these passes up and
/// down its layers; nothing outside a layer's file knows what the layer computes.
///
/// - `forward`: y = f(x; θ).
/// - `backward`: δx = (∂y/∂x)ᵀ·δy, and ∂L/∂θ added into a `GradientSink` — the gradient buffer
///   (α = 1) or, for the fused SGD step, θ itself (α = −η). A layer reads θ only before it writes
///   its sink, so that the fused step sees the old weights.
/// - `tangentForward` (Pearlmutter's R-operator): R(y) = ∂y/∂θ·V + ∂y/∂x·R(x) along direction V.
/// - `tangentBackward`: R(δx) and this layer's block of H·v, R(∂L/∂θ); δx too where asked.
public protocol LayerKind: Sendable, CustomStringConvertible {
    var spec: LayerSpec { get }
    var input: Shape { get }
    var output: Shape { get }
    /// Weights, first in the layer's block of θ; then `parameterCount − weightCount` biases.
    var weightCount: Int { get }
    var parameterCount: Int { get }
    /// The layer rewrites its input buffer (activations, dropout): its output, R(output) and δ
    /// share the buffers of the layer below.
    var worksInPlace: Bool { get }
    /// Arena scratch: `values` of T and `indices` (Int32) per sample, `fixedValues` once, when the
    /// layer is at `position` (0: first). The layer's file gives their layout.
    func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int)
    /// FLOPs (2·m·n·k per product) per sample of a training step's forward and backward products;
    /// the first layer forms no input gradient.
    func trainingFlops(first: Bool) -> Double
    /// Whether `tangentBackward` reads δ (not only R(δ)) at this position: H·v alone carries δ
    /// down to the lowest such layer and no further.
    func tangentReadsDelta(first: Bool) -> Bool
    /// The activation this layer is, when the layer below may apply it (`accepts`).
    var epilogue: Epilogue? { get }
    func accepts(_ epilogue: Epilogue) -> Bool
    /// y is linear in the layer's θ block, biases included (dense, convolution): y(x; p + Σ cₖ·dₖ)
    /// = y(x; p) + Σ cₖ·y(x; dₖ), so a loss surface forms the first layer's output at every
    /// point of its grid from a few products (`Network.firstLayerOutput`).
    var isLinearInParameters: Bool { get }
    /// The height of the output's image when the layer keeps a 2-D layout (its `Shape`'s length
    /// is then height·width, `ImageSize`); 1 for a flat or 1-D output. In-place layers keep the
    /// height of their input.
    func outputHeight(inputHeight: Int) -> Int

    /// Draws the layer's block of θ (weights, then biases) for an initialization scheme.
    func initialize<T: Scalar>(_ theta: UnsafeMutablePointer<T>, _ scheme: Initialization, _ g: inout Generator)

    func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator)
    func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?)
    func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>)
    /// Forward and tangent forward together (evaluation mode); a layer may share work between them.
    func forwardWithTangent<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, rng: inout Generator)
    func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>)
}

extension LayerKind {
    public var inputFeatures: Int { input.channels * input.length }
    public var outputFeatures: Int { output.channels * output.length }
    public var weightCount: Int { 0 }
    public var parameterCount: Int { 0 }
    public var worksInPlace: Bool { false }
    public func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int) { (0, 0, 0) }
    public func trainingFlops(first: Bool) -> Double { 0 }
    public func tangentReadsDelta(first: Bool) -> Bool { false }
    public var epilogue: Epilogue? { nil }
    public func accepts(_ epilogue: Epilogue) -> Bool { false }
    public var isLinearInParameters: Bool { false }
    public func outputHeight(inputHeight: Int) -> Int { worksInPlace ? inputHeight : 1 }
    public var description: String { "\(spec)" }

    /// Weights by the scheme from fan-in = weights per bias (one bias per output unit or
    /// channel) and fan-out = the bias count; biases 0, or U(±1/√fan_in) for `.uniform`.
    public func initialize<T: Scalar>(_ theta: UnsafeMutablePointer<T>, _ scheme: Initialization, _ g: inout Generator)
    {
        let biases = parameterCount - weightCount
        guard biases > 0 else { return }
        let fanIn = Double(weightCount / biases)
        let fanOut = Double(biases)
        for j in 0..<weightCount {
            switch scheme {
            case .he: theta[j] = T(g.normal() * (2 / fanIn).squareRoot())
            case .heUniform: theta[j] = T(g.uniform(-1, 1) * (6 / fanIn).squareRoot())
            case .glorot: theta[j] = T(g.normal() * (2 / (fanIn + fanOut)).squareRoot())
            case .uniform: theta[j] = T(g.uniform(-1, 1) / fanIn.squareRoot())
            }
        }
        for j in weightCount..<parameterCount {
            theta[j] = scheme == .uniform ? T(g.uniform(-1, 1) / fanIn.squareRoot()) : 0
        }
    }

    /// Forward, then tangent forward: what a layer without a shared path does.
    public func forwardWithTangent<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, rng: inout Generator) {
        forward(p, training: false, rng: &rng)
        tangentForward(p, v: v)
    }
}

/// Where a backward pass puts ∂L/∂θ: α·∂L/∂θ is added into `into`, this layer's block of the
/// gradient (α = 1) or of θ (α = −η: the fused SGD step).
public struct GradientSink<T: Scalar> {
    public var into: UnsafeMutablePointer<T>
    public var alpha: T
}

/// One layer's buffers for one pass over a batch of `batch` samples. Shapes are [b, features],
/// row-major; a convolutional layer reads a sample's features as [channels, length].
public struct LayerPass<T: Scalar> {
    public var batch: Int
    /// x [b, in]: the network input for the first layer. y [b, out]: x itself for in-place layers.
    public var x: UnsafePointer<T>
    public var y: UnsafeMutablePointer<T>
    /// R(x) [b, in] (nil for the first layer: the input does not depend on θ); R(y) [b, out].
    public var rx: UnsafePointer<T>?
    public var ry: UnsafeMutablePointer<T>
    /// δy = ∂L/∂y [b, out] (nil where H·v alone does not carry δ); δx [b, in] (nil where not
    /// wanted; the same buffer as δy for in-place layers).
    public var dy: UnsafeMutablePointer<T>?
    public var dx: UnsafeMutablePointer<T>?
    /// R(δy) [b, out]; R(δx) [b, in] (nil for the first layer).
    public var rdy: UnsafeMutablePointer<T>
    public var rdx: UnsafeMutablePointer<T>?
    /// The layer's block of θ: weights, then biases.
    public var theta: UnsafePointer<T>
    /// The layer's scratch (`LayerKind.scratch`): values, indices and the fixed part.
    public var scratch: UnsafeMutablePointer<T>?
    public var indices: UnsafeMutablePointer<Int32>?
    public var fixedScratch: UnsafeMutablePointer<T>?
    /// The activation to apply to y (and R(y)) in this layer's output pass, for the layer above.
    public var epilogue: Epilogue?
    public var plan: ExecutionPlan
    /// This layer's two-core helper, made on first use (`helper(_:)`).
    unowned(unsafe) var arena: Arena<T>
    var index: Int

    /// The layer's reusable helper object of type H (a `TwoParts` for the helper thread), made once.
    func helper<H: AnyObject>(_ make: () -> H) -> H {
        if let h = arena.helpers[index] { return unsafeDowncast(h, to: H.self) }
        let h = make()
        arena.helpers[index] = h
        return h
    }
}
