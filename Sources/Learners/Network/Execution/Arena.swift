import LinearAlgebra
import Synchronization

/// Every buffer a network's passes use, for batches of up to `capacity` samples: sized once per
/// batch size (grown, never shrunk), so that a training step after the first allocates nothing.
/// Shapes are per batch of b samples; "aliased" means an in-place layer (activation, dropout)
/// uses the buffer of the layer below.
public final class Arena<T: Scalar>: @unchecked Sendable {
    let layers: [Layer]
    let inputFeatures: Int
    public private(set) var capacity = 0
    /// y_i, the output of layer i: [b, out_i], aliased.
    private(set) var outputs: [UnsafeMutablePointer<T>] = []
    /// R(y_i), its tangent along a direction V: [b, out_i], aliased.
    private(set) var tangents: [UnsafeMutablePointer<T>] = []
    /// δ_i = ∂L/∂y_i: [b, out_i], aliased. The top one is ∂L/∂z [b, K]; below it two buffers of
    /// [b, widest layer] take turns, so a backward pass touches no more memory than it needs.
    private(set) var deltas: [UnsafeMutablePointer<T>] = []
    /// R(δ_i): as `deltas`.
    private(set) var tangentDeltas: [UnsafeMutablePointer<T>] = []
    /// Each layer's scratch (`LayerKind.scratch`): values [b, n], indices [b, n], a fixed part.
    private(set) var scratch: [UnsafeMutablePointer<T>?] = []
    private(set) var indices: [UnsafeMutablePointer<Int32>?] = []
    private(set) var fixedScratch: [UnsafeMutablePointer<T>?] = []
    /// A batch gathered from rows of a data set: x [b, in], labels [b], targets [b, K].
    private(set) var batchInput: UnsafeMutablePointer<T>? = nil
    private(set) var batchLabels: UnsafeMutablePointer<Int32>? = nil
    private(set) var batchTargets: UnsafeMutablePointer<T>? = nil
    /// What the forward buffers (outputs, forward scratch, ∂L/∂z) hold, with its loss; nil when
    /// unknown. The only validity check of a kept forward pass.
    var contents: (state: ForwardState, loss: Double)? = nil
    /// Each layer's two-core helper (`LayerPass.helper`), made on first use.
    var helpers: [AnyObject?]
    /// Every buffer above is a slice of this one block (`Carver`).
    private var block: UnsafeMutableRawPointer? = nil

    init(layers: [Layer], inputFeatures: Int) {
        self.layers = layers
        self.inputFeatures = inputFeatures
        helpers = Array(repeating: nil, count: layers.count)
    }
    deinit { block?.deallocate() }

    /// ∂L/∂z and R(∂L/∂z), [b, K].
    var lossGradient: UnsafeMutablePointer<T> { deltas[layers.count - 1] }
    var lossTangent: UnsafeMutablePointer<T> { tangentDeltas[layers.count - 1] }
    var logits: UnsafeMutablePointer<T> { outputs[layers.count - 1] }

    /// Bytes of the arena per sample of a batch (the fixed scratch aside), as `layout` carves them
    /// (give or take the cache-line rounding).
    var bytesPerSample: Int {
        var values = inputFeatures
        var indices = 1
        var widest = inputFeatures
        for (i, l) in layers.enumerated() {
            widest = max(widest, l.outputFeatures)
            if !l.kind.worksInPlace { values += 2 * l.outputFeatures }
            let s = l.kind.scratch(position: i)
            values += s.values
            indices += s.indices
        }
        let k = layers.last.map(\.outputFeatures) ?? 1
        values += 4 * widest + 3 * k
        return values * MemoryLayout<T>.stride + indices * MemoryLayout<Int32>.stride
    }

    /// Sizes every buffer for batches of up to `batch` samples (nothing happens when they fit):
    /// all in one block, laid out twice by `layout` — once to measure it, once to carve it.
    func reserve(batch b: Int) {
        guard b > capacity else { return }
        contents = nil
        block?.deallocate()
        var measure = Carver(base: nil)
        layout(batch: b, &measure)
        let p = Carver.allocateBlock(bytes: measure.offset)
        var carve = Carver(base: p)
        layout(batch: b, &carve)
        block = p
        capacity = b
    }

