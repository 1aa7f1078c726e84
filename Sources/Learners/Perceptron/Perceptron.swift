import CBLAS
import Datasets
import LinearAlgebra

/// The perceptron of the talk (Algorithm 1, Rosenblatt 1958):
///
///     w₀ = 0;  for each sample in turn:  if yᵢ⟨w, xᵢ⟩ ≤ 0 then w ← w + yᵢxᵢ
///
/// A point with ⟨w, xᵢ⟩ = 0 counts as a mistake (so the first sample is always one); this is
/// what makes the mistake bound's proof go through from w₀ = 0. Passes repeat, in the given
/// order or a seeded shuffle per epoch, until an epoch without mistakes or `maxEpochs`.
///
/// `bias: true` appends a constant feature 1 (then R grows to max √(‖xᵢ‖² + 1): the bound
/// is about the augmented points).
public struct Perceptron: Codable, Sendable {
    public var maxEpochs: Int
    /// nil: visit samples in the given order; else reshuffle each epoch with this seed.
    public var shuffleSeed: UInt64?
    public var bias: Bool
    /// Keep each distinct iterate and how many steps it was current (for the random-iterate risk).
    public var recordIterates: Bool
    /// With `shuffleSeed`: shuffle blocks of this many consecutive samples instead of single samples
    /// (nil or 1: a uniform random permutation each epoch). Blocks visit memory in runs that the
    /// hardware prefetcher streams — about 1.5× faster per epoch on data larger than the cache — at
    /// a cost in randomness: each epoch is a random order of the blocks, each block in the given
    /// order, so samples of a block always meet in the same sequence. The mistake bound holds for
    /// any order; on data sorted by class, shuffle it once first or keep blocks of 1.
    public var shuffleBlock: Int?

    public init(
        maxEpochs: Int = 100, shuffleSeed: UInt64? = nil, bias: Bool = false, recordIterates: Bool = false,
        shuffleBlock: Int? = nil
    ) {
        self.maxEpochs = maxEpochs
        self.shuffleSeed = shuffleSeed
        self.bias = bias
        self.recordIterates = recordIterates
        self.shuffleBlock = shuffleBlock
    }

    /// The visit order of one epoch: a uniform permutation, or blocks of `block` samples in random order.
    static func shuffle(_ order: inout UnsafeMutableBufferPointer<Int>, block: Int, _ rng: inout Generator) {
        guard block > 1 else {
            rng.shuffle(&order)
            return
        }
        let n = order.count
        let blocks = (n + block - 1) / block
        var starts = Array(stride(from: 0, to: n, by: block))
        rng.shuffle(&starts)
        var p = 0
        for b in 0..<blocks {
            for i in starts[b]..<min(starts[b] + block, n) {
                order[p] = i
                p += 1
            }
        }
    }

    /// One mistake: the T-th update.
    public struct Mistake: Codable, Sendable, Equatable {
        /// Index of the sample in the training set.
        public var sample: Int
        /// 0-based epoch (pass) in which it happened.
        public var epoch: Int
        /// 0-based step: the number of samples visited before it, over all passes.
        public var step: Int
        /// yᵢ⟨w_{T−1}, xᵢ⟩ ≤ 0 at the time of the mistake (used by the proof trace: ‖w_T‖² =
        /// ‖w_{T−1}‖² + 2·this + ‖xᵢ‖²).
        public var activation: Double
    }

