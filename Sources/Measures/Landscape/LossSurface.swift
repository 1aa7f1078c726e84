import Learners
import LinearAlgebra

/// The loss and error of a network over a fixed sample at points θ₀ + Σ cₖ·dₖ of a plane (two
/// directions), a line (one), or the segment between two solutions (d = θ₁ − θ₀).
///
/// When the first layer is linear in its parameters (dense, convolution) its output at every
/// point is y(θ₀) + Σ cₖ·y(dₖ): those few outputs are formed once, by as many products as there
/// are directions plus one, and each point then costs only the layers above — one axpy-like
/// combination per direction instead of the first layer's product (for 784→256→10 on 1,000
/// images, 0.4 GFLOP of 0.41 per point). The plain path (every layer at every point) is kept
/// beside it, and the tests pin the two together.
///
/// A surface moves its network's θ: workers each take a `copy()` (own θ and arena), sharing the
/// first layer's outputs, which are read-only.
public final class LossSurface<T: Scalar>: @unchecked Sendable {
    public let network: Network<T>
    public let origin: [T]
    public let directions: [[T]]
    let x: Matrix<T>, labels: [Int32], targets: [T]?
    let chunk: Int
    /// y₀(θ₀) and y₀(dₖ) per chunk of rows, [rows, out₀] each; nil on the plain path.
    let firstLayer: FirstLayerOutputs?
    /// θ entries the points move: those above the first layer when its outputs are precomputed.
    let moving: Range<Int>

    final class FirstLayerOutputs: @unchecked Sendable {
        let atOrigin: [T]
        let along: [[T]]
        let width: Int
        init(atOrigin: [T], along: [[T]], width: Int) {
            self.atOrigin = atOrigin
            self.along = along
            self.width = width
        }
    }

    /// `network`'s θ is left at θ₀ until the first point; `firstLayerShortcut: false` forces the plain path.
    public init(
        network: Network<T>, x: Matrix<T>, labels: [Int], targets: [T]? = nil, origin: [T], directions: [[T]],
        chunk: Int = 1000, firstLayerShortcut: Bool = true
    ) {
        precondition(
            x.cols == network.inputFeatures, "\(x.cols) features for a network with \(network.inputFeatures) inputs")
        precondition(
            origin.count == network.parameterCount && directions.allSatisfy { $0.count == network.parameterCount },
            "origin and directions need \(network.parameterCount) entries")
        self.network = network
        self.origin = origin
        self.directions = directions
        let chunk = max(1, chunk)
        self.x = x
        self.labels = labels.map { Int32($0) }
        self.targets = targets
        self.chunk = chunk
        let first = network.layers[0]
        if firstLayerShortcut && first.kind.isLinearInParameters {
            let block = first.parameterOffset..<(first.parameterOffset + first.kind.parameterCount)
            let outputs = ([origin] + directions).map {
                Self.firstLayer(network, x, block: Array($0[block]), chunk: chunk)
            }
            firstLayer = FirstLayerOutputs(
                atOrigin: outputs[0], along: Array(outputs.dropFirst()), width: first.kind.outputFeatures)
            moving = block.upperBound..<network.parameterCount
        } else {
            firstLayer = nil
            moving = 0..<network.parameterCount
        }
    }

    private init(copying s: LossSurface) {
        network = s.network.copy()
        origin = s.origin
        directions = s.directions
        x = s.x
        labels = s.labels
        targets = s.targets
        chunk = s.chunk
        firstLayer = s.firstLayer
        moving = s.moving
    }

    /// A surface of its own network (θ, arena) sharing this one's sample and first-layer outputs.
    public func worker() -> LossSurface { LossSurface(copying: self) }

    /// Whether points skip the first layer's product.
    public var usesFirstLayerShortcut: Bool { firstLayer != nil }

    static func firstLayer(_ net: Network<T>, _ x: Matrix<T>, block p: [T], chunk: Int) -> [T] {
        let width = net.layers[0].kind.outputFeatures
        var out = [T](repeating: 0, count: x.rows * width)
        p.withUnsafeBufferPointer { pp in
            out.withUnsafeMutableBufferPointer { o in
                net.forEachChunk(x, labels: [], targets: nil, chunk: chunk) { start, batch in
                    let y = net.firstLayerOutput(batch.x, batch: batch.count, parameters: pp.baseAddress!)
                    (o.baseAddress! + start * width).update(from: y, count: batch.count * width)
                }
            }
        }
        return out
    }

    /// Mean loss and classification error (NaN for regression) over the sample at θ₀ + Σ cₖ·dₖ.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func evaluate(at c: [Double]) -> (loss: Double, error: Double) {
        precondition(c.count == directions.count, "\(c.count) coefficients for \(directions.count) directions")
        network.updateParameters { theta in
            for i in moving {
                var v = Double(origin[i])
                for k in directions.indices { v += c[k] * Double(directions[k][i]) }
                theta[i] = T(v)
            }
        }
        var loss = 0.0
        var wrong = 0
        let n = Double(x.rows)
        network.forEachChunk(x, labels: labels, targets: targets, chunk: chunk) { start, batch in
            let l: Double
            if let f = firstLayer {
                l = network.evaluateAboveFirstLayer(batch) { y in
                    Self.combine(f, c, rows: start..<(start + batch.count), into: y)
                }
            } else {
                l = network.evaluate(batch)
            }
            loss += l * Double(batch.count) / n
            if let ls = batch.labels, targets == nil { wrong += network.wrongPredictions(ls, count: batch.count) }
        }
        return (loss, targets == nil ? Double(wrong) / n : .nan)
    }

    /// y = y(θ₀) + Σ cₖ·y(dₖ) over the chunk's rows.
    static func combine(_ f: FirstLayerOutputs, _ c: [Double], rows: Range<Int>, into y: UnsafeMutablePointer<T>) {
        let n = rows.count * f.width
        let offset = rows.lowerBound * f.width
        f.atOrigin.withUnsafeBufferPointer { y.update(from: $0.baseAddress! + offset, count: n) }
        for (k, along) in f.along.enumerated() where c[k] != 0 {
            along.withUnsafeBufferPointer { T.axpy(n, T(c[k]), $0.baseAddress! + offset, y) }
        }
    }
}