    private func layout(batch b: Int, _ c: inout Carver) {
        outputs = []
        tangents = []
        scratch = []
        indices = []
        fixedScratch = []
        var widest = inputFeatures
        for (i, l) in layers.enumerated() {
            widest = max(widest, l.outputFeatures)
            if l.kind.worksInPlace {  // never the first layer (`Network.init`)
                outputs.append(outputs[i - 1])
                tangents.append(tangents[i - 1])
            } else {
                outputs.append(c.take(b * l.outputFeatures))
                tangents.append(c.take(b * l.outputFeatures))
            }
            let s = l.kind.scratch(position: i)
            scratch.append(s.values > 0 ? c.take(b * s.values) : nil)
            indices.append(s.indices > 0 ? c.take(b * s.indices, Int32.self) : nil)
            fixedScratch.append(s.fixedValues > 0 ? c.take(s.fixedValues) : nil)
        }
        let top = layers.count - 1
        let k = layers[top].outputFeatures
        let slots: [UnsafeMutablePointer<T>] = [c.take(b * widest), c.take(b * widest)]
        let rSlots: [UnsafeMutablePointer<T>] = [c.take(b * widest), c.take(b * widest)]
        deltas = Array(repeating: c.take(b * k), count: layers.count)
        tangentDeltas = Array(repeating: c.take(b * k), count: layers.count)
        var slot = -1  // -1: the top buffer
        for i in stride(from: top, to: 0, by: -1) {
            if !layers[i].kind.worksInPlace { slot = slot == 0 ? 1 : 0 }
            deltas[i - 1] = slot < 0 ? deltas[top] : slots[slot]
            tangentDeltas[i - 1] = slot < 0 ? tangentDeltas[top] : rSlots[slot]
        }
        batchInput = c.take(b * inputFeatures)
        batchLabels = c.take(b, Int32.self)
        batchTargets = c.take(b * k)
    }
}

/// Lays buffers out in one block: measuring (no base) or carving. Each buffer starts on a cache
/// line of its own.
struct Carver {
    let base: UnsafeMutableRawPointer?
    var offset = 0

    mutating func take<U>(_ count: Int, _: U.Type = U.self) -> UnsafeMutablePointer<U> {
        let start = offset
        offset += (max(1, count) * MemoryLayout<U>.stride + 63) / 64 * 64
        // While measuring, a well-aligned stand-in that is never dereferenced.
        guard let base else { return UnsafeMutablePointer(bitPattern: 64)! }
        return (base + start).bindMemory(to: U.self, capacity: max(1, count))
    }

    /// A block on 2 MiB boundaries, advised for transparent huge pages: its physical layout, and
    /// so its cache and TLB behaviour, is then the same in every process (see the README's
    /// Performance section: with 4 KiB pages the same binary's H·v varied by 30% between processes).
    /// Blocks under 1 MiB stay small (a sweep may hold many small networks).
    static func allocateBlock(bytes: Int) -> UnsafeMutableRawPointer {
        let huge = 2 << 20
        guard bytes >= huge / 2 else {
            return UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes), alignment: 64)
        }
        let rounded = (bytes + huge - 1) / huge * huge
        let p = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: huge)
        adviseHugePages(p, rounded)
        return p
    }

    /// `count` zeros of T in a block of their own (θ, a gradient), as `allocateBlock`.
    static func zeros<T: Scalar>(_ count: Int, _: T.Type = T.self) -> UnsafeMutablePointer<T> {
        let p = allocateBlock(bytes: max(1, count) * MemoryLayout<T>.stride).bindMemory(
            to: T.self, capacity: max(1, count))
        p.initialize(repeating: 0, count: max(1, count))
        return p
    }
}

/// What a kept forward pass was computed from: θ at a version, and a batch by identity. The
/// pass is in evaluation mode (a training pass is never kept).
struct ForwardState: Equatable {
    var parameters: UInt64
    var batch: BatchIdentity
}

/// Names the rows of a batch: equal identities mean equal values. `source` is unique to an
/// immutable sample (`BatchIdentity.newSource()`), `start` and `count` are its rows.
public struct BatchIdentity: Hashable, Sendable {
    public var source: Int
    public var start: Int
    public var count: Int
    public init(source: Int, start: Int, count: Int) {
        self.source = source
        self.start = start
        self.count = count
    }

    private static let sources = Atomic<Int>(0)
    /// A source number no other sample has in this process.
    public static func newSource() -> Int { sources.add(1, ordering: .relaxed).newValue }
}