    /// Validates the input the way every learner here does: two classes as ±1, finite features.
    public static func validate<T: Scalar>(_ x: Matrix<T>, _ y: [T], source: String) throws {
        guard x.rows > 0 else {
            throw GenLabError.data(
                source: source, expected: "at least one training sample", found: "an empty training set")
        }
        guard y.count == x.rows else {
            throw GenLabError.data(source: source, expected: "\(x.rows) labels", found: "\(y.count)")
        }
        if let bad = y.first(where: { $0 != 1 && $0 != -1 }) {
            throw GenLabError.data(
                source: source, expected: "binary labels ±1 (two classes)", found: "label \(bad)",
                fix: "pick two classes with classes=A,B")
        }
        if let i = x.storage.firstIndex(where: { !$0.isFinite }) {
            throw GenLabError.data(
                source: source, expected: "finite features",
                found: "\(x.storage[i]) in sample \(i / max(1, x.cols)), feature \(i % max(1, x.cols))")
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func fit<T: Scalar>(_ x: Matrix<T>, _ y: [T]) -> FittedPerceptron<T> {
        let data = bias ? x.appendingConstantColumn(1) : x
        return data.storage.withUnsafeBufferPointer { px in
            run(MatrixRows(base: px.baseAddress!, count: data.rows, width: data.cols), y)
        }
    }

    /// The same fit on features given as bytes (`x[i] == Float(bytes[i]) * scale`, as image loaders
    /// make them): identical arithmetic, so the same weights and mistakes bit for bit, reading a
    /// quarter of the memory — a shuffled epoch over Fashion-MNIST then runs from the cache.
    public func fit(bytes: ByteFeatures, rows: Int, cols: Int, _ y: [Float]) -> FittedPerceptron<Float> {
        precondition(bytes.bytes.count == rows * cols, "\(bytes.bytes.count) bytes for \(rows)×\(cols) features")
        // The bias feature 1 is 255·(1/255) exactly only at the pixel scale; otherwise go through Float.
        if bias && Float(255) * bytes.scale != 1 { return fit(bytes.matrix(rows: rows, cols: cols), y) }
        let data = bias ? bytes.appendingConstantColumn(255, width: cols) : bytes
        return data.bytes.withUnsafeBufferPointer { pb in
            run(ByteRows(base: pb.baseAddress!, scale: data.scale, count: rows, width: cols + (bias ? 1 : 0)), y)
        }
    }

    /// Algorithm 1 over any row store.
    @inline(__always)
    func run<R: PerceptronRows>(_ data: R, _ y: [R.T]) -> FittedPerceptron<R.T> {
        typealias T = R.T
        let n = data.count
        let d = data.width
        var w = [T](repeating: 0, count: d)
        var mistakes = [Mistake]()
        var perEpoch = [Int]()
        var iterates = [[T]]()
        var iterateSteps = [Int]()
        var order = Array(0..<n)
        var rng = shuffleSeed.map { Generator(seed: $0) }
        var converged = false
        var step = 0
        var currentSteps = 0
        if recordIterates { iterates.append(w) }
        let block = max(1, shuffleBlock ?? 1)
        y.withUnsafeBufferPointer { py in
            order.withUnsafeMutableBufferPointer { ord in
                for epoch in 0..<maxEpochs {
                    if rng != nil { Self.shuffle(&ord, block: block, &rng!) }
                    var count = 0
                    for position in 0..<n {
                        let i = ord[position]
                        if position + 2 < n { data.prefetch(ord[position + 2]) }
                        let a = py[i] * w.withUnsafeBufferPointer { data.dot(i, $0.baseAddress!) }
                        if a <= 0 {
                            w.withUnsafeMutableBufferPointer { data.axpy(i, py[i], $0.baseAddress!) }
                            mistakes.append(Mistake(sample: i, epoch: epoch, step: step, activation: Double(a)))
                            count += 1
                            if recordIterates {
                                iterateSteps.append(currentSteps + 1)
                                iterates.append(w)
                                currentSteps = 0
                            }
                        } else if recordIterates {
                            currentSteps += 1
                        }
                        step += 1
                    }
                    perEpoch.append(count)
                    if count == 0 {
                        converged = true
                        break
                    }
                }
            }
        }
        // Steps during which each iterate was current: w₀ is current until the first mistake inclusive, etc.
        if recordIterates { iterateSteps.append(currentSteps) }
        return FittedPerceptron(
            weights: w, bias: bias, mistakes: mistakes, mistakesPerEpoch: perEpoch, converged: converged,
            iterates: iterates, iterateSteps: iterateSteps)
    }
}

/// Where the perceptron reads its rows: ⟨w, xᵢ⟩, w += α·xᵢ, and a prefetch of a row to come.
protocol PerceptronRows {
    associatedtype T: Scalar
    var count: Int { get }
    var width: Int { get }
    func dot(_ i: Int, _ w: UnsafePointer<T>) -> T
    func axpy(_ i: Int, _ alpha: T, _ w: UnsafeMutablePointer<T>)
    func prefetch(_ i: Int)
}

/// Rows of a Float or Double matrix.
struct MatrixRows<T: Scalar>: PerceptronRows {
    let base: UnsafePointer<T>, count: Int, width: Int
    @inline(__always) func dot(_ i: Int, _ w: UnsafePointer<T>) -> T { Perceptron.dot(width, w, base + i * width) }
    @inline(__always) func axpy(_ i: Int, _ alpha: T, _ w: UnsafeMutablePointer<T>) {
        Perceptron.axpy(width, alpha, base + i * width, w)
    }
    @inline(__always) func prefetch(_ i: Int) { genlab_prefetch(base + i * width, width * MemoryLayout<T>.size) }
}

/// Rows of bytes standing for Float(byte)·scale.
struct ByteRows: PerceptronRows {
    let base: UnsafePointer<UInt8>, scale: Float, count: Int, width: Int
    @inline(__always) func dot(_ i: Int, _ w: UnsafePointer<Float>) -> Float {
        PerceptronKernels.rowDot(width, w, bytes: base + i * width, scale: scale)
    }
    @inline(__always) func axpy(_ i: Int, _ alpha: Float, _ w: UnsafeMutablePointer<Float>) {
        PerceptronKernels.rowAxpy(width, alpha, bytes: base + i * width, scale: scale, w)
    }
    @inline(__always) func prefetch(_ i: Int) { genlab_prefetch(base + i * width, width) }
}

extension Perceptron {
    /// Float rows go through the row kernels (a BLAS call per row costs as much as the row; the
    /// byte rows share their arithmetic); Double keeps BLAS, for the theory checks.
    @inline(__always)
    static func dot<T: Scalar>(_ n: Int, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>) -> T {
        if T.self == Float.self {
            return PerceptronKernels.rowDot(
                n, UnsafeRawPointer(a).assumingMemoryBound(to: Float.self),
                UnsafeRawPointer(b).assumingMemoryBound(to: Float.self)) as! T
        }
        return T.dot(n, a, b)
    }

    @inline(__always)
    static func axpy<T: Scalar>(_ n: Int, _ alpha: T, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
        if T.self == Float.self {
            PerceptronKernels.rowAxpy(
                n, alpha as! Float, UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self))
        } else {
            T.axpy(n, alpha, x, y)
        }
    }
}

/// What a perceptron run learned and how it got there.
public struct FittedPerceptron<T: Scalar>: Sendable {
    /// Final weights (with the bias weight last when `bias`).
    public var weights: [T]
    public var bias: Bool
    public var mistakes: [Perceptron.Mistake]
    public var mistakesPerEpoch: [Int]
    /// An epoch ended without a mistake: the training data are separated.
    public var converged: Bool
    /// Distinct iterates w₀, w₁, … (only with `recordIterates`).
    public var iterates: [[T]]
    /// For each iterate, the number of visited samples at which it was the current weight vector
    /// (the sample that causes the next mistake counts for the old iterate).
    public var iterateSteps: [Int]

    public var epochs: Int { mistakesPerEpoch.count }

    /// Signed score ⟨w, x⟩ (+ bias) for each row.
    public func scores(_ x: Matrix<T>) -> [T] {
        let d = x.cols
        var s = matvec(x, Array(weights[0..<d]))
        if bias {
            let b = weights[d]
            for i in s.indices { s[i] += b }
        }
        return s
    }

    /// Fraction of rows with y·⟨w, x⟩ ≤ 0 (ties are errors, as in training).
    public func errorRate(_ x: Matrix<T>, _ y: [T]) -> Double {
        guard !y.isEmpty else { return .nan }  // no samples, no error rate
        let s = scores(x)
        return Double(zip(s, y).filter { $0 * $1 <= 0 }.count) / Double(y.count)
    }
}
